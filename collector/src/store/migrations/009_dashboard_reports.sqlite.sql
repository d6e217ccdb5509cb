-- What the dashboard's new reports read (routes/dashboard-reports.ts, store/reports/*):
-- session_meta, the host's own dimensions (a session record's `meta`) one row per session and key, so that
-- GET /api/reports/dimensions groups by a key's values and every report can be filtered by one value without
-- parsing JSON. It is kept by triggers on session_records, the raw record each store writes after a session
-- row is inserted or replaced by a higher seq, so the write path itself is unchanged. Values are text
-- (booleans 'true'/'false', numbers as JSON writes them); null values and absent keys have no row.
CREATE TABLE session_meta (
  site_id    TEXT NOT NULL,
  session_id TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (site_id, session_id, key)
) WITHOUT ROWID;
CREATE INDEX session_meta_key_value ON session_meta (key, value, site_id, session_id);

INSERT INTO session_meta (site_id, session_id, key, value)
  SELECT r.site_id, r.id, m.key, CASE m.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(m.value AS TEXT) END
  FROM session_records r, json_each(r.record, '$.meta') m
  WHERE json_valid(r.record) AND m.type IN ('text', 'integer', 'real', 'true', 'false');

CREATE TRIGGER session_records_meta_insert AFTER INSERT ON session_records WHEN json_valid(NEW.record) BEGIN
  INSERT OR REPLACE INTO session_meta (site_id, session_id, key, value)
    SELECT NEW.site_id, NEW.id, m.key, CASE m.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(m.value AS TEXT) END
    FROM json_each(NEW.record, '$.meta') m WHERE m.type IN ('text', 'integer', 'real', 'true', 'false');
END;

CREATE TRIGGER session_records_meta_update AFTER UPDATE OF record ON session_records BEGIN
  DELETE FROM session_meta WHERE site_id = OLD.site_id AND session_id = OLD.id;
  INSERT OR REPLACE INTO session_meta (site_id, session_id, key, value)
    SELECT NEW.site_id, NEW.id, m.key, CASE m.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(m.value AS TEXT) END
    FROM json_each(NEW.record, '$.meta') m WHERE json_valid(NEW.record) AND m.type IN ('text', 'integer', 'real', 'true', 'false');
END;

-- Alerts by time (GET /api/reports/alerts reads a range of `at`, newest first).
CREATE INDEX alerts_at ON alerts (at);
-- One page's figures (GET /api/reports/page) and a course's pages: by path, then day.
CREATE INDEX session_pages_path_day ON session_pages (path, start_day);
-- Returning learners: an identified user's first session and the next one after it, one seek each.
CREATE INDEX sessions_user_started ON sessions (user_id, started_at) WHERE user_id IS NOT NULL;
