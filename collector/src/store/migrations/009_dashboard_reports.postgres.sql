-- PostgreSQL twin of 009_dashboard_reports.sqlite.sql: session_meta (a session record's `meta`, one row per
-- session and key, kept by a trigger on session_records) and the indexes of the dashboard's new reports.
CREATE TABLE session_meta (
  site_id    TEXT NOT NULL,
  session_id TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (site_id, session_id, key)
);
CREATE INDEX session_meta_key_value ON session_meta (key, value) INCLUDE (site_id, session_id);

-- The record is stored as text; a record that is not valid jsonb (PostgreSQL refuses \u0000 in jsonb) keeps
-- no dimensions rather than failing the ingest that carries it: nothing accepted may be lost.
CREATE FUNCTION session_meta_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM session_meta WHERE site_id = OLD.site_id AND session_id = OLD.id;
  END IF;
  IF position('"meta"' in NEW.record) > 0 THEN
    BEGIN
      INSERT INTO session_meta (site_id, session_id, key, value)
        SELECT NEW.site_id, NEW.id, m.key, m.value
        FROM jsonb_each_text(CASE WHEN jsonb_typeof(NEW.record::jsonb -> 'meta') = 'object' THEN NEW.record::jsonb -> 'meta' ELSE '{}'::jsonb END) m
        WHERE m.value IS NOT NULL
        ON CONFLICT (site_id, session_id, key) DO UPDATE SET value = excluded.value;
    EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
      NULL;
    END;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER session_records_meta AFTER INSERT OR UPDATE OF record ON session_records
  FOR EACH ROW EXECUTE FUNCTION session_meta_apply();

INSERT INTO session_meta (site_id, session_id, key, value)
  SELECT r.site_id, r.id, m.key, m.value
  FROM session_records r, jsonb_each_text(CASE WHEN jsonb_typeof(r.record::jsonb -> 'meta') = 'object' THEN r.record::jsonb -> 'meta' ELSE '{}'::jsonb END) m
  WHERE position('"meta"' in r.record) > 0 AND m.value IS NOT NULL;

CREATE INDEX alerts_at ON alerts (at);
CREATE INDEX session_pages_path_day ON session_pages (path, start_day);
CREATE INDEX sessions_user_started ON sessions (user_id, started_at) WHERE user_id IS NOT NULL;
