-- Issue 14: a replacement by a higher seq that keeps the session's keys (site, day and user: what a
-- cumulative snapshot nearly always does) applies one difference, NEW minus OLD, to each rollup row it is
-- in, instead of taking the old share away and adding the new one (two reads of the session row and eight
-- upserts, the larger part of a write's statements). Integers, so the result is the same to the unit;
-- test/store-contract.ts compares every rollup table with its recomputation. A replacement that moves the
-- session to another key keeps the triggers of 006 (now limited to it by their WHEN).
DROP TRIGGER sessions_rollup_replace;
DROP TRIGGER sessions_rollup_update;

CREATE TRIGGER sessions_rollup_replace BEFORE UPDATE ON sessions
  WHEN NOT (OLD.site_id = NEW.site_id AND OLD.start_day = NEW.start_day AND OLD.user_key = NEW.user_key AND OLD.user_id IS NEW.user_id) BEGIN
  INSERT INTO rollup_change SELECT -1, * FROM sessions WHERE site_id = OLD.site_id AND id = OLD.id;
END;

CREATE TRIGGER sessions_rollup_update AFTER UPDATE ON sessions
  WHEN NOT (OLD.site_id = NEW.site_id AND OLD.start_day = NEW.start_day AND OLD.user_key = NEW.user_key AND OLD.user_id IS NEW.user_id) BEGIN
  UPDATE site_day_band SET min_engaged_ms = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS OLD.band)
    WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_engaged_ms;
  UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
  INSERT INTO rollup_change SELECT 1, * FROM sessions WHERE site_id = NEW.site_id AND id = NEW.id;
END;

