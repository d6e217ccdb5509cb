-- Issue 14, PostgreSQL side of 017: the session rollups of 006 and 014 kept by statement triggers instead of
-- a row trigger. A group commit writes its sessions in one statement (store/postgres-batch.ts); the row
-- trigger ran rollup_replace once per row (five to seven statements each, a new version of the day's hot
-- site_day row per session), these run once per statement and upsert each rollup row the statement touched
-- once, with the sum of what its rows added (the transition table `added`) and took away (`removed`), as 015
-- does for the pages. Integers, so the result is the same to the unit (test/store-contract.ts compares every
-- rollup table with its recomputation). Keys in order, so concurrent writers lock rows in one order. The
-- least engaged time of a band and a user's latest activity (MIN and MAX do not subtract) are read again
-- from sessions for every band and user row touched, in a statement after the upsert that locked the row,
-- so that it sees what concurrent writers committed. user_day keeps its row trigger (011): it runs only when
-- a session changes user, site or day, and its neighbouring days need one session at a time.
DROP TRIGGER sessions_rollup ON sessions;
DROP FUNCTION sessions_rollup();
DROP FUNCTION rollup_replace(sessions, sessions);
DROP FUNCTION rollup_apply(sessions, integer);

-- The rows a statement added (sign 1) and took away (sign -1), applied once per rollup row. Static SQL, so its
-- plans are kept per connection.
CREATE FUNCTION rollup_rows(added sessions[], removed sessions[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k record;
  u record;
BEGIN
    INSERT INTO user_month AS r (month, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
      SELECT substr(start_day, 1, 7), user_key, site_id, SUM(sign), SUM(sign * weight_micro), SUM(sign * duration_ms), SUM(sign * engaged_ms)
      FROM (SELECT 1 AS sign, * FROM unnest(added) UNION ALL SELECT -1 AS sign, * FROM unnest(removed)) c GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (month, user_key, site_id) DO UPDATE SET
        sessions = r.sessions + EXCLUDED.sessions,
        weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        duration_ms = r.duration_ms + EXCLUDED.duration_ms,
        engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms;
    INSERT INTO site_day AS r (start_day, site_id, sessions, weight_micro, duration_ms, engaged_ms, short_weight_micro, duration_lt30s_weight_micro, duration_30s_2m_weight_micro, duration_2m_5m_weight_micro, duration_5m_15m_weight_micro, duration_15m_30m_weight_micro, duration_30m_1h_weight_micro, duration_ge1h_weight_micro, breaks, breaks_weight_micro, break_total_ms_weighted, break_lt30s_weight_micro, break_30s_2m_weight_micro, break_2m_10m_weight_micro, break_ge10m_weight_micro)
      SELECT start_day, site_id,
        SUM(sign),
        SUM(sign * weight_micro),
        SUM(sign * duration_ms),
        SUM(sign * engaged_ms),
        SUM(sign * CASE WHEN engaged_ms < 30000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms < 30000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms >= 30000 AND duration_ms < 120000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms >= 120000 AND duration_ms < 300000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms >= 300000 AND duration_ms < 900000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms >= 900000 AND duration_ms < 1800000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms >= 1800000 AND duration_ms < 3600000 THEN weight_micro ELSE 0 END),
        SUM(sign * CASE WHEN duration_ms >= 3600000 THEN weight_micro ELSE 0 END),
        SUM(sign * break_count),
        SUM(sign * break_count * weight_micro),
        SUM(sign * break_total_ms_weighted),
        SUM(sign * break_lt30s * weight_micro),
        SUM(sign * break_30s_2m * weight_micro),
        SUM(sign * break_2m_10m * weight_micro),
        SUM(sign * break_ge10m * weight_micro)
      FROM (SELECT 1 AS sign, * FROM unnest(added) UNION ALL SELECT -1 AS sign, * FROM unnest(removed)) c GROUP BY start_day, site_id ORDER BY start_day, site_id
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
    INSERT INTO site_day_band AS r (start_day, site_id, no_band, band, sessions, weight_micro)
      SELECT start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, ''), SUM(sign), SUM(sign * weight_micro)
      FROM (SELECT 1 AS sign, * FROM unnest(added) UNION ALL SELECT -1 AS sign, * FROM unnest(removed)) c GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET
        sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro;
  -- One statement per row touched, after the upsert above took its lock: each is an index lookup whatever
  -- the size of the group (a join of the group's keys with the table was planned as a scan).
  FOR k IN SELECT DISTINCT start_day, site_id, band FROM (SELECT * FROM unnest(added) UNION ALL SELECT * FROM unnest(removed)) c LOOP
    -- IS NULL and = apart: IS NOT DISTINCT FROM cannot use the index.
    IF k.band IS NULL THEN
      UPDATE site_day_band SET min_engaged_ms = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = k.start_day AND site_id = k.site_id AND band IS NULL)
        WHERE start_day = k.start_day AND site_id = k.site_id AND no_band = 1 AND band = '';
    ELSE
      UPDATE site_day_band SET min_engaged_ms = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = k.start_day AND site_id = k.site_id AND band = k.band)
        WHERE start_day = k.start_day AND site_id = k.site_id AND no_band = 0 AND band = k.band;
    END IF;
  END LOOP;
    INSERT INTO site_user AS r (site_id, user_id, sessions, weight_micro)
      SELECT site_id, user_id, SUM(sign), SUM(sign * weight_micro)
      FROM (SELECT 1 AS sign, * FROM unnest(added) UNION ALL SELECT -1 AS sign, * FROM unnest(removed)) c WHERE user_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (site_id, user_id) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro;
  FOR u IN SELECT DISTINCT site_id, user_id FROM (SELECT * FROM unnest(added) UNION ALL SELECT * FROM unnest(removed)) c WHERE user_id IS NOT NULL LOOP
    UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = u.site_id AND user_id = u.user_id)
      WHERE site_id = u.site_id AND user_id = u.user_id;
  END LOOP;
END
$$;

-- A transition table exists only for the events that have it; plpgsql plans a statement when it first runs it,
-- so each branch names only its own.
CREATE FUNCTION sessions_rollup_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rollup_rows(ARRAY(SELECT ROW(a.*)::sessions FROM added a), '{}');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM rollup_rows('{}', ARRAY(SELECT ROW(r.*)::sessions FROM removed r));
  ELSE
    PERFORM rollup_rows(ARRAY(SELECT ROW(a.*)::sessions FROM added a), ARRAY(SELECT ROW(r.*)::sessions FROM removed r));
  END IF;
  RETURN NULL;
END
$$;

-- One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
CREATE TRIGGER sessions_rollup_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION sessions_rollup_statement();
CREATE TRIGGER sessions_rollup_update AFTER UPDATE ON sessions REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION sessions_rollup_statement();
CREATE TRIGGER sessions_rollup_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION sessions_rollup_statement();
