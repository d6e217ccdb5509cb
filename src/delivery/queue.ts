import type { WireRecord } from '../core/records';

/**
 * One record waiting for one transport. Each transport has its own entry for a record (its own
 * queue position), so a transport that keeps failing never holds back another.
 * Field names are short because entries are stored in IndexedDB and kept in memory by the thousand.
 */
export interface QueuedEntry {
  /** `siteId \n transport \n record key`: the newest snapshot of a session replaces the older one. */
  k: string;
  r: WireRecord;
  /** When it was queued (clock ms): eviction drops the oldest first. */
  t: number;
}

/**
 * Which of two records of one key is the later word: a `final` snapshot beats every non-final one
 * (SEMANTICS.md: "a final record is never overwritten by an older snapshot"), then the higher `seq`.
 * Alerts are unique per key, so two of them are equal.
 */
export const compareRecords = (a: WireRecord, b: WireRecord): number =>
  a.type === 'session' && b.type === 'session' ? +a.final - +b.final || a.seq - b.seq : 0;

/** The queue key of a record: one slot per session, one per (session, threshold, direction) alert. */
export const recordKey = (r: WireRecord): string =>
  r.type === 'session' ? 's' + r.id : `a${r.sessionId}\n${r.threshold}\n${r.direction}`;

/**
 * Merges `incoming` into `queue` (by key): an entry replaces a stored one unless the stored record is
 * the later word. Then, above `cap` entries, the oldest are evicted. Returns the evicted entries.
 * Pure over the map it is given, so the memory store, the in-page mirror and the IndexedDB
 * transaction all apply the very same rule.
 */
export function mergeEntries(queue: Map<string, QueuedEntry>, incoming: readonly QueuedEntry[], cap: number): QueuedEntry[] {
  for (const e of incoming) {
    const old = queue.get(e.k);
    if (!old || compareRecords(e.r, old.r) >= 0) queue.set(e.k, e);
  }
  const evicted: QueuedEntry[] = [];
  if (queue.size > cap) {
    const oldest = [...queue.values()].sort((a, b) => a.t - b.t);
    for (const e of oldest.slice(0, queue.size - cap)) {
      queue.delete(e.k);
      evicted.push(e);
    }
  }
  return evicted;
}

/** Whether a stored entry may be removed after `sent` was delivered: only if it is not a later word. */
export const isSettledBy = (stored: QueuedEntry, sent: QueuedEntry): boolean => compareRecords(stored.r, sent.r) <= 0;
