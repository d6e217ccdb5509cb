-- Issue 14, the per-user table (POST /api/session-duration) over a year: per user, site and calendar year
-- the same sums as user_month (002, 006), so that a year is read as one row per user (20,000 over a million
-- sessions) instead of twelve (240,000 grouped: 100-170 ms in SQLite, 200-400 ms in PostgreSQL), and a
-- range that nearly fills a year as the year less its few missing months (store/queries/spans.ts).
-- Its own triggers, apart from the rollup_change ones of 006 and 014: a share added on insert, one
-- difference on a replacement that keeps the row's key, the share moved when the year, user or site
-- changes, and taken away on delete. Integers, so it stays exact to the unit (test/store-contract.ts
-- compares it with its recomputation). Rows emptied by replacements stay with sessions 0 (queries skip them).
CREATE TABLE user_year (
  year         TEXT    NOT NULL, -- YYYY of start_day
  user_key     TEXT    NOT NULL,
  site_id      TEXT    NOT NULL,
  sessions     INTEGER NOT NULL,
  weight_micro INTEGER NOT NULL,
  duration_ms  INTEGER NOT NULL,
  engaged_ms   INTEGER NOT NULL,
  PRIMARY KEY (year, user_key, site_id)
) WITHOUT ROWID;

INSERT INTO user_year (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
  SELECT substr(start_day, 1, 4), user_key, site_id, COUNT(*), SUM(weight_micro), SUM(duration_ms), SUM(engaged_ms)
  FROM sessions GROUP BY substr(start_day, 1, 4), user_key, site_id;

CREATE TRIGGER sessions_user_year_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO user_year (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
    VALUES (substr(NEW.start_day, 1, 4), NEW.user_key, NEW.site_id, 1, NEW.weight_micro, NEW.duration_ms, NEW.engaged_ms)
    ON CONFLICT (year, user_key, site_id) DO UPDATE SET sessions = sessions + 1, weight_micro = weight_micro + excluded.weight_micro,
      duration_ms = duration_ms + excluded.duration_ms, engaged_ms = engaged_ms + excluded.engaged_ms;
END;

CREATE TRIGGER sessions_user_year_delta AFTER UPDATE ON sessions
  WHEN substr(OLD.start_day, 1, 4) = substr(NEW.start_day, 1, 4) AND OLD.user_key = NEW.user_key AND OLD.site_id = NEW.site_id BEGIN
  UPDATE user_year SET weight_micro = weight_micro + NEW.weight_micro - OLD.weight_micro, duration_ms = duration_ms + NEW.duration_ms - OLD.duration_ms,
      engaged_ms = engaged_ms + NEW.engaged_ms - OLD.engaged_ms
    WHERE year = substr(NEW.start_day, 1, 4) AND user_key = NEW.user_key AND site_id = NEW.site_id;
END;

CREATE TRIGGER sessions_user_year_move AFTER UPDATE ON sessions
  WHEN NOT (substr(OLD.start_day, 1, 4) = substr(NEW.start_day, 1, 4) AND OLD.user_key = NEW.user_key AND OLD.site_id = NEW.site_id) BEGIN
  UPDATE user_year SET sessions = sessions - 1, weight_micro = weight_micro - OLD.weight_micro, duration_ms = duration_ms - OLD.duration_ms,
      engaged_ms = engaged_ms - OLD.engaged_ms
    WHERE year = substr(OLD.start_day, 1, 4) AND user_key = OLD.user_key AND site_id = OLD.site_id;
  INSERT INTO user_year (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
    VALUES (substr(NEW.start_day, 1, 4), NEW.user_key, NEW.site_id, 1, NEW.weight_micro, NEW.duration_ms, NEW.engaged_ms)
    ON CONFLICT (year, user_key, site_id) DO UPDATE SET sessions = sessions + 1, weight_micro = weight_micro + excluded.weight_micro,
      duration_ms = duration_ms + excluded.duration_ms, engaged_ms = engaged_ms + excluded.engaged_ms;
END;

CREATE TRIGGER sessions_user_year_delete AFTER DELETE ON sessions BEGIN
  UPDATE user_year SET sessions = sessions - 1, weight_micro = weight_micro - OLD.weight_micro, duration_ms = duration_ms - OLD.duration_ms,
      engaged_ms = engaged_ms - OLD.engaged_ms
    WHERE year = substr(OLD.start_day, 1, 4) AND user_key = OLD.user_key AND site_id = OLD.site_id;
END;
