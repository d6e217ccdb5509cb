/**
 * What the webhook suites share: an SM_WEBHOOKS entry for a receiver, records that cause events, a
 * dispatcher driven over a fake clock (Date is faked, so the signatures' timestamps, which
 * `standardwebhooks` checks against Date.now, move with it), and the figures each fault reports.
 */
import { vi } from 'vitest';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import type { Outbox } from '../src/store/outbox';
import type { Store } from '../src/store/types';
import { parseWebhooks, type Webhooks } from '../src/webhooks/config';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from '../src/webhooks/dispatcher';
import { alert, session, type TestStore } from './fixtures';
import { SECRET, type Receiver } from './webhook-receiver';

export type OpenStore = (opts: { webhooks?: Webhooks }) => Promise<TestStore>;

export const START = Date.parse('2026-03-10T12:00:00.000Z');
export const MINUTE = 60_000;

/** One endpoint `site-a/hook` for every event, with `extra` fields (filters, timeoutSeconds, ...). */
export function hooksFor(url: string, extra: Record<string, unknown> = {}): Webhooks {
  return parseWebhooks(JSON.stringify({ 'site-a': [{ name: 'hook', url, secret: SECRET, events: ['alert', 'session.ended', 'users.inactive'], ...extra }] }), null);
}

/** `n` final sessions and `n` alerts of them, ingested now: 2n events for an endpoint of every event. */
export async function ingestEnded(store: Store, n: number, prefix = 'e') {
  const records = Array.from({ length: n }, (_, i) => session({ id: `${prefix}${i}`, seq: 3, final: true }));
  const alerts = records.map((r) => alert({ sessionId: r.id, threshold: 'casual', direction: 'above', engagedMs: 40_000 }));
  await store.ingest(records.map((r) => toSessionRow(r, Date.now())), alerts.map((a) => toAlertRow(a, Date.now())));
  return { records, alerts };
}

export function useFakeDate(at = START) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

export const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

export function dispatcherFor(store: Store, webhooks: Webhooks, over: Partial<DispatcherOptions> = {}): Dispatcher {
  return createDispatcher({ outbox: store.outbox!, webhooks, ...over });
}

export const pending = async (outbox: Outbox) => (await outbox.list({ status: 'pending', limit: 1000 })).length;

/** Ticks, then moves the clock by `stepMs`, until nothing is pending; resolves to the fake time it took. */
export async function driveUntilDone(d: Dispatcher, outbox: Outbox, stepMs: number, maxSteps = 500): Promise<number> {
  const from = Date.now();
  for (let i = 0; i < maxSteps; i++) {
    await d.tick();
    if ((await pending(outbox)) === 0) return Date.now() - from;
    advance(stepMs);
  }
  throw new Error(`still pending after ${maxSteps} steps of ${stepMs} ms`);
}

export interface Figures {
  fault: string;
  store: string;
  caused: number;
  delivered: number;
  requests: number;
  [k: string]: string | number;
}

/** Every figure a fault test reports, printed once per test and kept for the run's summary line. */
export function report(f: Figures) {
  console.log(`webhook figures ${JSON.stringify(f)}`);
}

/** The events the outbox holds, and the receiver's view of them. */
export async function tally(outbox: Outbox, receiver: Receiver) {
  const all = await outbox.list({ limit: 1000 });
  const delivered = receiver.delivered();
  return {
    all,
    caused: all.length,
    delivered: all.filter((d) => delivered.has(d.id)).length,
    requests: receiver.received.length,
    unsigned: receiver.received.filter((r) => !r.verified).length,
  };
}
