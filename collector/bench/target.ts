/**
 * A server for the benchmark to measure, in its own process so that the load generator does not share
 * its event loop: BENCH_TARGET=bare (a bare Fastify route answering 204, the ceiling) or collector
 * (the real build() with SQLite, PostgreSQL when DATABASE_URL is set, or ClickHouse when SM_CLICKHOUSE_URL is). Prints its URL as JSON; exits
 * normally on SIGTERM.
 */
import Fastify from 'fastify';
import { join } from 'node:path';
import { build } from '../src/app';
import { openStore } from '../src/store/open';

const env = process.env;
let url: string;
let close: () => Promise<unknown>;
if (env.BENCH_TARGET === 'bare') {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.post('/collect', async (_req, reply) => reply.code(204).send());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
} else {
  // The server's own choice of store (SM_CLICKHOUSE_URL, DATABASE_URL, else SQLite in SM_DATA_DIR).
  const store = await openStore(env, env.SM_DATA_DIR ?? '');
  await store.migrate();
  // The rate limit stays on (its cost is part of ingest) but high enough for one load generator.
  const app = await build({ store, token: env.SM_API_TOKEN!, rateLimit: false, static: false });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  close = async () => {
    await app.close();
    await store.close();
  };
}
// A normal exit on SIGTERM, so that `node --cpu-prof` writes its profile (bench/profile.ts).
process.once('SIGTERM', () => void close().finally(() => process.exit(0)));
console.log(JSON.stringify({ url }));
