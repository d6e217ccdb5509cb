/**
 * users.inactive: once a day, each endpoint that receives it gets one event per identified user of its
 * site whose last activity is at least `inactiveDays` ago. The event's id comes from the user and that
 * last activity (events.ts), so a user is sent once per idle stretch however many scans (or collector
 * processes) find them; coming back and going idle again starts a new stretch and a new event.
 *
 * Only users who became idle within LOOKBACK_DAYS before the cutoff are looked at: a day's scan finds the
 * users who crossed the line since the last one (with a week's margin for a collector that was down),
 * and switching the webhook on does not send an event for every user idle since the first session.
 */
import type { Outbox } from '../store/outbox';
import type { Webhooks } from './config';
import { eventsOf } from './events';

export const LOOKBACK_DAYS = 7;
const DAY_MS = 86_400_000;
/** Users per endpoint per scan; more are found by the next scans. */
const SCAN_LIMIT = 50_000;

export async function scanInactive(outbox: Outbox, webhooks: Webhooks, at: number): Promise<number> {
  const events = eventsOf(webhooks);
  let queued = 0;
  for (const w of webhooks.filter((x) => x.events.includes('users.inactive'))) {
    const cutoff = at - w.inactiveDays * DAY_MS;
    const users = await outbox.idleUsers(w.site, cutoff - LOOKBACK_DAYS * DAY_MS, cutoff, SCAN_LIMIT);
    queued += await outbox.enqueue(users.map((u) => events.inactive(w, { siteId: w.site, ...u }, at)));
  }
  return queued;
}

/** Scans at start and then every `everyMs` until the returned function is called. */
export function startInactiveScan(opts: { outbox: Outbox; webhooks: Webhooks; now: () => number; everyMs?: number; log: { info(o: object, m: string): void; warn(o: object, m: string): void } }) {
  const { outbox, webhooks, now, everyMs = DAY_MS, log } = opts;
  if (!webhooks.some((w) => w.events.includes('users.inactive'))) return () => {};
  const run = () =>
    scanInactive(outbox, webhooks, now()).then(
      (queued) => log.info({ queued }, 'inactive users scanned for webhooks'),
      (e) => log.warn({ err: e }, 'inactive users scan failed; next scan as planned'),
    );
  void run();
  const timer = setInterval(run, everyMs);
  return () => clearInterval(timer);
}
