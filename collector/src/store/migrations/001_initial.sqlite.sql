-- Sessions: one row per (site_id, id), the snapshot with the highest seq. Times are epoch ms.
CREATE TABLE sessions (
  site_id          TEXT    NOT NULL,
  id               TEXT    NOT NULL,
  seq              INTEGER NOT NULL,
  user_id          TEXT,
  anonymous_id     TEXT    NOT NULL,
  user_key         TEXT    NOT NULL,
  started_at       INTEGER NOT NULL,
  start_day        TEXT    NOT NULL,
  last_active_at   INTEGER NOT NULL,
  duration_ms      INTEGER NOT NULL,
  engaged_ms       INTEGER NOT NULL,
  break_count      INTEGER NOT NULL,
  break_total_ms   INTEGER NOT NULL,
  break_longest_ms INTEGER NOT NULL,
  break_lt30s      INTEGER NOT NULL,
  break_30s_2m     INTEGER NOT NULL,
  break_2m_10m     INTEGER NOT NULL,
  break_ge10m      INTEGER NOT NULL,
  band             TEXT,
  weight           REAL    NOT NULL,
  final            INTEGER NOT NULL,
  current_page     TEXT,
  received_at      INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
);
-- Every date-range report filters on start_day; the per-user and daily reports read only these
-- columns, so the index covers them and a year of data is answered without touching the table.
CREATE INDEX sessions_day_user ON sessions (start_day, user_key, duration_ms, engaged_ms, weight);
CREATE INDEX sessions_user_active ON sessions (user_id, last_active_at) WHERE user_id IS NOT NULL;
CREATE INDEX sessions_live ON sessions (last_active_at) WHERE final = 0;

-- The raw record as received, kept apart so that the rows reports scan stay narrow (a snapshot is
-- about 1 KB of JSON; inline it would multiply the pages a year-long scan reads).
CREATE TABLE session_records (
  site_id TEXT NOT NULL,
  id      TEXT NOT NULL,
  record  TEXT NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE session_pages (
  site_id       TEXT    NOT NULL,
  session_id    TEXT    NOT NULL,
  path          TEXT    NOT NULL,
  start_day     TEXT    NOT NULL,
  views         INTEGER NOT NULL,
  engaged_ms    INTEGER NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  band          TEXT,
  weight        REAL    NOT NULL,
  PRIMARY KEY (site_id, session_id, path)
);
CREATE INDEX session_pages_day ON session_pages (start_day, path, views, engaged_ms, weight);

CREATE TABLE alerts (
  site_id     TEXT    NOT NULL,
  session_id  TEXT    NOT NULL,
  threshold   TEXT    NOT NULL,
  direction   TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  engaged_ms  INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, session_id, threshold, direction)
);