-- The rows exist (they hold OLD's share), so plain UPDATEs; the session count does not change. The least
-- engaged time and the latest activity are read again from sessions when OLD held them (the replacing row
-- is in place, so the answer includes it), then NEW's value is folded in as an added share's is.
CREATE TRIGGER sessions_rollup_delta AFTER UPDATE ON sessions
  WHEN OLD.site_id = NEW.site_id AND OLD.start_day = NEW.start_day AND OLD.user_key = NEW.user_key AND OLD.user_id IS NEW.user_id BEGIN
  UPDATE user_month SET
    weight_micro = weight_micro + NEW.weight_micro - OLD.weight_micro,
    duration_ms = duration_ms + NEW.duration_ms - OLD.duration_ms,
    engaged_ms = engaged_ms + NEW.engaged_ms - OLD.engaged_ms
    WHERE month = substr(NEW.start_day, 1, 7) AND user_key = NEW.user_key AND site_id = NEW.site_id;
  UPDATE site_day SET
    weight_micro = weight_micro + (NEW.weight_micro) - (OLD.weight_micro),
    duration_ms = duration_ms + (NEW.duration_ms) - (OLD.duration_ms),
    engaged_ms = engaged_ms + (NEW.engaged_ms) - (OLD.engaged_ms),
    short_weight_micro = short_weight_micro + (CASE WHEN NEW.engaged_ms < 30000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.engaged_ms < 30000 THEN OLD.weight_micro ELSE 0 END),
    duration_lt30s_weight_micro = duration_lt30s_weight_micro + (CASE WHEN NEW.duration_ms < 30000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms < 30000 THEN OLD.weight_micro ELSE 0 END),
    duration_30s_2m_weight_micro = duration_30s_2m_weight_micro + (CASE WHEN NEW.duration_ms >= 30000 AND NEW.duration_ms < 120000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms >= 30000 AND OLD.duration_ms < 120000 THEN OLD.weight_micro ELSE 0 END),
    duration_2m_5m_weight_micro = duration_2m_5m_weight_micro + (CASE WHEN NEW.duration_ms >= 120000 AND NEW.duration_ms < 300000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms >= 120000 AND OLD.duration_ms < 300000 THEN OLD.weight_micro ELSE 0 END),
    duration_5m_15m_weight_micro = duration_5m_15m_weight_micro + (CASE WHEN NEW.duration_ms >= 300000 AND NEW.duration_ms < 900000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms >= 300000 AND OLD.duration_ms < 900000 THEN OLD.weight_micro ELSE 0 END),
    duration_15m_30m_weight_micro = duration_15m_30m_weight_micro + (CASE WHEN NEW.duration_ms >= 900000 AND NEW.duration_ms < 1800000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms >= 900000 AND OLD.duration_ms < 1800000 THEN OLD.weight_micro ELSE 0 END),
    duration_30m_1h_weight_micro = duration_30m_1h_weight_micro + (CASE WHEN NEW.duration_ms >= 1800000 AND NEW.duration_ms < 3600000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms >= 1800000 AND OLD.duration_ms < 3600000 THEN OLD.weight_micro ELSE 0 END),
    duration_ge1h_weight_micro = duration_ge1h_weight_micro + (CASE WHEN NEW.duration_ms >= 3600000 THEN NEW.weight_micro ELSE 0 END) - (CASE WHEN OLD.duration_ms >= 3600000 THEN OLD.weight_micro ELSE 0 END),
    breaks = breaks + (NEW.break_count) - (OLD.break_count),
    breaks_weight_micro = breaks_weight_micro + (NEW.break_count * NEW.weight_micro) - (OLD.break_count * OLD.weight_micro),
    break_total_ms_weighted = break_total_ms_weighted + (NEW.break_total_ms_weighted) - (OLD.break_total_ms_weighted),
    break_lt30s_weight_micro = break_lt30s_weight_micro + (NEW.break_lt30s * NEW.weight_micro) - (OLD.break_lt30s * OLD.weight_micro),
    break_30s_2m_weight_micro = break_30s_2m_weight_micro + (NEW.break_30s_2m * NEW.weight_micro) - (OLD.break_30s_2m * OLD.weight_micro),
    break_2m_10m_weight_micro = break_2m_10m_weight_micro + (NEW.break_2m_10m * NEW.weight_micro) - (OLD.break_2m_10m * OLD.weight_micro),
    break_ge10m_weight_micro = break_ge10m_weight_micro + (NEW.break_ge10m * NEW.weight_micro) - (OLD.break_ge10m * OLD.weight_micro)
    WHERE start_day = NEW.start_day AND site_id = NEW.site_id;
  -- The band may change as a session grows: OLD's share leaves its band's row and NEW's joins its own
  -- (the same row when the band stayed, then the count is unchanged).
  UPDATE site_day_band SET sessions = sessions - CASE WHEN OLD.band IS NEW.band THEN 0 ELSE 1 END, weight_micro = weight_micro - OLD.weight_micro
    WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '');
  UPDATE site_day_band SET min_engaged_ms = (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND band IS OLD.band)
    WHERE start_day = OLD.start_day AND site_id = OLD.site_id AND no_band = CASE WHEN OLD.band IS NULL THEN 1 ELSE 0 END AND band = COALESCE(OLD.band, '') AND OLD.engaged_ms <= min_engaged_ms;
  INSERT INTO site_day_band (start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms)
    VALUES (NEW.start_day, NEW.site_id, CASE WHEN NEW.band IS NULL THEN 1 ELSE 0 END, COALESCE(NEW.band, ''), CASE WHEN OLD.band IS NEW.band THEN 0 ELSE 1 END, NEW.weight_micro, NEW.engaged_ms)
    ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
      min_engaged_ms = min(COALESCE(min_engaged_ms, excluded.min_engaged_ms), excluded.min_engaged_ms);
  UPDATE site_user SET last_active_at = (SELECT MAX(last_active_at) FROM sessions WHERE site_id = OLD.site_id AND user_id = OLD.user_id)
    WHERE site_id = OLD.site_id AND user_id = OLD.user_id AND OLD.last_active_at >= last_active_at;
  UPDATE site_user SET weight_micro = weight_micro + NEW.weight_micro - OLD.weight_micro,
    last_active_at = max(COALESCE(last_active_at, NEW.last_active_at), NEW.last_active_at)
    WHERE site_id = NEW.site_id AND user_id = NEW.user_id;
END;
