-- PostgreSQL twin of 006_exact_rollups.sqlite.sql (same tables and columns, BIGINT; one trigger function).
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
DROP TRIGGER sessions_user_month ON sessions;
DROP FUNCTION sessions_user_month();
DROP TRIGGER sessions_site_day ON sessions;
DROP FUNCTION sessions_site_day();
DROP FUNCTION site_day_apply(sessions, integer);
DROP TRIGGER sessions_site_user ON sessions;
DROP FUNCTION sessions_site_user();
DROP TABLE user_month;
DROP TABLE site_day;
DROP TABLE site_day_band;
DROP TABLE site_user;

ALTER TABLE sessions ADD COLUMN weight_micro BIGINT NOT NULL DEFAULT 1000000;
ALTER TABLE sessions ADD COLUMN break_total_ms_weighted BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET weight_micro = CASE WHEN weight >= 1000 OR weight = 'NaN' THEN 1000000000 WHEN weight <= 1 THEN 1000000 ELSE round(weight * 1000000)::bigint END;
UPDATE sessions SET break_total_ms_weighted = round(break_total_ms::numeric * weight_micro / 1000000)::bigint;

DROP INDEX sessions_day_user;
CREATE INDEX sessions_day_user ON sessions (start_day) INCLUDE (user_key, duration_ms, engaged_ms, weight_micro);

