/**
 * SM_RETENTION_DAYS: once at start and then every day, remove the sessions that started more than N days
 * ago (whole UTC days before today - N) with their raw records, page rows and alerts. What is kept and
 * why: store/erasure.ts and docs/privacy.md.
 */
import type { RetentionResult } from './store/erasure';
import type { Store } from './store/types';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  store: Store;
  days: number;
  now: () => number;
  log: { info(o: object, m: string): void; error(o: object, m: string): void };
  /** @defaultValue one day */
  everyMs?: number;
}

/** The first day kept: sessions that started before it are removed. */
export function firstKeptDay(now: number, days: number): string {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return new Date(today - days * DAY_MS).toISOString().slice(0, 10);
}

export function parseRetentionDays(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 36_600) {
    throw new Error(`SM_RETENTION_DAYS must be a whole number of days from 1 to 36600, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function startRetention({ store, days, now, log, everyMs = DAY_MS }: RetentionOptions) {
  let running: Promise<RetentionResult | null> = Promise.resolve(null);
  const run = () => {
    running = running.then(async () => {
      const before = firstKeptDay(now(), days);
      try {
        const r = await store.removeBefore(before, Date.parse(before));
        log.info({ retention_days: days, before, days_removed: r.days.length, sessions: r.sessions, records: r.records, pages: r.pages, alerts: r.alerts, attention: r.attention, meta: r.meta }, 'retention');
        return r;
      } catch (e) {
        log.error({ err: e }, 'retention failed; it runs again at the next interval');
        return null;
      }
    });
    return running;
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  const first = run();
  return {
    /** The first run's result. */
    first,
    run,
    /** Stops the schedule and waits for a run in progress. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
