import { openSqliteStore } from '../src/store/sqlite';
import type { Relays } from '../src/relays/config';
import { sqliteStore, type TestStore } from './fixtures';
import { relaysContract } from './relays-contract';
import { relaysStoreContract } from './relays-store-contract';

let relays: Relays = [];
const open = async (opts: { relays?: Relays }) => ((relays = opts.relays ?? []), sqliteStore(opts));

relaysContract('SQLite', open);
relaysStoreContract('SQLite', open, async (t: TestStore) => {
  const store = openSqliteStore({ file: (t as { file: string } & typeof t).file, relays });
  await store.migrate();
  return { ...t, store, dispose: () => store.close() };
});
