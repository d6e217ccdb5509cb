import { openPostgresStore } from '../src/store/postgres';
import type { Relays } from '../src/relays/config';
import { databaseUrl, postgresStore, type TestStore } from './fixtures';
import { relaysContract } from './relays-contract';
import { relaysStoreContract } from './relays-store-contract';

let relays: Relays = [];
const open = async (opts: { relays?: Relays }) => ((relays = opts.relays ?? []), postgresStore(opts));

relaysContract('PostgreSQL', open);
relaysStoreContract('PostgreSQL', open, async (t: TestStore) => {
  const store = await openPostgresStore({ url: databaseUrl(), schema: (t as { schema: string } & typeof t).schema, relays });
  return { ...t, store, dispose: () => store.close() };
});
