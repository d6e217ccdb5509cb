-- PostgreSQL twin of 018_user_year_rollup.sqlite.sql: per user, site and calendar year the sums of
-- user_month, so that the per-user table reads a year as one row per user (store/queries/spans.ts). Kept by
-- statement triggers of its own (the transition tables, as 015 keeps site_day_page), apart from 006's
-- rollup_apply: each (year, user, site) a statement touched is upserted once with the sum of its rows' shares
-- (added 1, taken away -1; a replacement's old and new rows net to one difference), keys in order so that
-- concurrent writers lock rows in one order, and groups whose shares cancel out are skipped. Integers: exact
-- to the unit (test/store-contract.ts compares it with its recomputation).
CREATE TABLE user_year (
  year         TEXT   NOT NULL, -- YYYY of start_day
  user_key     TEXT   NOT NULL,
  site_id      TEXT   NOT NULL,
  sessions     BIGINT NOT NULL,
  weight_micro BIGINT NOT NULL,
  duration_ms  BIGINT NOT NULL,
  engaged_ms   BIGINT NOT NULL,
  PRIMARY KEY (year, user_key, site_id)
);

INSERT INTO user_year (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
  SELECT substr(start_day, 1, 4), user_key, site_id, COUNT(*), SUM(weight_micro), SUM(duration_ms), SUM(engaged_ms)
  FROM sessions GROUP BY substr(start_day, 1, 4), user_key, site_id;
-- Statistics now, not at autovacuum's first pass: without them a searched year was planned for 6 rows
-- and sorted 62,000 on disk.
ANALYZE user_year;

CREATE FUNCTION user_year_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO user_year AS r (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
      SELECT substr(start_day, 1, 4), user_key, site_id, COUNT(*), SUM(weight_micro), SUM(duration_ms), SUM(engaged_ms)
      FROM added GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (year, user_key, site_id) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        duration_ms = r.duration_ms + EXCLUDED.duration_ms, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO user_year AS r (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
      SELECT substr(start_day, 1, 4), user_key, site_id, -COUNT(*), -SUM(weight_micro), -SUM(duration_ms), -SUM(engaged_ms)
      FROM removed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (year, user_key, site_id) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        duration_ms = r.duration_ms + EXCLUDED.duration_ms, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms;
  ELSE
    INSERT INTO user_year AS r (year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms)
      SELECT year, user_key, site_id, SUM(sign), SUM(sign * weight_micro), SUM(sign * duration_ms), SUM(sign * engaged_ms)
      FROM (SELECT 1 AS sign, substr(start_day, 1, 4) AS year, user_key, site_id, weight_micro, duration_ms, engaged_ms FROM added
            UNION ALL SELECT -1, substr(start_day, 1, 4), user_key, site_id, weight_micro, duration_ms, engaged_ms FROM removed) c
      GROUP BY year, user_key, site_id
      HAVING SUM(sign) <> 0 OR SUM(sign * weight_micro) <> 0 OR SUM(sign * duration_ms) <> 0 OR SUM(sign * engaged_ms) <> 0
      ORDER BY year, user_key, site_id
      ON CONFLICT (year, user_key, site_id) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        duration_ms = r.duration_ms + EXCLUDED.duration_ms, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms;
  END IF;
  RETURN NULL;
END
$$;

-- One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
CREATE TRIGGER sessions_user_year_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION user_year_statement();
CREATE TRIGGER sessions_user_year_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION user_year_statement();
CREATE TRIGGER sessions_user_year_update AFTER UPDATE ON sessions REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION user_year_statement();
