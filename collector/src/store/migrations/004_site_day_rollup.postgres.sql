-- PostgreSQL twin of 004_site_day_rollup.sqlite.sql: the per-site daily rollup, kept exact by a
-- row trigger in the writing transaction.
CREATE TABLE site_day (
  start_day TEXT NOT NULL,
  site_id   TEXT NOT NULL,
  n         BIGINT NOT NULL,
  w         DOUBLE PRECISION NOT NULL,
  d         BIGINT NOT NULL,
  e         BIGINT NOT NULL,
  short_w   DOUBLE PRECISION NOT NULL,
  b0        DOUBLE PRECISION NOT NULL,
  b1        DOUBLE PRECISION NOT NULL,
  b2        DOUBLE PRECISION NOT NULL,
  b3        DOUBLE PRECISION NOT NULL,
  b4        DOUBLE PRECISION NOT NULL,
  b5        DOUBLE PRECISION NOT NULL,
  b6        DOUBLE PRECISION NOT NULL,
  bw        DOUBLE PRECISION NOT NULL,
  braw      BIGINT NOT NULL,
  tw        DOUBLE PRECISION NOT NULL,
  h0        DOUBLE PRECISION NOT NULL,
  h1        DOUBLE PRECISION NOT NULL,
  h2        DOUBLE PRECISION NOT NULL,
  h3        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (start_day, site_id)
);

CREATE TABLE site_day_band (
  start_day TEXT NOT NULL,
  site_id   TEXT NOT NULL,
  no_band   BIGINT NOT NULL, -- 1 for sessions below every threshold (band NULL), then band is ''
  band      TEXT NOT NULL,
  n         BIGINT NOT NULL,
  w         DOUBLE PRECISION NOT NULL,
  min_e     BIGINT,          -- least engaged_ms of the group's sessions; NULL once it is empty
  PRIMARY KEY (start_day, site_id, no_band, band)
);

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

-- For the trigger: when the least engaged session of a (day, site, band) group is replaced, the new
-- least is one index seek here rather than a scan of the day.
CREATE INDEX sessions_day_band ON sessions (start_day, site_id, band, engaged_ms);

-- One session's share of the rollups, added (sign 1) or taken away (sign -1): the triggers' one body, as
-- SQLite's site_day_change view holds it. A share taken away leaves min_e alone: MIN does not subtract.
CREATE FUNCTION site_day_apply(s sessions, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO site_day AS r (start_day, site_id, n, w, d, e, short_w, b0, b1, b2, b3, b4, b5, b6, bw, braw, tw, h0, h1, h2, h3)
    VALUES (s.start_day, s.site_id,
      sign,
      sign * s.weight,
      sign * s.duration_ms,
      sign * s.engaged_ms,
      sign * CASE WHEN s.engaged_ms < 30000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 0 AND s.duration_ms < 30000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 30000 AND s.duration_ms < 120000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 120000 AND s.duration_ms < 300000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 300000 AND s.duration_ms < 900000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 900000 AND s.duration_ms < 1800000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 1800000 AND s.duration_ms < 3600000 THEN s.weight ELSE 0 END,
      sign * CASE WHEN s.duration_ms >= 3600000 THEN s.weight ELSE 0 END,
      sign * s.break_count * s.weight,
      sign * s.break_count,
      sign * s.break_total_ms * s.weight,
      sign * s.break_lt30s * s.weight,
      sign * s.break_30s_2m * s.weight,
      sign * s.break_2m_10m * s.weight,
      sign * s.break_ge10m * s.weight)
    ON CONFLICT (start_day, site_id) DO UPDATE SET n = r.n + EXCLUDED.n, w = r.w + EXCLUDED.w, d = r.d + EXCLUDED.d, e = r.e + EXCLUDED.e, short_w = r.short_w + EXCLUDED.short_w, b0 = r.b0 + EXCLUDED.b0, b1 = r.b1 + EXCLUDED.b1, b2 = r.b2 + EXCLUDED.b2, b3 = r.b3 + EXCLUDED.b3, b4 = r.b4 + EXCLUDED.b4, b5 = r.b5 + EXCLUDED.b5, b6 = r.b6 + EXCLUDED.b6, bw = r.bw + EXCLUDED.bw, braw = r.braw + EXCLUDED.braw, tw = r.tw + EXCLUDED.tw, h0 = r.h0 + EXCLUDED.h0, h1 = r.h1 + EXCLUDED.h1, h2 = r.h2 + EXCLUDED.h2, h3 = r.h3 + EXCLUDED.h3;
  INSERT INTO site_day_band AS r (start_day, site_id, no_band, band, n, w, min_e)
    VALUES (s.start_day, s.site_id, CASE WHEN s.band IS NULL THEN 1 ELSE 0 END, COALESCE(s.band, ''), sign, sign * s.weight,
      CASE WHEN sign > 0 THEN s.engaged_ms END)
    ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET n = r.n + EXCLUDED.n, w = r.w + EXCLUDED.w,
      min_e = CASE WHEN EXCLUDED.min_e IS NULL THEN r.min_e ELSE LEAST(COALESCE(r.min_e, EXCLUDED.min_e), EXCLUDED.min_e) END;
END
$$;

CREATE FUNCTION sessions_site_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM site_day_apply(OLD, -1);
    -- The row leaving a group may have been its least engaged: then the minimum is read again from
    -- sessions (the replacing row is already in place), one seek in sessions_day_band (IS NULL and =
    -- apart: IS NOT DISTINCT FROM cannot use the index).
    UPDATE site_day_band SET min_e = CASE WHEN OLD.band IS NULL
        THEN (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS NULL)
        ELSE (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band = OLD.band) END
      WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_e;
  END IF;
  PERFORM site_day_apply(NEW, 1);
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_site_day AFTER INSERT OR UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_site_day();
