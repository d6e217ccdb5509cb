import type { SessionRecord, WireRecord } from '../core/records';
import type { Queue } from './store';

/**
 * One record waiting for one transport. Each transport has its own entry for a record (its own
 * queue position), so a transport that keeps failing never holds back another.
 * Field names are short: entries are stored in IndexedDB and kept in memory by the hundred.
 */
export interface QueuedEntry {
  /** `siteId \n transport \n record key`: the newest snapshot of a session takes the older one's slot. */
  k: string;
  r: WireRecord;
  /** When it was queued (clock ms): eviction drops the oldest first, and bodies go oldest first. */
  t: number;
}

/**
 * Which of two records of one key is the later word: a `final` snapshot beats every non-final one
 * (SEMANTICS.md: a final record is never overwritten by an older snapshot), then the higher `seq`.
 * Alerts are unique per key, so two of them are equal.
 */
export const compareRecords = (a: WireRecord, b: WireRecord): number =>
  // Alerts have neither `final` nor `seq`: NaN, which `|| 0` makes equal.
  +(a as SessionRecord).final - +(b as SessionRecord).final || (a as SessionRecord).seq - (b as SessionRecord).seq || 0;

/** The queue key of a record: one slot per session, one per (session, threshold, direction) alert. */
export const recordKey = (r: WireRecord): string =>
  r.type == 'session' ? 's' + r.id : `a${r.sessionId}\n${r.threshold}\n${r.direction}`;

/**
 * Merges `incoming` into `queue`: an entry takes its key's slot unless the queued record is the later
 * word. Then, above `cap` entries, the oldest are evicted (returned, so they can be reported).
 */
export function mergeEntries(queue: Queue, incoming: readonly QueuedEntry[], cap: number): QueuedEntry[] {
  for (const e of incoming) {
    const old = queue.get(e.k);
    if (!old || compareRecords(e.r, old.r) >= 0) queue.set(e.k, e);
  }
  const evicted = entriesOf(queue, '').slice(0, Math.max(0, queue.size - cap));
  for (const e of evicted) queue.delete(e.k);
  return evicted;
}

/** Removes delivered entries, unless the queue meanwhile holds a later word for their key. */
export function settleEntries(queue: Queue, sent: readonly QueuedEntry[]): void {
  for (const e of sent) {
    const queued = queue.get(e.k);
    if (queued && compareRecords(queued.r, e.r) <= 0) queue.delete(e.k);
  }
}

/** Entries of one transport (every entry for the prefix `''`), oldest first. */
export const entriesOf = (queue: Queue, prefix: string): QueuedEntry[] =>
  [...queue.values()].filter((e) => e.k.startsWith(prefix)).sort((a, b) => a.t - b.t);
