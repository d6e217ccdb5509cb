-- PostgreSQL twin of 005_site_user_rollup.sqlite.sql: the per (site, identified user) rollup for
-- inactive-users, kept exact by a row trigger in the writing transaction.
CREATE TABLE site_user (
  site_id TEXT             NOT NULL,
  user_id TEXT             NOT NULL,
  n       BIGINT           NOT NULL,
  w       DOUBLE PRECISION NOT NULL,
  last_active_at BIGINT,  -- MAX(last_active_at) of the user's sessions on the site; NULL once it is empty
  PRIMARY KEY (site_id, user_id)
);

INSERT INTO site_user (site_id, user_id, n, w, last_active_at)
  SELECT site_id, user_id, COUNT(*), SUM(weight), MAX(last_active_at)
  FROM sessions WHERE user_id IS NOT NULL GROUP BY site_id, user_id;

-- For the trigger: the user's latest session on a site, read again when the one that held it is
-- replaced or deleted, is one seek here (003's index served the report's scan, which is gone).
DROP INDEX sessions_user_active;
CREATE INDEX sessions_site_user_active ON sessions (site_id, user_id, last_active_at) WHERE user_id IS NOT NULL;

CREATE FUNCTION sessions_site_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.user_id IS NOT NULL THEN
    UPDATE site_user SET n = n - 1, w = w - OLD.weight
      WHERE site_id = OLD.site_id AND user_id = OLD.user_id;
    -- The row leaving may have held the user's latest activity (MAX does not subtract): then it is read
    -- again from sessions (the replacing row is already in place). A statement of its own, after the
    -- one above took the row lock, so that it sees what concurrent writers of this user committed.
    UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
      WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.user_id IS NOT NULL THEN
    INSERT INTO site_user AS u (site_id, user_id, n, w, last_active_at)
      VALUES (NEW.site_id, NEW.user_id, 1, NEW.weight, NEW.last_active_at)
      ON CONFLICT (site_id, user_id) DO UPDATE SET n = u.n + 1, w = u.w + EXCLUDED.w, last_active_at = GREATEST(u.last_active_at, EXCLUDED.last_active_at);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_site_user AFTER INSERT OR UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_site_user();
