/**
 * A real collector for the dashboard's browser tests: `build()` from collector/src/app.ts over a
 * SQLite file in a fresh temp directory, listening on a random port, with a known token. Records
 * reach it the way they do in production, by POST /collect.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect as baseExpect } from '@playwright/test';
import type { WireRecord } from '../../../src/core/records';
import type { TokenEntry } from '../../src/access';
import { build } from '../../src/app';
import { openSqliteStore } from '../../src/store/sqlite';

export const TOKEN = 'dashboard-e2e-token-5f1c9a7d';
const DASHBOARD_DIST = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));

export interface RunningCollector {
  url: string;
  token: string;
  /** POST /collect; throws unless the collector accepted the whole batch. */
  ingest(records: WireRecord[]): Promise<void>;
  /** A report request with the token, as the dashboard makes it. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * `npm test` builds the dashboard first; a lone `playwright test` builds it here when it is missing.
 * Workers run this at the same time: one takes the lock directory and builds, the others wait for
 * the result (two Vite builds into one outDir would empty it under each other).
 */
export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(DASHBOARD_DIST)) return;
  const lock = fileURLToPath(new URL('../../dashboard/.build-lock', import.meta.url));
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    // Another worker is building.
  }
  if (owner) {
    try {
      const result = spawnSync('npm', ['run', 'build:dashboard', '-w', 'collector'], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        stdio: 'inherit',
      });
      if (result.status !== 0) throw new Error('building the dashboard failed (npm run build:dashboard -w collector)');
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  for (let waited = 0; !existsSync(DASHBOARD_DIST) || existsSync(lock); waited += 250) {
    if (waited > 120_000) throw new Error(`the dashboard was not built within 120 s (${DASHBOARD_DIST} is missing)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `tokens`: scoped tokens (SM_TOKENS) instead of the one TOKEN; give TOKEN an admin entry for `api`. */
export async function startCollector(options: { tokens?: TokenEntry[] } = {}): Promise<RunningCollector> {
  const dir = await mkdtemp(join(tmpdir(), 'sm-dashboard-e2e-'));
  const store = openSqliteStore({ file: join(dir, 'collector.sqlite') });
  await store.migrate();
  // The live heartbeat is shortened so a dropped update would still show up within a test's time.
  const app = await build({ store, ...(options.tokens ? { tokens: options.tokens } : { token: TOKEN }), rateLimit: false, live: { heartbeatMs: 2_000 } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(url + path, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  return {
    url,
    token: TOKEN,
    api,
    async ingest(records) {
      const response = await fetch(`${url}/collect`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(records) });
      if (!response.ok) throw new Error(`POST /collect answered ${response.status}: ${await response.text()}`);
    },
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `collector`: a fresh, empty collector per test. */
export const test = base.extend<{ collector: RunningCollector }>({
  collector: async ({}, use) => {
    const collector = await startCollector();
    await use(collector);
    await collector.close();
  },
});

/**
 * Five engineers' test runs share two cores here and in CI: a page that needs six reports and a
 * chart can take longer than Playwright's default 5 s to settle without anything being wrong.
 */
export const expect = baseExpect.configure({ timeout: 15_000 });
