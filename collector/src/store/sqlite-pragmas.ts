/**
 * How every connection to the store's file is set up (the reading one and the writer thread's).
 * Durability: WAL with `synchronous = FULL`, so a commit returns only after the WAL is fsynced
 * (SQLite's documentation of `PRAGMA synchronous`: NORMAL in WAL mode may lose the last transactions on power loss,
 * which would break "nothing acknowledged is lost").
 */
import type Database from 'better-sqlite3';

export function configure(db: Database.Database): Database.Database {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