-- The reports sum rollup rows with TOTAL (store/queries/read.ts), which SQLite has built in: a sum that
-- never fails on overflow. Here it is a sum in numeric, exact at any size (SUM(bigint) is numeric too,
-- but the read SQL is shared); 0 for no rows, as SQLite's.
CREATE AGGREGATE total(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0');

-- Per user and month (POST /api/session-duration over whole months).
CREATE TABLE user_month (
  month        TEXT    NOT NULL, -- YYYY-MM of start_day
  user_key     TEXT    NOT NULL,
  site_id      TEXT    NOT NULL,
  sessions     BIGINT NOT NULL,
  weight_micro BIGINT NOT NULL,
  duration_ms  BIGINT NOT NULL,
  engaged_ms   BIGINT NOT NULL,
  PRIMARY KEY (month, user_key, site_id)
);

-- Per site and day (summary, daily, durations, breaks). The duration buckets are those of
-- store/buckets.ts DURATION_BUCKETS; the break buckets those of BREAK_BUCKETS.
CREATE TABLE site_day (
  start_day                      TEXT    NOT NULL,
  site_id                        TEXT    NOT NULL,
  sessions                       BIGINT NOT NULL,
  weight_micro                   BIGINT NOT NULL,
  duration_ms                    BIGINT NOT NULL,
  engaged_ms                     BIGINT NOT NULL,
  short_weight_micro             BIGINT NOT NULL, -- sessions with engaged_ms < 30 s
  duration_lt30s_weight_micro    BIGINT NOT NULL,
  duration_30s_2m_weight_micro   BIGINT NOT NULL,
  duration_2m_5m_weight_micro    BIGINT NOT NULL,
  duration_5m_15m_weight_micro   BIGINT NOT NULL,
  duration_15m_30m_weight_micro  BIGINT NOT NULL,
  duration_30m_1h_weight_micro   BIGINT NOT NULL,
  duration_ge1h_weight_micro     BIGINT NOT NULL,
  breaks                         BIGINT NOT NULL, -- break_count, unweighted
  breaks_weight_micro            BIGINT NOT NULL, -- break_count * weight_micro
  break_total_ms_weighted        BIGINT NOT NULL,
  break_lt30s_weight_micro       BIGINT NOT NULL,
  break_30s_2m_weight_micro      BIGINT NOT NULL,
  break_2m_10m_weight_micro      BIGINT NOT NULL,
  break_ge10m_weight_micro       BIGINT NOT NULL,
  PRIMARY KEY (start_day, site_id)
);

-- Per site, day and band (bands report).
CREATE TABLE site_day_band (
  start_day      TEXT    NOT NULL,
  site_id        TEXT    NOT NULL,
  no_band        BIGINT NOT NULL, -- 1 for sessions below every threshold (band NULL), then band is ''
  band           TEXT    NOT NULL,
  sessions       BIGINT NOT NULL,
  weight_micro   BIGINT NOT NULL,
  min_engaged_ms BIGINT,          -- least engaged_ms of the group's sessions; NULL once it is empty
  PRIMARY KEY (start_day, site_id, no_band, band)
);

-- Per site and identified user (inactive-users).
CREATE TABLE site_user (
  site_id        TEXT    NOT NULL,
  user_id        TEXT    NOT NULL,
  sessions       BIGINT NOT NULL,
  weight_micro   BIGINT NOT NULL,
  last_active_at BIGINT, -- MAX(last_active_at) of the user's sessions on the site; NULL once it is empty
  PRIMARY KEY (site_id, user_id)
);

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

-- One session's share of every rollup, added (sign 1) or taken away (sign -1): the trigger's one body,
-- as SQLite's rollup_change view holds it. A share taken away leaves the MIN and MAX columns alone: the
-- trigger reads them again from sessions when the leaving row held them.
CREATE FUNCTION rollup_apply(s sessions, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_month AS r (month, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
    VALUES (substr(s.start_day, 1, 7), s.user_key, s.site_id, sign, sign * s.weight_micro, sign * s.duration_ms, sign * s.engaged_ms)
    ON CONFLICT (month, user_key, site_id) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
      duration_ms = r.duration_ms + EXCLUDED.duration_ms, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms;
  INSERT INTO site_day AS r (start_day, site_id, sessions, weight_micro, duration_ms, engaged_ms, short_weight_micro,
      duration_lt30s_weight_micro, duration_30s_2m_weight_micro, duration_2m_5m_weight_micro, duration_5m_15m_weight_micro,
      duration_15m_30m_weight_micro, duration_30m_1h_weight_micro, duration_ge1h_weight_micro,
      breaks, breaks_weight_micro, break_total_ms_weighted,
      break_lt30s_weight_micro, break_30s_2m_weight_micro, break_2m_10m_weight_micro, break_ge10m_weight_micro)
    VALUES (s.start_day, s.site_id,
      sign,
      sign * s.weight_micro,
      sign * s.duration_ms,
      sign * s.engaged_ms,
      sign * CASE WHEN s.engaged_ms < 30000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms < 30000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 30000 AND s.duration_ms < 120000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 120000 AND s.duration_ms < 300000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 300000 AND s.duration_ms < 900000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 900000 AND s.duration_ms < 1800000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 1800000 AND s.duration_ms < 3600000 THEN s.weight_micro ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 3600000 THEN s.weight_micro ELSE 0 END,
      sign * s.break_count,
      sign * s.break_count * s.weight_micro,
      sign * s.break_total_ms_weighted,
      sign * s.break_lt30s * s.weight_micro,
      sign * s.break_30s_2m * s.weight_micro,
      sign * s.break_2m_10m * s.weight_micro,
      sign * s.break_ge10m * s.weight_micro)
    ON CONFLICT (start_day, site_id) DO UPDATE SET
      sessions = r.sessions + EXCLUDED.sessions,
      weight_micro = r.weight_micro + EXCLUDED.weight_micro,
      duration_ms = r.duration_ms + EXCLUDED.duration_ms,
      engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms,
      short_weight_micro = r.short_weight_micro + EXCLUDED.short_weight_micro,
      duration_lt30s_weight_micro = r.duration_lt30s_weight_micro + EXCLUDED.duration_lt30s_weight_micro,
      duration_30s_2m_weight_micro = r.duration_30s_2m_weight_micro + EXCLUDED.duration_30s_2m_weight_micro,
      duration_2m_5m_weight_micro = r.duration_2m_5m_weight_micro + EXCLUDED.duration_2m_5m_weight_micro,
      duration_5m_15m_weight_micro = r.duration_5m_15m_weight_micro + EXCLUDED.duration_5m_15m_weight_micro,
      duration_15m_30m_weight_micro = r.duration_15m_30m_weight_micro + EXCLUDED.duration_15m_30m_weight_micro,
      duration_30m_1h_weight_micro = r.duration_30m_1h_weight_micro + EXCLUDED.duration_30m_1h_weight_micro,
      duration_ge1h_weight_micro = r.duration_ge1h_weight_micro + EXCLUDED.duration_ge1h_weight_micro,
      breaks = r.breaks + EXCLUDED.breaks,
      breaks_weight_micro = r.breaks_weight_micro + EXCLUDED.breaks_weight_micro,
      break_total_ms_weighted = r.break_total_ms_weighted + EXCLUDED.break_total_ms_weighted,
      break_lt30s_weight_micro = r.break_lt30s_weight_micro + EXCLUDED.break_lt30s_weight_micro,
      break_30s_2m_weight_micro = r.break_30s_2m_weight_micro + EXCLUDED.break_30s_2m_weight_micro,
      break_2m_10m_weight_micro = r.break_2m_10m_weight_micro + EXCLUDED.break_2m_10m_weight_micro,
      break_ge10m_weight_micro = r.break_ge10m_weight_micro + EXCLUDED.break_ge10m_weight_micro;
  INSERT INTO site_day_band AS r (start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms)
    VALUES (s.start_day, s.site_id, CASE WHEN s.band IS NULL THEN 1 ELSE 0 END, COALESCE(s.band, ''), sign, sign * s.weight_micro,
      CASE WHEN sign > 0 THEN s.engaged_ms END)
    ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
      min_engaged_ms = CASE WHEN EXCLUDED.min_engaged_ms IS NULL THEN r.min_engaged_ms ELSE LEAST(COALESCE(r.min_engaged_ms, EXCLUDED.min_engaged_ms), EXCLUDED.min_engaged_ms) END;
  IF s.user_id IS NOT NULL THEN
    INSERT INTO site_user AS r (site_id, user_id, sessions, weight_micro, last_active_at)
      VALUES (s.site_id, s.user_id, sign, sign * s.weight_micro, CASE WHEN sign > 0 THEN s.last_active_at END)
      ON CONFLICT (site_id, user_id) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        last_active_at = CASE WHEN EXCLUDED.last_active_at IS NULL THEN r.last_active_at ELSE GREATEST(COALESCE(r.last_active_at, EXCLUDED.last_active_at), EXCLUDED.last_active_at) END;
  END IF;
END
$$;

CREATE FUNCTION sessions_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM rollup_apply(OLD, -1);
    -- The row leaving may have held its group's least engaged time or its user's latest activity (MIN
    -- and MAX do not subtract): then they are read again from sessions (a replacing row is already in
    -- place). Statements of their own, after rollup_apply took the row locks, so that they see what
    -- concurrent writers committed. IS NULL and = apart: IS NOT DISTINCT FROM cannot use the index.
    UPDATE site_day_band SET min_engaged_ms = CASE WHEN OLD.band IS NULL
        THEN (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS NULL)
        ELSE (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band = OLD.band) END
      WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_engaged_ms;
    IF OLD.user_id IS NOT NULL THEN
      UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
        WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM rollup_apply(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_rollup AFTER INSERT OR UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_rollup();
