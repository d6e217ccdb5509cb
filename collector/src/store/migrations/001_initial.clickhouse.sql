-- ClickHouse store, version 1. Written for Debian's ClickHouse 18.16 and valid on current releases.
-- {db} is the database, {local} the suffix of the tables that hold rows ('' on one server, '_local'
-- on a cluster, where a Distributed table of the plain name sits in front), {on_cluster} empty or
-- ON CLUSTER <name>. Statements are separated by a semicolon at the end of a line.

-- Every snapshot of a session stays a row until a merge keeps the highest seq of a (site, day, id):
-- reports never wait for that, they read the latest snapshot with argMax by (seq, -received_at).
-- A collapsing design (VersionedCollapsingMergeTree, as Plausible's sessions) would let rollups add
-- signed rows, but each replacement must then cancel the exact row it replaces, and two collectors
-- replacing one session at the same instant would cancel it twice: argMax stays exact under any
-- number of concurrent writers.
CREATE TABLE IF NOT EXISTS {db}.sessions{local} {on_cluster} (
  site_id String,
  id String,
  seq UInt64,
  received_at Int64,
  user_id Nullable(String),
  anonymous_id String,
  user_key String,
  started_at Int64,
  start_day Date,
  last_active_at Int64,
  duration_ms Int64,
  engaged_ms Int64,
  break_count UInt32,
  break_total_ms Int64,
  break_longest_ms Int64,
  break_lt30s UInt32,
  break_30s_2m UInt32,
  break_2m_10m UInt32,
  break_ge10m UInt32,
  band Nullable(String),
  -- 1 / sampleRate, and the same as integer millionths (store/buckets.ts): every weighted count the
  -- reports answer is a sum of weight_micro, exact whatever order ClickHouse adds in.
  weight Float64,
  weight_micro Int64,
  break_total_ms_weighted Int64,
  final UInt8,
  current_page Nullable(String),
  record String,
  -- The record's `meta` as two parallel arrays (values as text: booleans 'true'/'false', numbers as
  -- JSON writes them; null values left out), for dimension reports and filters.
  meta_keys Array(String),
  meta_values Array(String),
  page_paths Array(String),
  page_views Array(UInt32),
  page_engaged_ms Array(Int64),
  page_first_seen_at Array(Int64),
  page_last_seen_at Array(Int64),
  page_bands Array(Nullable(String)),
  -- The attention figures of the snapshot's pages (docs/attention.md), one array entry per figure,
  -- tied to its page by the *_paths array. An unknown time or duration is -1 (Nullable inside arrays
  -- does not survive 18.16's distributed reads intact).
  vital_paths Array(String),
  vital_names Array(String),
  vital_values Array(Float64),
  scroll_paths Array(String),
  scroll_depths Array(Float64),
  scroll_reached_25_ms Array(Int64),
  scroll_reached_50_ms Array(Int64),
  scroll_reached_75_ms Array(Int64),
  scroll_reached_100_ms Array(Int64),
  section_paths Array(String),
  section_names Array(String),
  section_engaged_ms Array(Int64),
  section_first_seen_ms Array(Int64),
  media_paths Array(String),
  media_names Array(String),
  media_watched_ms Array(Int64),
  media_duration_ms Array(Int64),
  media_completion Array(Float64),
  media_ended Array(UInt8)
) ENGINE = ReplacingMergeTree(seq)
PARTITION BY toYYYYMM(start_day)
ORDER BY (site_id, start_day, id);

-- The highest seq stored per session, ordered by the key an ingest looks up (sessions is ordered by
-- day for the reports, so a lookup by id there would scan a whole site).
CREATE TABLE IF NOT EXISTS {db}.session_seq{local} {on_cluster} (
  site_id String,
  id String,
  seq UInt64
) ENGINE = ReplacingMergeTree(seq)
ORDER BY (site_id, id);

-- An alert is stored once by its key; `keep` is larger for an earlier arrival, so both a merge and
-- argMax keep the first one received.
CREATE TABLE IF NOT EXISTS {db}.alerts{local} {on_cluster} (
  site_id String,
  session_id String,
  threshold String,
  direction String,
  at Int64,
  day Date,
  engaged_ms Int64,
  received_at Int64,
  keep UInt64
) ENGINE = ReplacingMergeTree(keep)
PARTITION BY toYYYYMM(day)
ORDER BY (site_id, session_id, threshold, direction);

-- What retention (SM_RETENTION_DAYS) keeps of the sessions it removes: per site, start day and band,
-- the sums the site-level reports add (summary, daily, durations, breaks, bands), and no user,
-- session or page identifier. The reports add these rows to what they compute from sessions.
CREATE TABLE IF NOT EXISTS {db}.site_day_kept{local} {on_cluster} (
  site_id String,
  start_day Date,
  no_band UInt8,
  band String,
  sessions UInt64,
  weight_micro Int64,
  duration_ms Int64,
  engaged_ms Int64,
  short_weight_micro Int64,
  min_engaged_ms Int64,
  bucket_weight_micro Array(Int64),
  breaks Int64,
  breaks_weight_micro Int64,
  break_total_ms_weighted Int64,
  break_bucket_weight_micro Array(Int64)
) ENGINE = MergeTree
PARTITION BY toYYYYMM(start_day)
ORDER BY (site_id, start_day);

-- GET /readyz writes here to prove the store takes writes (one row, replaced).
CREATE TABLE IF NOT EXISTS {db}.health_check (
  id UInt8,
  checked_at Int64
) ENGINE = ReplacingMergeTree(checked_at)
ORDER BY id;
