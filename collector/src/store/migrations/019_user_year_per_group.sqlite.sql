-- Issue 14: user_year (018) is kept by the SQLite writer once per group commit, with the other rollups
-- (store/sqlite-rollups.ts, its share in store/rollup-shares.ts), as 017 did for the rollups before it: its
-- INSERT and UPDATE triggers go. Its DELETE trigger stays (erasure, retention), as 017 left theirs.
DROP TRIGGER sessions_user_year_insert;
DROP TRIGGER sessions_user_year_delta;
DROP TRIGGER sessions_user_year_move;
