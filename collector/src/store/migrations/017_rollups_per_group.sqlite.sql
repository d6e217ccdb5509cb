-- Issue 14: the SQLite writer keeps the rollups once per group commit (store/sqlite-rollups.ts): it sums,
-- over the whole transaction, what each session and page row written adds and what the row it replaced took
-- away (store/rollup-shares.ts, the sums of 006 and 011), and applies one upsert per rollup row touched. The
-- triggers that did this once per row on INSERT and UPDATE go, their views stay: the DELETE triggers (erasure,
-- retention, a page a snapshot no longer lists) still use rollup_change, user_day_change and
-- site_day_page_change, and the writer applies user_day through user_day_change. Only the writer inserts
-- and updates these tables; an import that writes them directly rebuilds the rollups with the backfills
-- (bench/load.ts does).
DROP TRIGGER sessions_rollup_insert;
DROP TRIGGER sessions_rollup_replace;
DROP TRIGGER sessions_rollup_update;
DROP TRIGGER sessions_rollup_delta;
DROP TRIGGER sessions_user_day_insert;
DROP TRIGGER sessions_user_day_update;
DROP TRIGGER session_pages_day_insert;
DROP TRIGGER session_pages_day_update;
DROP TRIGGER session_pages_day_delta;
