-- Issue 14: site_day_page (migration 011) kept by statement triggers instead of row triggers. A group commit
-- deletes and inserts the page rows of every session it writes in one statement each (store/postgres-batch.ts),
-- and its sessions share a few (day, site, path) rows: the row trigger upserted one of those rows once per page
-- row (a new row version each time, six per three-page session), these upsert each (day, site, path) the
-- statement touched once, with the sum of its rows (the transition tables). Sums of integers, so the rollup is
-- the same to the unit; keys in order, so concurrent writers lock rows in one order. SQLite has no statement
-- triggers: its side of 015 (015_page_rollup_per_statement.sqlite.sql) updates page rows in place instead.
DROP TRIGGER session_pages_day ON session_pages;
DROP FUNCTION session_pages_day();
DROP FUNCTION site_day_page_apply(session_pages, integer);

-- The page rows a statement added (sign 1) or took away (sign -1), applied once per (day, site, path). A
-- transition table exists only for the events that have it, hence one statement per event.
CREATE FUNCTION site_day_page_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO site_day_page AS r (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
      SELECT start_day, site_id, path, SUM(sign), SUM(sign * weight_micro), SUM(sign * views_weighted), SUM(sign * engaged_ms), SUM(sign * engaged_ms_weighted)
      FROM (SELECT 1 AS sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted FROM added) c
      GROUP BY start_day, site_id, path
      ORDER BY start_day, site_id, path
      ON CONFLICT (start_day, site_id, path) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        views_weighted = r.views_weighted + EXCLUDED.views_weighted, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms,
        engaged_ms_weighted = r.engaged_ms_weighted + EXCLUDED.engaged_ms_weighted;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO site_day_page AS r (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
      SELECT start_day, site_id, path, SUM(sign), SUM(sign * weight_micro), SUM(sign * views_weighted), SUM(sign * engaged_ms), SUM(sign * engaged_ms_weighted)
      FROM (SELECT -1 AS sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted FROM removed) c
      GROUP BY start_day, site_id, path
      ORDER BY start_day, site_id, path
      ON CONFLICT (start_day, site_id, path) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        views_weighted = r.views_weighted + EXCLUDED.views_weighted, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms,
        engaged_ms_weighted = r.engaged_ms_weighted + EXCLUDED.engaged_ms_weighted;
  ELSE
    INSERT INTO site_day_page AS r (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
      SELECT start_day, site_id, path, SUM(sign), SUM(sign * weight_micro), SUM(sign * views_weighted), SUM(sign * engaged_ms), SUM(sign * engaged_ms_weighted)
      FROM (SELECT 1 AS sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted FROM added UNION ALL SELECT -1 AS sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted FROM removed) c
      GROUP BY start_day, site_id, path
      ORDER BY start_day, site_id, path
      ON CONFLICT (start_day, site_id, path) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
        views_weighted = r.views_weighted + EXCLUDED.views_weighted, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms,
        engaged_ms_weighted = r.engaged_ms_weighted + EXCLUDED.engaged_ms_weighted;
  END IF;
  RETURN NULL;
END
$$;

-- One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
CREATE TRIGGER session_pages_day_insert AFTER INSERT ON session_pages REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION site_day_page_statement();
CREATE TRIGGER session_pages_day_delete AFTER DELETE ON session_pages REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION site_day_page_statement();
CREATE TRIGGER session_pages_day_update AFTER UPDATE ON session_pages REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION site_day_page_statement();
