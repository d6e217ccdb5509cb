-- Per-user monthly rollup for POST /api/session-duration: a year-long range reads whole months from
-- here (one row per user and month) and only the partial months at its edges from sessions.
-- Triggers keep it exact as sessions are inserted and replaced by a higher seq, inside the same
-- transaction as the write. Rows whose n drops to 0 stay (queries skip them).
CREATE TABLE user_month (
  month    TEXT    NOT NULL, -- YYYY-MM of start_day
  user_key TEXT    NOT NULL,
  site_id  TEXT    NOT NULL,
  n        INTEGER NOT NULL,
  w        REAL    NOT NULL,
  d        INTEGER NOT NULL,
  e        INTEGER NOT NULL,
  PRIMARY KEY (month, user_key, site_id)
) WITHOUT ROWID;

INSERT INTO user_month (month, user_key, site_id, n, w, d, e)
  SELECT substr(start_day, 1, 7), user_key, site_id, COUNT(*), SUM(weight), SUM(duration_ms), SUM(engaged_ms)
  FROM sessions GROUP BY 1, 2, 3;

CREATE TRIGGER sessions_user_month_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO user_month (month, user_key, site_id, n, w, d, e)
    VALUES (substr(NEW.start_day, 1, 7), NEW.user_key, NEW.site_id, 1, NEW.weight, NEW.duration_ms, NEW.engaged_ms)
    ON CONFLICT (month, user_key, site_id) DO UPDATE SET n = n + 1, w = w + excluded.w, d = d + excluded.d, e = e + excluded.e;
END;

CREATE TRIGGER sessions_user_month_update AFTER UPDATE ON sessions BEGIN
  UPDATE user_month SET n = n - 1, w = w - OLD.weight, d = d - OLD.duration_ms, e = e - OLD.engaged_ms
    WHERE month = substr(OLD.start_day, 1, 7) AND user_key = OLD.user_key AND site_id = OLD.site_id;
  INSERT INTO user_month (month, user_key, site_id, n, w, d, e)
    VALUES (substr(NEW.start_day, 1, 7), NEW.user_key, NEW.site_id, 1, NEW.weight, NEW.duration_ms, NEW.engaged_ms)
    ON CONFLICT (month, user_key, site_id) DO UPDATE SET n = n + 1, w = w + excluded.w, d = d + excluded.d, e = e + excluded.e;
END;
