import type { SessionRecord, WireRecord } from '../core/records';
import type { Queue } from './store';

/**
 * One record waiting for one transport: `[key, record]`, the key being
 * `siteId \n transport \n record key`. Each transport has its own entry for a record (its own queue
 * position), so a transport that keeps failing never holds back another; the newest snapshot of a
 * session takes the older one's slot.
 */
export type QueuedEntry = [key: string, record: WireRecord];

/**
 * Which of two records of one key is the later word, by the receiver's rule (docs/semantics.md, "Which
 * record of a session counts"): the higher `seq`, final or not, so the queue never holds back a record
 * the receiver would keep; of two with the same `seq`, a `final` one. "A final record is never
 * overwritten by an older snapshot": older means a lower `seq`. Alerts are unique per key, so two of
 * them are equal.
 */
export const compareRecords = (a: WireRecord, b: WireRecord): number =>
  // Alerts have neither `seq` nor `final`: NaN, which `|| 0` makes equal.
  (a as SessionRecord).seq - (b as SessionRecord).seq || +(a as SessionRecord).final - +(b as SessionRecord).final || 0;

/** The queue key of a record: one slot per session, one per (session, threshold, direction) alert. */
export const recordKey = (r: WireRecord): string =>
  r.type == 'session' ? 's' + r.id : `a${r.sessionId}\n${r.threshold}\n${r.direction}`;

/**
 * Merges `incoming` into `queue`: an entry takes its key's slot unless the queued record is the later
 * word. Then, above `cap` entries, the oldest are evicted (their keys returned, so they can be reported).
 *
 * Age is the order of the Map, which keeps insertion order (also through IndexedDB's structured
 * clone): an entry that takes a slot is deleted and set again, so it moves to the young end. That is
 * why a long session, refreshed with every snapshot, is never the one evicted.
 */
export function mergeEntries(queue: Queue, incoming: readonly QueuedEntry[], cap: number): string[] {
  for (const [k, r] of incoming) {
    const old = queue.get(k);
    if (!old || compareRecords(r, old) >= 0) queue.delete(k), queue.set(k, r);
  }
  const evicted: string[] = [];
  for (const k of queue.keys()) if (queue.size > cap) evicted.push(k), queue.delete(k);
  return evicted;
}

/** Removes delivered entries, unless the queue meanwhile holds a later word for their key. */
export function settleEntries(queue: Queue, sent: readonly QueuedEntry[]): void {
  for (const [k, r] of sent) {
    const queued = queue.get(k);
    if (queued && compareRecords(queued, r) <= 0) queue.delete(k);
  }
}

/** Entries of one transport (every entry for the prefix `''`), oldest first. */
export const entriesOf = (queue: Queue, prefix: string): QueuedEntry[] => [...queue].filter(([k]) => k.startsWith(prefix));
