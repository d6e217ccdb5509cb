import { openPostgresStore } from '../src/store/postgres';
import { databaseUrl, postgresStore } from './fixtures';
import { webhookFaultsContract } from './webhooks-faults-contract';
import { webhookOutboxContract } from './webhooks-outbox-contract';

webhookFaultsContract('PostgreSQL', postgresStore);
webhookOutboxContract('PostgreSQL', postgresStore, async (t) => {
  const store = await openPostgresStore({ url: databaseUrl(), schema: (t as { schema: string } & typeof t).schema });
  return { ...t, store, dispose: () => store.close() };
});
