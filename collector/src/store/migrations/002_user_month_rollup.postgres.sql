-- PostgreSQL twin of 002_user_month_rollup.sqlite.sql: the per-user monthly rollup, kept exact by a
-- row trigger in the writing transaction.
CREATE TABLE user_month (
  month    TEXT             NOT NULL,
  user_key TEXT             NOT NULL,
  site_id  TEXT             NOT NULL,
  n        BIGINT           NOT NULL,
  w        DOUBLE PRECISION NOT NULL,
  d        BIGINT           NOT NULL,
  e        BIGINT           NOT NULL,
  PRIMARY KEY (month, user_key, site_id)
);

INSERT INTO user_month (month, user_key, site_id, n, w, d, e)
  SELECT substr(start_day, 1, 7), user_key, site_id, COUNT(*), SUM(weight), SUM(duration_ms), SUM(engaged_ms)
  FROM sessions GROUP BY 1, 2, 3;

CREATE FUNCTION sessions_user_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    UPDATE user_month SET n = n - 1, w = w - OLD.weight, d = d - OLD.duration_ms, e = e - OLD.engaged_ms
      WHERE month = substr(OLD.start_day, 1, 7) AND user_key = OLD.user_key AND site_id = OLD.site_id;
  END IF;
  INSERT INTO user_month AS u (month, user_key, site_id, n, w, d, e)
    VALUES (substr(NEW.start_day, 1, 7), NEW.user_key, NEW.site_id, 1, NEW.weight, NEW.duration_ms, NEW.engaged_ms)
    ON CONFLICT (month, user_key, site_id) DO UPDATE SET n = u.n + 1, w = u.w + EXCLUDED.w, d = u.d + EXCLUDED.d, e = u.e + EXCLUDED.e;
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_user_month AFTER INSERT OR UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_user_month();
