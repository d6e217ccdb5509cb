-- Attention figures per page of a session (issue 13, docs/attention.md): web-vitals, scroll depth,
-- sections and media. One table per figure, keyed like session_pages, replaced whenever the session's
-- snapshot is (store/attention/write.ts). Reports ask for one page over a date range, hence the
-- (path, start_day) indexes; page_vitals covers its report (name, value, weight) as well.
CREATE TABLE page_vitals (
  site_id    TEXT    NOT NULL,
  session_id TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  start_day  TEXT    NOT NULL,
  weight     REAL    NOT NULL,
  name       TEXT    NOT NULL,
  -- ms (LCP, INP, FCP, TTFB) or a unitless score (CLS), as web-vitals reported it last for the page.
  value      REAL    NOT NULL,
  PRIMARY KEY (site_id, session_id, path, name)
);
CREATE INDEX page_vitals_report ON page_vitals (path, start_day, name, value, weight);

CREATE TABLE page_scroll (
  site_id        TEXT    NOT NULL,
  session_id     TEXT    NOT NULL,
  path           TEXT    NOT NULL,
  start_day      TEXT    NOT NULL,
  weight         REAL    NOT NULL,
  -- Largest share of the document's height seen, 0..1.
  depth          REAL    NOT NULL,
  -- ms after the page view began when 25/50/75/100 % were first reached; NULL if never.
  reached_25_ms  INTEGER,
  reached_50_ms  INTEGER,
  reached_75_ms  INTEGER,
  reached_100_ms INTEGER,
  PRIMARY KEY (site_id, session_id, path)
);
CREATE INDEX page_scroll_report ON page_scroll (path, start_day);

CREATE TABLE page_sections (
  site_id       TEXT    NOT NULL,
  session_id    TEXT    NOT NULL,
  path          TEXT    NOT NULL,
  start_day     TEXT    NOT NULL,
  weight        REAL    NOT NULL,
  name          TEXT    NOT NULL,
  engaged_ms    INTEGER NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (site_id, session_id, path, name)
);
CREATE INDEX page_sections_report ON page_sections (path, start_day);

CREATE TABLE page_media (
  site_id     TEXT    NOT NULL,
  session_id  TEXT    NOT NULL,
  path        TEXT    NOT NULL,
  start_day   TEXT    NOT NULL,
  weight      REAL    NOT NULL,
  name        TEXT    NOT NULL,
  watched_ms  INTEGER NOT NULL,
  -- NULL while unknown or for a live stream; completion is then NULL too.
  duration_ms INTEGER,
  completion  REAL,
  ended       INTEGER NOT NULL,
  PRIMARY KEY (site_id, session_id, path, name)
);
CREATE INDEX page_media_report ON page_media (path, start_day);
