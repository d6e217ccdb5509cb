-- Per-site daily rollup for the range reports (summary, daily, durations, breaks, bands): a year-long
-- range reads 365 rows per site from here instead of every session (0.3-1 s over 1M sessions). It holds
-- what the reports sum: counts and weighted counts (weight = 1/sampleRate), duration and engaged totals
-- for the plain means, the weighted short-session count, the weighted counts per duration bucket of
-- reports/compute.ts DURATION_BUCKETS (other bounds are read from sessions), break sums and histogram;
-- site_day_band the weighted count and least engaged time per band.
-- Triggers keep both exact as sessions are inserted and replaced by a higher seq, inside the same
-- transaction as the write (as 002 does for user_month). Rows whose n drops to 0 stay; queries skip them.
CREATE TABLE site_day (
  start_day TEXT NOT NULL,
  site_id   TEXT NOT NULL,
  n         INTEGER NOT NULL,
  w         REAL NOT NULL,
  d         INTEGER NOT NULL,
  e         INTEGER NOT NULL,
  short_w   REAL NOT NULL,
  b0        REAL NOT NULL,
  b1        REAL NOT NULL,
  b2        REAL NOT NULL,
  b3        REAL NOT NULL,
  b4        REAL NOT NULL,
  b5        REAL NOT NULL,
  b6        REAL NOT NULL,
  bw        REAL NOT NULL,
  braw      INTEGER NOT NULL,
  tw        REAL NOT NULL,
  h0        REAL NOT NULL,
  h1        REAL NOT NULL,
  h2        REAL NOT NULL,
  h3        REAL NOT NULL,
  PRIMARY KEY (start_day, site_id)
) WITHOUT ROWID;

CREATE TABLE site_day_band (
  start_day TEXT NOT NULL,
  site_id   TEXT NOT NULL,
  no_band   INTEGER NOT NULL, -- 1 for sessions below every threshold (band NULL), then band is ''
  band      TEXT NOT NULL,
  n         INTEGER NOT NULL,
  w         REAL NOT NULL,
  min_e     INTEGER,          -- least engaged_ms of the group's sessions; NULL once it is empty
  PRIMARY KEY (start_day, site_id, no_band, band)
) WITHOUT ROWID;

INSERT INTO site_day (start_day, site_id, n, w, d, e, short_w, b0, b1, b2, b3, b4, b5, b6, bw, braw, tw, h0, h1, h2, h3)
  SELECT start_day, site_id,
    COUNT(*),
    SUM(weight),
    SUM(duration_ms),
    SUM(engaged_ms),
    SUM(CASE WHEN engaged_ms < 30000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 0 AND duration_ms < 30000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 30000 AND duration_ms < 120000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 120000 AND duration_ms < 300000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 300000 AND duration_ms < 900000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 900000 AND duration_ms < 1800000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 1800000 AND duration_ms < 3600000 THEN weight ELSE 0 END),
    SUM(CASE WHEN duration_ms >= 3600000 THEN weight ELSE 0 END),
    SUM(break_count * weight),
    SUM(break_count),
    SUM(break_total_ms * weight),
    SUM(break_lt30s * weight),
    SUM(break_30s_2m * weight),
    SUM(break_2m_10m * weight),
    SUM(break_ge10m * weight)
  FROM sessions GROUP BY start_day, site_id;

INSERT INTO site_day_band (start_day, site_id, no_band, band, n, w, min_e)
  SELECT start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, ''), COUNT(*), SUM(weight), MIN(engaged_ms)
  FROM sessions GROUP BY start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, '');

-- For the triggers: when the least engaged session of a (day, site, band) group is replaced, the new
-- least is one index seek here rather than a scan of the day (which made ingest twice as slow).
CREATE INDEX sessions_day_band ON sessions (start_day, site_id, band, engaged_ms);

-- One session's share of the rollups, added (sign 1) or taken away (sign -1): inserting a session's row
-- with a sign into this view applies it. It holds the triggers' one body, as PostgreSQL's function does
-- (SQLite has no trigger for INSERT OR UPDATE). A share taken away leaves min_e alone: MIN does not subtract.
CREATE VIEW site_day_change AS SELECT 1 AS sign, * FROM sessions WHERE 0;

