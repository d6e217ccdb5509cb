-- Exact rollups with readable columns. Before this, weights (1 / sampleRate) were REAL and the rollups
-- added and took away float shares, so a replacement could leave residue (5 + 1e300 - 1e300 = 0) and
-- one tiny sampleRate made a day Infinity for good. Now:
--   * sessions.weight_micro is the weight as an integer number of millionths (1 / sampleRate * 1e6,
--     rounded). ingest/schemas.ts bounds sampleRate to [MIN_SAMPLE_RATE = 0.001, 1], so it lies in
--     [1e6, 1e9]. The REAL column weight stays, written as before, for readers that want the float.
--   * sessions.break_total_ms_weighted is the session's break total times its weight, in ms, rounded
--     once per row where the row is written (ingest/rows.ts); rollups only ever add whole columns.
--   * Every rollup column is an integer sum of integer row values, so the trigger's additions and
--     subtractions are exact and a rollup equals its recomputation from sessions whatever the order.
--     Columns named *_weight_micro hold weighted counts in millionths; with the bounds on a record
--     (durations <= 30 days, <= 10,000 breaks) and on a site's day (SM_SITE_DAY_SESSIONS <= 900,000)
--     no column can pass 2^63.
-- Rows stored before this whose weight is beyond the bound (a sampleRate below it, or Infinity) are
-- counted at the bound. The old rollups are rebuilt from sessions under their new names.
DROP TRIGGER sessions_user_month_insert;
DROP TRIGGER sessions_user_month_update;
DROP TRIGGER sessions_site_day_insert;
DROP TRIGGER sessions_site_day_replace;
DROP TRIGGER sessions_site_day_update;
DROP TRIGGER site_day_change;
DROP VIEW site_day_change;
DROP TRIGGER sessions_site_user_insert;
DROP TRIGGER sessions_site_user_update;
DROP TRIGGER sessions_site_user_delete;
DROP TABLE user_month;
DROP TABLE site_day;
DROP TABLE site_day_band;
DROP TABLE site_user;

ALTER TABLE sessions ADD COLUMN weight_micro INTEGER NOT NULL DEFAULT 1000000;
ALTER TABLE sessions ADD COLUMN break_total_ms_weighted INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET weight_micro = CASE WHEN weight >= 1000 THEN 1000000000 WHEN weight <= 1 THEN 1000000 ELSE CAST(round(weight * 1000000) AS INTEGER) END;
UPDATE sessions SET break_total_ms_weighted = CAST(round(break_total_ms * (weight_micro / 1000000.0)) AS INTEGER);

-- The per-user report reads the partial months at a range's edges from sessions: the covering index
-- carries the integer weight now.
DROP INDEX sessions_day_user;
CREATE INDEX sessions_day_user ON sessions (start_day, user_key, duration_ms, engaged_ms, weight_micro);

-- Per user and month (POST /api/session-duration over whole months).
CREATE TABLE user_month (
  month        TEXT    NOT NULL, -- YYYY-MM of start_day
  user_key     TEXT    NOT NULL,
  site_id      TEXT    NOT NULL,
  sessions     INTEGER NOT NULL,
  weight_micro INTEGER NOT NULL,
  duration_ms  INTEGER NOT NULL,
  engaged_ms   INTEGER NOT NULL,
  PRIMARY KEY (month, user_key, site_id)
) WITHOUT ROWID;

