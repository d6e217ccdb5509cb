/**
 * SM_WORKERS=2: the real server (tsx src/server.ts) as a primary and two worker processes sharing one
 * port and one SQLite file. Both serve, /metrics counts the ingests of both whichever answers, every acknowledged session is stored once,
 * a worker that is killed is replaced, and SIGTERM to the primary drains the workers and exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite';
import { session, TOKEN } from './fixtures';

const collectorDir = fileURLToPath(new URL('..', import.meta.url));

it('serves one port from two worker processes, replaces a killed one, and drains both on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-workers-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: collectorDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SM_API_TOKEN: TOKEN, SM_RATE_LIMIT: '0', SM_LOG_LEVEL: 'info', SM_DATA_DIR: dir, INIT_CWD: collectorDir, SM_WORKERS: '2', DATABASE_URL: '', SM_CLICKHOUSE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; pid: number; url?: string; req?: { url?: string } });
  const listening = () => lines().filter((l) => l.msg === 'collector listening');
  const until = async (check: () => boolean, what: string) => {
    for (const t0 = Date.now(); !check(); ) {
      if (Date.now() - t0 > 45_000) throw new Error(`${what} did not happen:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await until(() => listening().length >= 2, 'two workers listening');
    const [first, second] = listening();
    expect(first!.pid).not.toBe(second!.pid);
    expect(first!.url).toBe(second!.url);
    const url = first!.url!;
    const post = (i: number) =>
      fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain', connection: 'close' }, body: JSON.stringify([session({ id: `wk${i}`, siteId: 'workers' })]) }).then((r) => r.status);
    // Forty at once, so that both workers write the one SQLite file at the same time.
    expect(await Promise.all(Array.from({ length: 40 }, (_, i) => post(i)))).toEqual(Array(40).fill(200));
    // Both workers served: the request log names the process of every request.
    const collectsBy = () => {
      const by = new Map<number, number>();
      for (const l of lines()) if (l.msg === 'incoming request' && l.req?.url === '/collect') by.set(l.pid, (by.get(l.pid) ?? 0) + 1);
      return by;
    };
    await until(() => [...collectsBy().values()].reduce((a, b) => a + b, 0) >= 40, 'forty ingests in the request log');
    expect([...collectsBy().keys()].sort()).toEqual([first!.pid, second!.pid].sort());
    // /metrics answers for the whole cluster, whichever worker the scrape reaches: each of eight scrapes
    // on connections of their own (so both workers answer some) counts all 40 ingests, not one worker's share.
    const scrapes = await Promise.all(
      Array.from({ length: 8 }, () => fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}`, connection: 'close' } }).then((r) => r.text())),
    );
    expect(scrapes.map((text) => Number(/^sm_ingest_requests_total\{status="200"\} (\d+)$/m.exec(text)?.[1]))).toEqual(Array(8).fill(40));

    process.kill(first!.pid, 'SIGKILL');
    await until(() => listening().length >= 3, 'a replacement worker');
    expect(await post(40)).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = openSqliteStore({ file: join(dir, 'session-metrics.db') });
    expect((await store.summary({ start: '2026-03-10', end: '2026-03-10', siteId: 'workers' })).n).toBe(41);
    await store.close();
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
