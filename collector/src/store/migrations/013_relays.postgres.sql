-- PostgreSQL twin of 013_relays.sqlite.sql. Relays (docs/relays.md). What each relay already told its vendor about a session: the browser
-- adapters' ledger entry (src/adapters/ledger.ts, JSON: highest seq accounted, ended or not, engaged ms
-- already reported), read and written in the transaction of the session row it accounts
-- (store/postgres-batch.ts), so that the entry and the outbox rows it caused commit together.
CREATE TABLE relay_ledger (
  relay      TEXT NOT NULL, -- site/name in SM_RELAYS
  site_id    TEXT NOT NULL,
  session_id TEXT NOT NULL,
  entry      TEXT NOT NULL,
  PRIMARY KEY (relay, site_id, session_id)
);

CREATE INDEX relay_ledger_session ON relay_ledger (site_id, session_id);
