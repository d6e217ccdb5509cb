import { openSqliteStore } from '../src/store/sqlite';
import { sqliteStore } from './fixtures';
import { webhookFaultsContract } from './webhooks-faults-contract';
import { webhookOutboxContract } from './webhooks-outbox-contract';

webhookFaultsContract('SQLite', sqliteStore);
webhookOutboxContract('SQLite', sqliteStore, async (t) => {
  const store = openSqliteStore({ file: (t as { file: string } & typeof t).file });
  await store.migrate();
  return { ...t, store, dispose: () => store.close() };
});
