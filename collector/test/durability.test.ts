/**
 * "Nothing acknowledged with a 2xx may be lost, even if the process is killed right after": the real
 * server (tsx src/server.ts) under concurrent load is SIGKILLed, then the store is reopened and every
 * record the server acknowledged must be there. Run against both stores. Also: SIGTERM drains and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres';
import { openSqliteStore } from '../src/store/sqlite';
import type { Store } from '../src/store/types';
import { databaseUrl, dropSchema, session, TOKEN } from './fixtures';

const collectorDir = fileURLToPath(new URL('..', import.meta.url));

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<{ code: number | null; signal: string | null }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: collectorDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SM_API_TOKEN: TOKEN, SM_RATE_LIMIT: '0', SM_LOG_LEVEL: 'warn', INIT_CWD: collectorDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /demo page\s+(http:\/\/\S+?)\/\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => reject(new Error(`server exited before listening:\n${out}`)));
  });
  return { child, url, exited };
}

/** Workers post batches of fresh sessions until stopped; returns the ids of acknowledged records. */
function load(url: string, workers: number, batch: number) {
  const acknowledged: string[] = [];
  let failed = 0;
  let stopped = false;
  let n = 0;
  const worker = async (w: number) => {
    while (!stopped) {
      const records = Array.from({ length: batch }, () => session({ id: `w${w}-${n++}`, siteId: 'kill' }));
      try {
        const res = await fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(records) });
        if (res.ok) acknowledged.push(...records.map((r) => r.id));
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return { acknowledged, stop: async () => { stopped = true; await done; return failed; } };
}

async function expectAllStored(store: Store, ids: string[]) {
  const missing: string[] = [];
  for (const id of ids) if (!(await store.getSession('kill', id))) missing.push(id);
  expect(missing).toEqual([]);
}

async function killUnderLoad(env: Record<string, string>, reopen: () => Promise<Store>) {
  const { child, url, exited } = await startServer(env);
  const traffic = load(url, 8, 10);
  // Kill once a good number of batches is acknowledged, while the workers still have requests in flight.
  while (traffic.acknowledged.length < 1000) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  const failed = await traffic.stop();
  expect((await exited).signal).toBe('SIGKILL');
  // Requests were still being sent when the process died: this was a kill under load.
  expect(failed).toBeGreaterThan(0);
  const acked = [...traffic.acknowledged];
  const store = await reopen();
  try {
    await expectAllStored(store, acked);
    expect((await store.counts()).sessions).toBeGreaterThanOrEqual(acked.length);
  } finally {
    await store.close();
  }
}

describe('durability of acknowledged records', () => {
  it('SQLite: every acknowledged record survives SIGKILL under load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-kill-'));
    try {
      await killUnderLoad({ SM_DATA_DIR: dir, DATABASE_URL: '' }, async () => openSqliteStore({ file: join(dir, 'session-metrics.db') }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: every acknowledged record survives SIGKILL under load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-kill-'));
    const schema = `sm_kill_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    try {
      await killUnderLoad({ SM_DATA_DIR: dir, DATABASE_URL: databaseUrl(), SM_DATABASE_SCHEMA: schema }, () => openPostgresStore({ url: databaseUrl(), schema }));
    } finally {
      await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGTERM answers the requests in flight, closes the live streams and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-term-'));
    try {
      const { child, url, exited } = await startServer({ SM_DATA_DIR: dir, DATABASE_URL: '' });
      const stream = await fetch(`${url}/api/live`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(stream.status).toBe(200);
      const traffic = load(url, 4, 5);
      while (traffic.acknowledged.length < 200) await new Promise((r) => setTimeout(r, 10));
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      await traffic.stop();
      const acked = [...traffic.acknowledged];
      const store = openSqliteStore({ file: join(dir, 'session-metrics.db') });
      try {
        await expectAllStored(store, acked);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('SIGTERM exits within its bound while an upload stalls after its headers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-term-stall-'));
    try {
      const { child, url, exited } = await startServer({ SM_DATA_DIR: dir, DATABASE_URL: '' });
      const { port } = new URL(url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      socket.write('POST /collect HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n[');
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      child.kill('SIGTERM');
      const end = await exited;
      // The request timeout (10 s) cuts the upload, then the drain ends; the grace (12 s) bounds it in any case.
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(end.signal).toBeNull();
      socket.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
