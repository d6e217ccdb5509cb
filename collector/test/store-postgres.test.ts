import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { toSessionRow } from '../src/ingest/rows';
import { migrations } from '../src/store/migrations/index';
import { numbered, openPostgresStore } from '../src/store/postgres';
import * as q from '../src/store/queries/index';
import { databaseUrl, dropSchema, postgresStore } from './fixtures';
import { distinctUsersContract } from './distinct-users-contract';
import { backfillSessions, expectBackfillThenTriggers, LEGACY_COLUMNS, legacyValues, storeContract } from './store-contract';
import { rollupGroupContract } from './rollup-group-contract';
import { dashboardContract } from './dashboard-contract';
import { usersPageContract } from './users-page-contract';

// A fresh schema per test (search_path), dropped afterwards: runs never see each other's rows.
storeContract('PostgreSQL', postgresStore);
rollupGroupContract('PostgreSQL', postgresStore);
distinctUsersContract('PostgreSQL', postgresStore);

describe('PostgreSQL store', () => {
  for (const version of [4, 5, 6]) {
    it(`backfills the rollups (migration ${version} and later) from the sessions stored before it, and keeps them exact after`, async () => {
      const schema = `sm_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const client = new pg.Client({ connectionString: databaseUrl(), options: `-c search_path="${schema}"` });
      await client.connect();
      const store = await openPostgresStore({ url: databaseUrl(), schema });
      try {
        await client.query(`CREATE SCHEMA "${schema}"`);
        await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        for (const m of migrations('postgres').filter((m) => m.version < version)) {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        }
        const before = backfillSessions(version);
        for (const s of before) {
          await client.query(numbered(`INSERT INTO sessions (${LEGACY_COLUMNS.join(', ')}) VALUES (${LEGACY_COLUMNS.map(() => '?').join(', ')})`), legacyValues(toSessionRow(s, 0)));
        }
        const raw = async (query: q.Query) => (await client.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[];
        const remove = async (siteId: string, id: string) => {
          expect((await client.query('DELETE FROM sessions WHERE site_id = $1 AND id = $2', [siteId, id])).rowCount).toBe(1);
        };
        await expectBackfillThenTriggers(store, raw, before, remove);
      } finally {
        await store.close();
        await client.end();
        await dropSchema(schema);
      }
    });
  }
});

dashboardContract('PostgreSQL', postgresStore);
usersPageContract('PostgreSQL', postgresStore);
