-- PostgreSQL twin of 003_inactive_users_covering.sqlite.sql: weight joins the index so that
-- inactive-users can be answered by an index-only scan.
DROP INDEX sessions_user_active;
CREATE INDEX sessions_user_active ON sessions (user_id, last_active_at) INCLUDE (weight) WHERE user_id IS NOT NULL;
