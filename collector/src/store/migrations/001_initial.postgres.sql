-- PostgreSQL twin of 001_initial.sqlite.sql (same columns; BIGINT epoch ms, covering indexes via INCLUDE).
-- Sessions: one row per (site_id, id), the snapshot with the highest seq. Times are epoch ms.
CREATE TABLE sessions (
  site_id          TEXT    NOT NULL,
  id               TEXT    NOT NULL,
  seq              BIGINT NOT NULL,
  user_id          TEXT,
  anonymous_id     TEXT    NOT NULL,
  user_key         TEXT    NOT NULL,
  started_at       BIGINT NOT NULL,
  start_day        TEXT    NOT NULL,
  last_active_at   BIGINT NOT NULL,
  duration_ms      BIGINT NOT NULL,
  engaged_ms       BIGINT NOT NULL,
  break_count      BIGINT NOT NULL,
  break_total_ms   BIGINT NOT NULL,
  break_longest_ms BIGINT NOT NULL,
  break_lt30s      BIGINT NOT NULL,
  break_30s_2m     BIGINT NOT NULL,
  break_2m_10m     BIGINT NOT NULL,
  break_ge10m      BIGINT NOT NULL,
  band             TEXT,
  weight           DOUBLE PRECISION NOT NULL,
  final            SMALLINT NOT NULL,
  current_page     TEXT,
  received_at      BIGINT NOT NULL,
  PRIMARY KEY (site_id, id)
);
-- Every date-range report filters on start_day; the per-user and daily reports read only these
-- columns, so the index covers them and a year of data is answered without touching the table.
CREATE INDEX sessions_day_user ON sessions (start_day) INCLUDE (user_key, duration_ms, engaged_ms, weight);
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
  views         BIGINT NOT NULL,
  engaged_ms    BIGINT NOT NULL,
  first_seen_at BIGINT NOT NULL,
  last_seen_at  BIGINT NOT NULL,
  band          TEXT,
  weight        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (site_id, session_id, path)
);
CREATE INDEX session_pages_day ON session_pages (start_day) INCLUDE (path, views, engaged_ms, weight);

CREATE TABLE alerts (
  site_id     TEXT    NOT NULL,
  session_id  TEXT    NOT NULL,
  threshold   TEXT    NOT NULL,
  direction   TEXT    NOT NULL,
  at          BIGINT NOT NULL,
  engaged_ms  BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, session_id, threshold, direction)
);
