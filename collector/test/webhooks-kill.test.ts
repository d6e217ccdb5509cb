/**
 * The real collector (tsx src/server.ts, a child process) SIGKILLed while it is delivering webhooks, then
 * started again on the same store: every event arrives at least once with a valid signature, the ones
 * the receiver had taken before the kill come again with the same webhook-id, and records replayed
 * after the restart (as the SDK retries them) cause no event. On SQLite and PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, databaseUrl, dropSchema, session, TOKEN } from './fixtures';
import { report } from './webhook-helpers';
import { SECRET, startReceiver, type Receiver } from './webhook-receiver';

const collectorDir = fileURLToPath(new URL('..', import.meta.url));

async function startCollector(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: collectorDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SM_API_TOKEN: TOKEN, SM_RATE_LIMIT: '0', SM_LOG_LEVEL: 'warn', INIT_CWD: collectorDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ signal: string | null }>((resolve) => child.on('exit', (_code, signal) => resolve({ signal })));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /demo page\s+(http:\/\/\S+?)\/\s/.exec(out);
      if (m) clearTimeout(timer), resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => reject(new Error(`collector exited before listening:\n${out}`)));
  });
  return { child, url, exited };
}

const until = async (what: string, ok: () => boolean, ms = 40_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const N = 10;
const records = Array.from({ length: N }, (_, i) => session({ id: `k${i}`, siteId: 'site-a', seq: 4, final: true }));
const alerts = records.map((r) => alert({ sessionId: r.id, siteId: 'site-a' }));
const post = (url: string) => fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([...records, ...alerts]) });

async function killDuringDelivery(store: string, env: Record<string, string>, receiver: Receiver) {
  // First attempts are answered after 1.5 s (the receiver takes them, the collector is killed before it hears).
  receiver.behave((attempt) => ({ delayMs: attempt === 1 ? 1_500 : 0 }));
  const webhooks = JSON.stringify({ 'site-a': [{ name: 'crm', url: receiver.url, secret: SECRET, events: ['alert', 'session.ended'], timeoutSeconds: 2 }] });
  const first = await startCollector({ ...env, SM_WEBHOOKS: webhooks });
  expect((await post(first.url)).status).toBe(200);
  await until('the first deliveries', () => receiver.received.length >= 1);
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  const beforeKill = new Set(receiver.received.map((r) => r.id));

  const second = await startCollector({ ...env, SM_WEBHOOKS: webhooks });
  try {
    expect((await post(second.url)).status).toBe(200); // a replay of every record: no new event
    const deliveries = async () =>
      ((await (await fetch(`${second.url}/api/webhooks/deliveries`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { deliveries: Array<{ id: string; status: string }> }).deliveries;
    let caused = await deliveries();
    for (const end = Date.now() + 40_000; !(caused.length > 0 && caused.every((d) => d.status === 'delivered')); caused = await deliveries()) {
      if (Date.now() > end) throw new Error(`not all delivered: ${JSON.stringify(caused)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500)); // nothing more comes
    expect(caused.length).toBe(2 * N);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set(caused.map((d) => d.id)));
    const resent = [...beforeKill].filter((id) => receiver.received.filter((r) => r.id === id).length > 1);
    // The restarted collector resumed the events whose leases the killed one held: same ids, sent again.
    expect(resent.length).toBe(beforeKill.size);
    report({ fault: 'SIGKILL during delivery, restart', store, caused: caused.length, delivered: receiver.delivered().size, requests: receiver.received.length, inFlightAtKill: beforeKill.size, resentSameId: resent.length });
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
}

describe('webhooks survive a SIGKILLed collector', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => receiver?.close());

  it('SQLite', async () => {
    receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'sm-webhook-kill-'));
    try {
      await killDuringDelivery('SQLite', { SM_DATA_DIR: dir }, receiver);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('PostgreSQL', async () => {
    receiver = await startReceiver();
    const schema = `sm_wh_kill_${process.pid}`;
    try {
      await killDuringDelivery('PostgreSQL', { DATABASE_URL: databaseUrl(), SM_DATABASE_SCHEMA: schema }, receiver);
    } finally {
      await dropSchema(schema);
    }
  }, 90_000);
});
