-- PostgreSQL twin of 012_webhooks.sqlite.sql. Webhooks (docs/webhooks.md). The outbox: one row per
-- (event, endpoint), written in the transaction of the records that cause it (store/postgres-batch.ts) or
-- by the daily inactive-users scan, and sent by the dispatcher (webhooks/dispatcher.ts). `id` is the
-- webhook-id, derived from the endpoint and the cause, so one cause is one row however often it is
-- written. A dispatcher claims due rows by setting lease_until (an UPDATE of rows picked FOR UPDATE SKIP
-- LOCKED, so two collectors never hold one row at once); a killed one's lease runs out and the row is
-- claimed again. status: pending, delivered, dead (tried for longer than the endpoint's deadAfterHours
-- since retry_from: the creation, or the last redelivery).
CREATE TABLE webhook_outbox (
  id              TEXT    NOT NULL PRIMARY KEY,
  endpoint        TEXT    NOT NULL, -- site/name in SM_WEBHOOKS
  site_id         TEXT    NOT NULL,
  session_id      TEXT,             -- the session it is about (alert, session.ended), for erasure and retention
  user_id         TEXT,             -- the identified user it names (session.ended, users.inactive), for erasure
  type            TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  created_at      BIGINT  NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending',
  attempts        BIGINT  NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  retry_from      BIGINT  NOT NULL,
  lease_until     BIGINT  NOT NULL DEFAULT 0,
  lease_owner     TEXT,
  last_attempt_at BIGINT,
  last_status     BIGINT,
  last_error      TEXT,
  delivered_at    BIGINT
);

CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
CREATE INDEX webhook_outbox_created ON webhook_outbox (created_at);
CREATE INDEX webhook_outbox_session ON webhook_outbox (site_id, session_id);
CREATE INDEX webhook_outbox_user ON webhook_outbox (user_id);

-- Every attempt: when, by which process, the answer's status (NULL when none came) or the error.
CREATE TABLE webhook_attempts (
  event_id    TEXT    NOT NULL,
  at          BIGINT  NOT NULL,
  owner       TEXT    NOT NULL,
  duration_ms BIGINT  NOT NULL,
  status      BIGINT,
  error       TEXT
);

CREATE INDEX webhook_attempts_event ON webhook_attempts (event_id, at);
