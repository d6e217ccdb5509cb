-- What retention (SM_RETENTION_DAYS) keeps of the pages of the sessions it removes, as the other stores
-- keep their site_day_page rows: per site, start day and page path, the sums the pages report adds
-- (page rows, weight, weighted views, dwell time and weighted dwell time, each weighted figure rounded
-- once per page row as the other stores write it), and no user, browser or session identifier. The
-- pages report adds these rows to what it computes from sessions (reads.ts).
CREATE TABLE IF NOT EXISTS {db}.site_day_page_kept{local} {on_cluster} (
  site_id String,
  start_day Date,
  path String,
  sessions UInt64,
  weight_micro Int64,
  views_weighted Int64,
  engaged_ms Int64,
  engaged_ms_weighted Int64
) ENGINE = MergeTree
PARTITION BY toYYYYMM(start_day)
ORDER BY (site_id, start_day, path);