CREATE TRIGGER site_day_change INSTEAD OF INSERT ON site_day_change BEGIN
  INSERT INTO site_day (start_day, site_id, n, w, d, e, short_w, b0, b1, b2, b3, b4, b5, b6, bw, braw, tw, h0, h1, h2, h3)
    VALUES (NEW.start_day, NEW.site_id,
      NEW.sign,
      NEW.sign * NEW.weight,
      NEW.sign * NEW.duration_ms,
      NEW.sign * NEW.engaged_ms,
      NEW.sign * CASE WHEN NEW.engaged_ms < 30000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 0 AND NEW.duration_ms < 30000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 30000 AND NEW.duration_ms < 120000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 120000 AND NEW.duration_ms < 300000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 300000 AND NEW.duration_ms < 900000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 900000 AND NEW.duration_ms < 1800000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 1800000 AND NEW.duration_ms < 3600000 THEN NEW.weight ELSE 0 END,
      NEW.sign * CASE WHEN NEW.duration_ms >= 3600000 THEN NEW.weight ELSE 0 END,
      NEW.sign * NEW.break_count * NEW.weight,
      NEW.sign * NEW.break_count,
      NEW.sign * NEW.break_total_ms * NEW.weight,
      NEW.sign * NEW.break_lt30s * NEW.weight,
      NEW.sign * NEW.break_30s_2m * NEW.weight,
      NEW.sign * NEW.break_2m_10m * NEW.weight,
      NEW.sign * NEW.break_ge10m * NEW.weight)
    ON CONFLICT (start_day, site_id) DO UPDATE SET n = n + excluded.n, w = w + excluded.w, d = d + excluded.d, e = e + excluded.e, short_w = short_w + excluded.short_w, b0 = b0 + excluded.b0, b1 = b1 + excluded.b1, b2 = b2 + excluded.b2, b3 = b3 + excluded.b3, b4 = b4 + excluded.b4, b5 = b5 + excluded.b5, b6 = b6 + excluded.b6, bw = bw + excluded.bw, braw = braw + excluded.braw, tw = tw + excluded.tw, h0 = h0 + excluded.h0, h1 = h1 + excluded.h1, h2 = h2 + excluded.h2, h3 = h3 + excluded.h3;
  INSERT INTO site_day_band (start_day, site_id, no_band, band, n, w, min_e)
    VALUES (NEW.start_day, NEW.site_id, CASE WHEN NEW.band IS NULL THEN 1 ELSE 0 END, COALESCE(NEW.band, ''), NEW.sign, NEW.sign * NEW.weight,
      CASE WHEN NEW.sign > 0 THEN NEW.engaged_ms END)
    ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET n = n + excluded.n, w = w + excluded.w,
      min_e = CASE WHEN excluded.min_e IS NULL THEN min_e ELSE min(COALESCE(min_e, excluded.min_e), excluded.min_e) END;
END;

CREATE TRIGGER sessions_site_day_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO site_day_change SELECT 1, * FROM sessions WHERE site_id = NEW.site_id AND id = NEW.id;
END;

-- A replacement by a higher seq: the stored row's share goes before the row changes, the new one's after.
CREATE TRIGGER sessions_site_day_replace BEFORE UPDATE ON sessions BEGIN
  INSERT INTO site_day_change SELECT -1, * FROM sessions WHERE site_id = OLD.site_id AND id = OLD.id;
END;

CREATE TRIGGER sessions_site_day_update AFTER UPDATE ON sessions BEGIN
  -- The row that left a group may have been its least engaged: then the minimum is read again from
  -- sessions (the replacing row is already in place), one seek in sessions_day_band.
  UPDATE site_day_band SET min_e = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS OLD.band)
    WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_e;
  INSERT INTO site_day_change SELECT 1, * FROM sessions WHERE site_id = NEW.site_id AND id = NEW.id;
END;