-- Per site and day (summary, daily, durations, breaks). The duration buckets are those of
-- store/buckets.ts DURATION_BUCKETS; the break buckets those of BREAK_BUCKETS.
CREATE TABLE site_day (
  start_day                      TEXT    NOT NULL,
  site_id                        TEXT    NOT NULL,
  sessions                       INTEGER NOT NULL,
  weight_micro                   INTEGER NOT NULL,
  duration_ms                    INTEGER NOT NULL,
  engaged_ms                     INTEGER NOT NULL,
  short_weight_micro             INTEGER NOT NULL, -- sessions with engaged_ms < 30 s
  duration_lt30s_weight_micro    INTEGER NOT NULL,
  duration_30s_2m_weight_micro   INTEGER NOT NULL,
  duration_2m_5m_weight_micro    INTEGER NOT NULL,
  duration_5m_15m_weight_micro   INTEGER NOT NULL,
  duration_15m_30m_weight_micro  INTEGER NOT NULL,
  duration_30m_1h_weight_micro   INTEGER NOT NULL,
  duration_ge1h_weight_micro     INTEGER NOT NULL,
  breaks                         INTEGER NOT NULL, -- break_count, unweighted
  breaks_weight_micro            INTEGER NOT NULL, -- break_count * weight_micro
  break_total_ms_weighted        INTEGER NOT NULL,
  break_lt30s_weight_micro       INTEGER NOT NULL,
  break_30s_2m_weight_micro      INTEGER NOT NULL,
  break_2m_10m_weight_micro      INTEGER NOT NULL,
  break_ge10m_weight_micro       INTEGER NOT NULL,
  PRIMARY KEY (start_day, site_id)
) WITHOUT ROWID;

-- Per site, day and band (bands report).
CREATE TABLE site_day_band (
  start_day      TEXT    NOT NULL,
  site_id        TEXT    NOT NULL,
  no_band        INTEGER NOT NULL, -- 1 for sessions below every threshold (band NULL), then band is ''
  band           TEXT    NOT NULL,
  sessions       INTEGER NOT NULL,
  weight_micro   INTEGER NOT NULL,
  min_engaged_ms INTEGER,          -- least engaged_ms of the group's sessions; NULL once it is empty
  PRIMARY KEY (start_day, site_id, no_band, band)
) WITHOUT ROWID;

-- Per site and identified user (inactive-users).
CREATE TABLE site_user (
  site_id        TEXT    NOT NULL,
  user_id        TEXT    NOT NULL,
  sessions       INTEGER NOT NULL,
  weight_micro   INTEGER NOT NULL,
  last_active_at INTEGER, -- MAX(last_active_at) of the user's sessions on the site; NULL once it is empty
  PRIMARY KEY (site_id, user_id)
) WITHOUT ROWID;

INSERT INTO user_month (month, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
  SELECT substr(start_day, 1, 7), user_key, site_id, COUNT(*), SUM(weight_micro), SUM(duration_ms), SUM(engaged_ms)
  FROM sessions GROUP BY 1, 2, 3;

INSERT INTO site_day (start_day, site_id, sessions, weight_micro, duration_ms, engaged_ms, short_weight_micro,
    duration_lt30s_weight_micro, duration_30s_2m_weight_micro, duration_2m_5m_weight_micro, duration_5m_15m_weight_micro,
    duration_15m_30m_weight_micro, duration_30m_1h_weight_micro, duration_ge1h_weight_micro,
    breaks, breaks_weight_micro, break_total_ms_weighted,
    break_lt30s_weight_micro, break_30s_2m_weight_micro, break_2m_10m_weight_micro, break_ge10m_weight_micro)
  SELECT start_day, site_id,
    COUNT(*),
    SUM(weight_micro),
    SUM(duration_ms),
    SUM(engaged_ms),
    SUM(CASE WHEN engaged_ms < 30000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms < 30000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 30000 AND duration_ms < 120000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 120000 AND duration_ms < 300000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 300000 AND duration_ms < 900000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 900000 AND duration_ms < 1800000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 1800000 AND duration_ms < 3600000 THEN weight_micro ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 3600000 THEN weight_micro ELSE 0 END),
    SUM(break_count),
    SUM(break_count * weight_micro),
    SUM(break_total_ms_weighted),
    SUM(break_lt30s * weight_micro),
    SUM(break_30s_2m * weight_micro),
    SUM(break_2m_10m * weight_micro),
    SUM(break_ge10m * weight_micro)
  FROM sessions GROUP BY start_day, site_id;

INSERT INTO site_day_band (start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms)
  SELECT start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, ''), COUNT(*), SUM(weight_micro), MIN(engaged_ms)
  FROM sessions GROUP BY start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, '');

