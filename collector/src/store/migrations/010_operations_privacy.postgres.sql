-- Operations and the privacy lifecycle (issue 18).
-- GET /readyz proves the store writable by writing and committing this one row.
CREATE TABLE health_check (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at BIGINT NOT NULL
);
-- Erasure finds a person's sessions by user or by browser across every site (the existing indexes lead
-- with start_day or site_id, which would mean a scan of every session).
CREATE INDEX sessions_user ON sessions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX sessions_anonymous ON sessions (anonymous_id);
