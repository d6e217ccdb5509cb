import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/store/migrations/index';
import * as q from '../src/store/queries/index';
import { openSqliteStore } from '../src/store/sqlite';
import { toSessionRow } from '../src/ingest/rows';
import { session, sqliteStore } from './fixtures';
import { distinctUsersContract } from './distinct-users-contract';
import { backfillSessions, expectBackfillThenTriggers, LEGACY_COLUMNS, legacyValues, storeContract } from './store-contract';
import { rollupGroupContract } from './rollup-group-contract';
import { dashboardContract } from './dashboard-contract';
import { usersPageContract } from './users-page-contract';

storeContract('SQLite', sqliteStore);
rollupGroupContract('SQLite', sqliteStore);
distinctUsersContract('SQLite', sqliteStore);

describe('SQLite store', () => {
  it('commits concurrent ingests together and the rows survive reopening the file', async () => {
    const t = await sqliteStore();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.store.ingest([toSessionRow(session({ id: `g${i}` }), 0)], [])));
    expect(results.every((r) => r.sessionsChanged === 1)).toBe(true);
    await t.store.close();
    const again = openSqliteStore({ file: t.file });
    await again.migrate();
    expect((await again.counts()).sessions).toBe(50);
    await again.close();
    await t.dispose();
  });

  for (const version of [4, 5, 6]) {
    it(`backfills the rollups (migration ${version} and later) from the sessions stored before it, and keeps them exact after`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sm-collector-'));
      const file = join(dir, 'sessions.db');
      const db = new Database(file);
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const m of migrations('sqlite').filter((m) => m.version < version)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }
      const insert = db.prepare(`INSERT INTO sessions (${LEGACY_COLUMNS.join(', ')}) VALUES (${LEGACY_COLUMNS.map(() => '?').join(', ')})`);
      const before = backfillSessions(version);
      for (const s of before) insert.run(...legacyValues(toSessionRow(s, 0)));
      db.close();
      const store = openSqliteStore({ file });
      const raw = async (query: q.Query) => {
        const r = new Database(file, { readonly: true });
        try {
          return r.prepare(query.sql).all(...query.params) as Record<string, unknown>[];
        } finally {
          r.close();
        }
      };
      const remove = async (siteId: string, id: string) => {
        const w = new Database(file);
        try {
          expect(w.prepare('DELETE FROM sessions WHERE site_id = ? AND id = ?').run(siteId, id).changes).toBe(1);
        } finally {
          w.close();
        }
      };
      try {
        await expectBackfillThenTriggers(store, raw, before, remove);
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

dashboardContract('SQLite', sqliteStore);
usersPageContract('SQLite', sqliteStore);