INSERT INTO site_user (site_id, user_id, sessions, weight_micro, last_active_at)
  SELECT site_id, user_id, COUNT(*), SUM(weight_micro), MAX(last_active_at)
  FROM sessions WHERE user_id IS NOT NULL GROUP BY site_id, user_id;

-- One session's share of every rollup, added (sign 1) or taken away (sign -1): inserting a session's
-- row with a sign into this view applies it (SQLite has no trigger for INSERT OR UPDATE OR DELETE, so
-- the one body lives here, as PostgreSQL's rollup_apply holds it). A share taken away leaves the MIN and
-- MAX columns alone: the triggers below read them again from sessions when the leaving row held them.
CREATE VIEW rollup_change AS SELECT 1 AS sign, * FROM sessions WHERE 0;

CREATE TRIGGER rollup_change INSTEAD OF INSERT ON rollup_change BEGIN
  INSERT INTO user_month (month, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
    VALUES (substr(NEW.start_day, 1, 7), NEW.user_key, NEW.site_id, NEW.sign, NEW.sign * NEW.weight_micro, NEW.sign * NEW.duration_ms, NEW.sign * NEW.engaged_ms)
    ON CONFLICT (month, user_key, site_id) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
      duration_ms = duration_ms + excluded.duration_ms, engaged_ms = engaged_ms + excluded.engaged_ms;
  INSERT INTO site_day (start_day, site_id, sessions, weight_micro, duration_ms, engaged_ms, short_weight_micro,
      duration_lt30s_weight_micro, duration_30s_2m_weight_micro, duration_2m_5m_weight_micro, duration_5m_15m_weight_micro,
      duration_15m_30m_weight_micro, duration_30m_1h_weight_micro, duration_ge1h_weight_micro,
      breaks, breaks_weight_micro, break_total_ms_weighted,
      break_lt30s_weight_micro, break_30s_2m_weight_micro, break_2m_10m_weight_micro, break_ge10m_weight_micro)
    VALUES (NEW.start_day, NEW.site_id,
      NEW.sign,
      NEW.sign * NEW.weight_micro,
      NEW.sign * NEW.duration_ms,
      NEW.sign * NEW.engaged_ms,
      NEW.sign * CASE WHEN NEW.engaged_ms < 30000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms < 30000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 30000 AND NEW.duration_ms < 120000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 120000 AND NEW.duration_ms < 300000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 300000 AND NEW.duration_ms < 900000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 900000 AND NEW.duration_ms < 1800000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 1800000 AND NEW.duration_ms < 3600000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 3600000 THEN NEW.weight_micro ELSE 0 END,
      NEW.sign * NEW.break_count,
      NEW.sign * NEW.break_count * NEW.weight_micro,
      NEW.sign * NEW.break_total_ms_weighted,
      NEW.sign * NEW.break_lt30s * NEW.weight_micro,
      NEW.sign * NEW.break_30s_2m * NEW.weight_micro,
      NEW.sign * NEW.break_2m_10m * NEW.weight_micro,
      NEW.sign * NEW.break_ge10m * NEW.weight_micro)
    ON CONFLICT (start_day, site_id) DO UPDATE SET
      sessions = sessions + excluded.sessions,
      weight_micro = weight_micro + excluded.weight_micro,
      duration_ms = duration_ms + excluded.duration_ms,
      engaged_ms = engaged_ms + excluded.engaged_ms,
      short_weight_micro = short_weight_micro + excluded.short_weight_micro,
      duration_lt30s_weight_micro = duration_lt30s_weight_micro + excluded.duration_lt30s_weight_micro,
      duration_30s_2m_weight_micro = duration_30s_2m_weight_micro + excluded.duration_30s_2m_weight_micro,
      duration_2m_5m_weight_micro = duration_2m_5m_weight_micro + excluded.duration_2m_5m_weight_micro,
      duration_5m_15m_weight_micro = duration_5m_15m_weight_micro + excluded.duration_5m_15m_weight_micro,
      duration_15m_30m_weight_micro = duration_15m_30m_weight_micro + excluded.duration_15m_30m_weight_micro,
      duration_30m_1h_weight_micro = duration_30m_1h_weight_micro + excluded.duration_30m_1h_weight_micro,
      duration_ge1h_weight_micro = duration_ge1h_weight_micro + excluded.duration_ge1h_weight_micro,
      breaks = breaks + excluded.breaks,
      breaks_weight_micro = breaks_weight_micro + excluded.breaks_weight_micro,
      break_total_ms_weighted = break_total_ms_weighted + excluded.break_total_ms_weighted,
      break_lt30s_weight_micro = break_lt30s_weight_micro + excluded.break_lt30s_weight_micro,
      break_30s_2m_weight_micro = break_30s_2m_weight_micro + excluded.break_30s_2m_weight_micro,
      break_2m_10m_weight_micro = break_2m_10m_weight_micro + excluded.break_2m_10m_weight_micro,
      break_ge10m_weight_micro = break_ge10m_weight_micro + excluded.break_ge10m_weight_micro;
  INSERT INTO site_day_band (start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms)
    VALUES (NEW.start_day, NEW.site_id, CASE WHEN NEW.band IS NULL THEN 1 ELSE 0 END, COALESCE(NEW.band, ''), NEW.sign, NEW.sign * NEW.weight_micro,
      CASE WHEN NEW.sign > 0 THEN NEW.engaged_ms END)
    ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
      min_engaged_ms = CASE WHEN excluded.min_engaged_ms IS NULL THEN min_engaged_ms ELSE min(COALESCE(min_engaged_ms, excluded.min_engaged_ms), excluded.min_engaged_ms) END;
  INSERT INTO site_user (site_id, user_id, sessions, weight_micro, last_active_at)
    SELECT NEW.site_id, NEW.user_id, NEW.sign, NEW.sign * NEW.weight_micro, CASE WHEN NEW.sign > 0 THEN NEW.last_active_at END WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (site_id, user_id) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
      last_active_at = CASE WHEN excluded.last_active_at IS NULL THEN last_active_at ELSE max(COALESCE(last_active_at, excluded.last_active_at), excluded.last_active_at) END;
END;

CREATE TRIGGER sessions_rollup_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO rollup_change SELECT 1, * FROM sessions WHERE site_id = NEW.site_id AND id = NEW.id;
END;

-- A replacement by a higher seq: the stored row's share goes before the row changes, the new one's after.
CREATE TRIGGER sessions_rollup_replace BEFORE UPDATE ON sessions BEGIN
  INSERT INTO rollup_change SELECT -1, * FROM sessions WHERE site_id = OLD.site_id AND id = OLD.id;
END;

CREATE TRIGGER sessions_rollup_update AFTER UPDATE ON sessions BEGIN
  -- The row that left its groups may have held a group's least engaged time or a user's latest activity
  -- (MIN and MAX do not subtract): then they are read again from sessions (the replacing row is already
  -- in place), one seek each in sessions_day_band and sessions_site_user_active.
  UPDATE site_day_band SET min_engaged_ms = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS OLD.band)
    WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_engaged_ms;
  UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
  INSERT INTO rollup_change SELECT 1, * FROM sessions WHERE site_id = NEW.site_id AND id = NEW.id;
END;

-- An operator's delete (the collector itself never deletes): the share leaves every rollup.
CREATE TRIGGER sessions_rollup_remove BEFORE DELETE ON sessions BEGIN
  INSERT INTO rollup_change SELECT -1, * FROM sessions WHERE site_id = OLD.site_id AND id = OLD.id;
END;

CREATE TRIGGER sessions_rollup_delete AFTER DELETE ON sessions BEGIN
  UPDATE site_day_band SET min_engaged_ms = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS OLD.band)
    WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_engaged_ms;
  UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
END;
