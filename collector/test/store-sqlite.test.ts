import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite';
import { toSessionRow } from '../src/ingest/rows';
import { session, sqliteStore } from './fixtures';
import { storeContract } from './store-contract';

storeContract('SQLite', sqliteStore);

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
});
