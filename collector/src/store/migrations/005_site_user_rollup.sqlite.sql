-- Per (site, identified user) rollup for GET /api/reports/inactive-users: the user's latest
-- last_active_at and the weighted count of their sessions, so that the report reads one row per site
-- and user instead of grouping every session (0.5-1.3 s over 1M sessions in the benchmark).
-- Triggers keep it exact as sessions are inserted, replaced by a higher seq (which may move a session
-- to another user: identify comes later) and deleted, inside the same transaction as the write (as 002
-- and 004 do). Sessions without user_id are not counted. Rows whose n drops to 0 stay; queries skip them.
CREATE TABLE site_user (
  site_id TEXT    NOT NULL,
  user_id TEXT    NOT NULL,
  n       INTEGER NOT NULL,
  w       REAL    NOT NULL,
  last_active_at INTEGER, -- MAX(last_active_at) of the user's sessions on the site; NULL once it is empty
  PRIMARY KEY (site_id, user_id)
) WITHOUT ROWID;

INSERT INTO site_user (site_id, user_id, n, w, last_active_at)
  SELECT site_id, user_id, COUNT(*), SUM(weight), MAX(last_active_at)
  FROM sessions WHERE user_id IS NOT NULL GROUP BY site_id, user_id;

-- The report no longer scans sessions by user (003's index was for that). What the triggers need is the
-- user's latest session on a site when the one that held it is replaced or deleted: one seek here.
DROP INDEX sessions_user_active;
CREATE INDEX sessions_site_user_active ON sessions (site_id, user_id, last_active_at) WHERE user_id IS NOT NULL;

CREATE TRIGGER sessions_site_user_insert AFTER INSERT ON sessions WHEN NEW.user_id IS NOT NULL BEGIN
  INSERT INTO site_user (site_id, user_id, n, w, last_active_at)
    VALUES (NEW.site_id, NEW.user_id, 1, NEW.weight, NEW.last_active_at)
    ON CONFLICT (site_id, user_id) DO UPDATE SET n = n + 1, w = w + excluded.w, last_active_at = max(COALESCE(last_active_at, excluded.last_active_at), excluded.last_active_at);
END;

CREATE TRIGGER sessions_site_user_update AFTER UPDATE ON sessions BEGIN
  UPDATE site_user SET n = n - 1, w = w - OLD.weight
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id;
  -- The row leaving may have held the user's latest activity (MAX does not subtract): then it is read
  -- again from sessions (the replacing row is already in place), one seek in sessions_site_user_active.
  UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
  INSERT INTO site_user (site_id, user_id, n, w, last_active_at)
    SELECT NEW.site_id, NEW.user_id, 1, NEW.weight, NEW.last_active_at WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (site_id, user_id) DO UPDATE SET n = n + 1, w = w + excluded.w, last_active_at = max(COALESCE(last_active_at, excluded.last_active_at), excluded.last_active_at);
END;

CREATE TRIGGER sessions_site_user_delete AFTER DELETE ON sessions WHEN OLD.user_id IS NOT NULL BEGIN
  UPDATE site_user SET n = n - 1, w = w - OLD.weight
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id;
  UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
END;
