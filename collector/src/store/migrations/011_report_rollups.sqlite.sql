-- Two rollups for the reports that still read every session of a range (011, "every report under
-- 100 ms at a million sessions"): distinct users for summary, and dwell time per page for pages.
--
-- 1. Distinct users of a date range, for the summary report, from a rollup instead of grouping a year of
-- user_month rows (138 ms in SQLite, 286 ms in PostgreSQL over 1M sessions). Distinct counts do not add
-- up across days, but this does: a user counts once in [a, b] exactly on the first day in the range they
-- were active, which is the one active day in [a, b] whose previous active day is before a. So
--   day_users (start_day, prev_day, users): users active on start_day whose last active day before it is
--   prev_day ('' when none), over all sites (a user on two sites is one user);
--   site_day_users: the same per site;
-- and distinct users in [a, b] = SUM(users) WHERE start_day BETWEEN a AND b AND prev_day < a.
-- user_day holds the active days themselves (sessions started per user, site and day), from which the
-- triggers find the neighbouring active days when a day becomes active or inactive. Everything is
-- kept exact by triggers in the writing transaction, like 002, 004 and 005; rows whose users drop to 0
-- stay (they add nothing), user_day rows are deleted at 0. Counts only: no weights, so every value is an
-- exact integer (as migration 006 made the other rollups).
CREATE TABLE user_day (
  user_key  TEXT    NOT NULL,
  site_id   TEXT    NOT NULL,
  start_day TEXT    NOT NULL,
  sessions  INTEGER NOT NULL, -- sessions of the user that started on the site that day
  PRIMARY KEY (user_key, site_id, start_day)
) WITHOUT ROWID;

CREATE TABLE day_users (
  start_day TEXT    NOT NULL,
  prev_day  TEXT    NOT NULL,
  users     INTEGER NOT NULL,
  PRIMARY KEY (start_day, prev_day)
) WITHOUT ROWID;

CREATE TABLE site_day_users (
  site_id   TEXT    NOT NULL,
  start_day TEXT    NOT NULL,
  prev_day  TEXT    NOT NULL,
  users     INTEGER NOT NULL,
  PRIMARY KEY (site_id, start_day, prev_day)
) WITHOUT ROWID;

INSERT INTO user_day (user_key, site_id, start_day, sessions)
  SELECT user_key, site_id, start_day, COUNT(*) FROM sessions GROUP BY user_key, site_id, start_day;

INSERT INTO day_users (start_day, prev_day, users)
  SELECT start_day, prev_day, COUNT(*) FROM (
    SELECT start_day, COALESCE(LAG(start_day) OVER (PARTITION BY user_key ORDER BY start_day), '') AS prev_day
    FROM (SELECT DISTINCT user_key, start_day FROM user_day)
  ) GROUP BY start_day, prev_day;

INSERT INTO site_day_users (site_id, start_day, prev_day, users)
  SELECT site_id, start_day, prev_day, COUNT(*) FROM (
    SELECT site_id, start_day, COALESCE(LAG(start_day) OVER (PARTITION BY site_id, user_key ORDER BY start_day), '') AS prev_day
    FROM user_day
  ) GROUP BY site_id, start_day, prev_day;

-- A day becoming active (sign 1) or inactive (sign -1) for one user, given its neighbouring active days
-- (prev_day '' when none, next_day NULL when none): the day counts with its previous day, and the next
-- day's previous day becomes this day (or goes back to prev_day). Inserting a row into the view applies it.
CREATE VIEW day_users_change AS SELECT 1 AS sign, start_day, prev_day, NULL AS next_day FROM day_users WHERE 0;

CREATE TRIGGER day_users_change INSTEAD OF INSERT ON day_users_change BEGIN
  INSERT INTO day_users (start_day, prev_day, users) VALUES (NEW.start_day, NEW.prev_day, NEW.sign)
    ON CONFLICT (start_day, prev_day) DO UPDATE SET users = users + excluded.users;
  INSERT INTO day_users (start_day, prev_day, users) SELECT NEW.next_day, NEW.prev_day, -NEW.sign WHERE NEW.next_day IS NOT NULL
    ON CONFLICT (start_day, prev_day) DO UPDATE SET users = users + excluded.users;
  INSERT INTO day_users (start_day, prev_day, users) SELECT NEW.next_day, NEW.start_day, NEW.sign WHERE NEW.next_day IS NOT NULL
    ON CONFLICT (start_day, prev_day) DO UPDATE SET users = users + excluded.users;
END;

CREATE VIEW site_day_users_change AS SELECT 1 AS sign, site_id, start_day, prev_day, NULL AS next_day FROM site_day_users WHERE 0;

CREATE TRIGGER site_day_users_change INSTEAD OF INSERT ON site_day_users_change BEGIN
  INSERT INTO site_day_users (site_id, start_day, prev_day, users) VALUES (NEW.site_id, NEW.start_day, NEW.prev_day, NEW.sign)
    ON CONFLICT (site_id, start_day, prev_day) DO UPDATE SET users = users + excluded.users;
  INSERT INTO site_day_users (site_id, start_day, prev_day, users) SELECT NEW.site_id, NEW.next_day, NEW.prev_day, -NEW.sign WHERE NEW.next_day IS NOT NULL
    ON CONFLICT (site_id, start_day, prev_day) DO UPDATE SET users = users + excluded.users;
  INSERT INTO site_day_users (site_id, start_day, prev_day, users) SELECT NEW.site_id, NEW.next_day, NEW.start_day, NEW.sign WHERE NEW.next_day IS NOT NULL
    ON CONFLICT (site_id, start_day, prev_day) DO UPDATE SET users = users + excluded.users;
END;

-- One session's share of user_day, added (sign 1) or taken away (sign -1). A day changes state for the
-- site when its count goes 0 -> 1 or 1 -> 0, and for all sites when, in addition, no other site has the
-- user that day. The neighbours are read from user_day before it changes (strictly before and after the
-- day, so the day's own row never counts).
CREATE VIEW user_day_change AS SELECT 1 AS sign, user_key, site_id, start_day FROM user_day WHERE 0;

CREATE TRIGGER user_day_change INSTEAD OF INSERT ON user_day_change BEGIN
  INSERT INTO site_day_users_change (sign, site_id, start_day, prev_day, next_day)
    SELECT NEW.sign, NEW.site_id, NEW.start_day,
      COALESCE((SELECT MAX(start_day) FROM user_day WHERE user_key = NEW.user_key AND site_id = NEW.site_id AND start_day < NEW.start_day), ''),
      (SELECT MIN(start_day) FROM user_day WHERE user_key = NEW.user_key AND site_id = NEW.site_id AND start_day > NEW.start_day)
    WHERE COALESCE((SELECT sessions FROM user_day WHERE user_key = NEW.user_key AND site_id = NEW.site_id AND start_day = NEW.start_day), 0) = CASE WHEN NEW.sign > 0 THEN 0 ELSE 1 END;
  INSERT INTO day_users_change (sign, start_day, prev_day, next_day)
    SELECT NEW.sign, NEW.start_day,
      COALESCE((SELECT MAX(start_day) FROM user_day WHERE user_key = NEW.user_key AND start_day < NEW.start_day), ''),
      (SELECT MIN(start_day) FROM user_day WHERE user_key = NEW.user_key AND start_day > NEW.start_day)
    WHERE COALESCE((SELECT SUM(sessions) FROM user_day WHERE user_key = NEW.user_key AND start_day = NEW.start_day), 0) = CASE WHEN NEW.sign > 0 THEN 0 ELSE 1 END;
  INSERT INTO user_day (user_key, site_id, start_day, sessions) VALUES (NEW.user_key, NEW.site_id, NEW.start_day, NEW.sign)
    ON CONFLICT (user_key, site_id, start_day) DO UPDATE SET sessions = sessions + excluded.sessions;
  DELETE FROM user_day WHERE user_key = NEW.user_key AND site_id = NEW.site_id AND start_day = NEW.start_day AND sessions = 0;
END;

CREATE TRIGGER sessions_user_day_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO user_day_change (sign, user_key, site_id, start_day) VALUES (1, NEW.user_key, NEW.site_id, NEW.start_day);
END;

-- A replacement moves the session's share only when it changes user (identify came later) or day.
CREATE TRIGGER sessions_user_day_update AFTER UPDATE ON sessions
  WHEN OLD.user_key IS NOT NEW.user_key OR OLD.site_id IS NOT NEW.site_id OR OLD.start_day IS NOT NEW.start_day BEGIN
  INSERT INTO user_day_change (sign, user_key, site_id, start_day) VALUES (-1, OLD.user_key, OLD.site_id, OLD.start_day);
  INSERT INTO user_day_change (sign, user_key, site_id, start_day) VALUES (1, NEW.user_key, NEW.site_id, NEW.start_day);
END;

CREATE TRIGGER sessions_user_day_delete AFTER DELETE ON sessions BEGIN
  INSERT INTO user_day_change (sign, user_key, site_id, start_day) VALUES (-1, OLD.user_key, OLD.site_id, OLD.start_day);
END;

-- 2. Dwell time per page and day for the pages report, which grouped every page row of the range (three
-- million for a year of a million sessions). One row per (day, site, path) with what the report sums. The
-- page rows carry their weight in millionths and their weighted views and engaged ms rounded once where the
-- row is written (store/queries/write.ts), so the rollup only adds and takes away integers (as 006 does).
-- Triggers on session_pages keep it exact: the store replaces a session's page rows by deleting and
-- inserting them.
ALTER TABLE session_pages ADD COLUMN weight_micro INTEGER NOT NULL DEFAULT 1000000;
ALTER TABLE session_pages ADD COLUMN views_weighted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session_pages ADD COLUMN engaged_ms_weighted INTEGER NOT NULL DEFAULT 0;
UPDATE session_pages SET weight_micro = COALESCE((SELECT weight_micro FROM sessions s WHERE s.site_id = session_pages.site_id AND s.id = session_pages.session_id), 1000000);
UPDATE session_pages SET views_weighted = CAST(round(views * weight_micro / 1000000.0) AS INTEGER), engaged_ms_weighted = CAST(round(engaged_ms * weight_micro / 1000000.0) AS INTEGER);

CREATE TABLE site_day_page (
  start_day           TEXT    NOT NULL,
  site_id             TEXT    NOT NULL,
  path                TEXT    NOT NULL,
  sessions            INTEGER NOT NULL, -- page rows: sessions that showed the page
  weight_micro        INTEGER NOT NULL,
  views_weighted      INTEGER NOT NULL,
  engaged_ms          INTEGER NOT NULL,
  engaged_ms_weighted INTEGER NOT NULL,
  PRIMARY KEY (start_day, site_id, path)
) WITHOUT ROWID;

INSERT INTO site_day_page (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
  SELECT start_day, site_id, path, COUNT(*), SUM(weight_micro), SUM(views_weighted), SUM(engaged_ms), SUM(engaged_ms_weighted)
  FROM session_pages GROUP BY start_day, site_id, path;

-- One page row's share, added (sign 1) or taken away (sign -1), by inserting it into this view.
CREATE VIEW site_day_page_change AS SELECT 1 AS sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted FROM session_pages WHERE 0;

CREATE TRIGGER site_day_page_change INSTEAD OF INSERT ON site_day_page_change BEGIN
  INSERT INTO site_day_page (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (NEW.start_day, NEW.site_id, NEW.path, NEW.sign, NEW.sign * NEW.weight_micro, NEW.sign * NEW.views_weighted, NEW.sign * NEW.engaged_ms, NEW.sign * NEW.engaged_ms_weighted)
    ON CONFLICT (start_day, site_id, path) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
      views_weighted = views_weighted + excluded.views_weighted, engaged_ms = engaged_ms + excluded.engaged_ms, engaged_ms_weighted = engaged_ms_weighted + excluded.engaged_ms_weighted;
END;

CREATE TRIGGER session_pages_day_insert AFTER INSERT ON session_pages BEGIN
  INSERT INTO site_day_page_change (sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (1, NEW.start_day, NEW.site_id, NEW.path, NEW.weight_micro, NEW.views_weighted, NEW.engaged_ms, NEW.engaged_ms_weighted);
END;

CREATE TRIGGER session_pages_day_delete AFTER DELETE ON session_pages BEGIN
  INSERT INTO site_day_page_change (sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (-1, OLD.start_day, OLD.site_id, OLD.path, OLD.weight_micro, OLD.views_weighted, OLD.engaged_ms, OLD.engaged_ms_weighted);
END;

CREATE TRIGGER session_pages_day_update AFTER UPDATE ON session_pages BEGIN
  INSERT INTO site_day_page_change (sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (-1, OLD.start_day, OLD.site_id, OLD.path, OLD.weight_micro, OLD.views_weighted, OLD.engaged_ms, OLD.engaged_ms_weighted);
  INSERT INTO site_day_page_change (sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (1, NEW.start_day, NEW.site_id, NEW.path, NEW.weight_micro, NEW.views_weighted, NEW.engaged_ms, NEW.engaged_ms_weighted);
END;
