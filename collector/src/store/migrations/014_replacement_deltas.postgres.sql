-- PostgreSQL twin of 014_replacement_deltas.sqlite.sql (issue 14): a replacement by a higher seq that
-- keeps the session's site, day and user applies one difference, NEW minus OLD, to each rollup row it is in
-- (rollup_replace), instead of rollup_apply(OLD, -1) and rollup_apply(NEW, 1): half the statements, and half
-- the new row versions of the hot rows (a day's site_day row takes one per session written). Integers, so
-- the result is the same to the unit; test/store-contract.ts compares every rollup table with its recomputation.
CREATE FUNCTION rollup_replace(o sessions, n sessions) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE user_month SET
    weight_micro = weight_micro + n.weight_micro - o.weight_micro,
    duration_ms = duration_ms + n.duration_ms - o.duration_ms,
    engaged_ms = engaged_ms + n.engaged_ms - o.engaged_ms
    WHERE month = substr(n.start_day, 1, 7) AND user_key = n.user_key AND site_id = n.site_id;
  UPDATE site_day SET
    weight_micro = weight_micro + (n.weight_micro) - (o.weight_micro),
    duration_ms = duration_ms + (n.duration_ms) - (o.duration_ms),
    engaged_ms = engaged_ms + (n.engaged_ms) - (o.engaged_ms),
    short_weight_micro = short_weight_micro + (CASE WHEN n.engaged_ms < 30000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.engaged_ms < 30000 THEN o.weight_micro ELSE 0 END),
    duration_lt30s_weight_micro = duration_lt30s_weight_micro + (CASE WHEN n.duration_ms < 30000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms < 30000 THEN o.weight_micro ELSE 0 END),
    duration_30s_2m_weight_micro = duration_30s_2m_weight_micro + (CASE WHEN n.duration_ms >= 30000 AND n.duration_ms < 120000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms >= 30000 AND o.duration_ms < 120000 THEN o.weight_micro ELSE 0 END),
    duration_2m_5m_weight_micro = duration_2m_5m_weight_micro + (CASE WHEN n.duration_ms >= 120000 AND n.duration_ms < 300000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms >= 120000 AND o.duration_ms < 300000 THEN o.weight_micro ELSE 0 END),
    duration_5m_15m_weight_micro = duration_5m_15m_weight_micro + (CASE WHEN n.duration_ms >= 300000 AND n.duration_ms < 900000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms >= 300000 AND o.duration_ms < 900000 THEN o.weight_micro ELSE 0 END),
    duration_15m_30m_weight_micro = duration_15m_30m_weight_micro + (CASE WHEN n.duration_ms >= 900000 AND n.duration_ms < 1800000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms >= 900000 AND o.duration_ms < 1800000 THEN o.weight_micro ELSE 0 END),
    duration_30m_1h_weight_micro = duration_30m_1h_weight_micro + (CASE WHEN n.duration_ms >= 1800000 AND n.duration_ms < 3600000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms >= 1800000 AND o.duration_ms < 3600000 THEN o.weight_micro ELSE 0 END),
    duration_ge1h_weight_micro = duration_ge1h_weight_micro + (CASE WHEN n.duration_ms >= 3600000 THEN n.weight_micro ELSE 0 END) - (CASE WHEN o.duration_ms >= 3600000 THEN o.weight_micro ELSE 0 END),
    breaks = breaks + (n.break_count) - (o.break_count),
    breaks_weight_micro = breaks_weight_micro + (n.break_count * n.weight_micro) - (o.break_count * o.weight_micro),
    break_total_ms_weighted = break_total_ms_weighted + (n.break_total_ms_weighted) - (o.break_total_ms_weighted),
    break_lt30s_weight_micro = break_lt30s_weight_micro + (n.break_lt30s * n.weight_micro) - (o.break_lt30s * o.weight_micro),
    break_30s_2m_weight_micro = break_30s_2m_weight_micro + (n.break_30s_2m * n.weight_micro) - (o.break_30s_2m * o.weight_micro),
    break_2m_10m_weight_micro = break_2m_10m_weight_micro + (n.break_2m_10m * n.weight_micro) - (o.break_2m_10m * o.weight_micro),
    break_ge10m_weight_micro = break_ge10m_weight_micro + (n.break_ge10m * n.weight_micro) - (o.break_ge10m * o.weight_micro)
    WHERE start_day = n.start_day AND site_id = n.site_id;
  -- The band may change as a session grows: OLD's share leaves its band's row (taking the row lock first,
  -- then reading the least engaged time again when OLD held it, as sessions_rollup does) and NEW's joins its
  -- own (the same row when the band stayed, then the count is unchanged).
  UPDATE site_day_band SET sessions = sessions - CASE WHEN o.band IS NOT DISTINCT FROM n.band THEN 0 ELSE 1 END, weight_micro = weight_micro - o.weight_micro
    WHERE start_day = o.start_day AND site_id = o.site_id AND no_band = CASE WHEN o.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(o.band, '');
  UPDATE site_day_band SET min_engaged_ms = CASE WHEN o.band IS NULL
      THEN (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = o.start_day AND site_id = o.site_id AND band IS NULL)
      ELSE (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = o.start_day AND site_id = o.site_id AND band = o.band) END
    WHERE start_day = o.start_day AND site_id = o.site_id AND no_band = CASE WHEN o.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(o.band, '') AND o.engaged_ms <= min_engaged_ms;
  INSERT INTO site_day_band AS r (start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms)
    VALUES (n.start_day, n.site_id, CASE WHEN n.band IS NULL THEN 1 ELSE 0 END, COALESCE(n.band, ''), CASE WHEN o.band IS NOT DISTINCT FROM n.band THEN 0 ELSE 1 END, n.weight_micro, n.engaged_ms)
    ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
      min_engaged_ms = LEAST(COALESCE(r.min_engaged_ms, EXCLUDED.min_engaged_ms), EXCLUDED.min_engaged_ms);
  IF n.user_id IS NOT NULL THEN
    -- NEW's latest activity folded in first (this takes the row lock): when it is later than OLD's, the
    -- condition below is false and it stands; otherwise, when OLD held the latest, it is read again.
    UPDATE site_user SET weight_micro = weight_micro + n.weight_micro - o.weight_micro,
      last_active_at = GREATEST(COALESCE(last_active_at, n.last_active_at), n.last_active_at)
      WHERE site_id = n.site_id AND user_id = n.user_id;
    UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = o.site_id AND user_id = o.user_id)
      WHERE site_id = o.site_id AND user_id = o.user_id AND o.last_active_at >= last_active_at;
  END IF;
END
$$;

-- As in 006, with the same-key replacement first.
CREATE OR REPLACE FUNCTION sessions_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.site_id = NEW.site_id AND OLD.start_day = NEW.start_day AND OLD.user_key = NEW.user_key AND OLD.user_id IS NOT DISTINCT FROM NEW.user_id THEN
    PERFORM rollup_replace(OLD, NEW);
    RETURN NULL;
  END IF;
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
