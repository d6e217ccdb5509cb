import { mergeEntries, isSettledBy, type QueuedEntry } from './queue';

/**
 * Where queued records live between `enqueue` and a confirmed delivery. Every method applies the
 * rules of `queue.ts` atomically, which matters when several tabs share one IndexedDB store.
 */
export interface QueueStore {
  /** Merges entries in (newest snapshot per key, final wins), evicts the oldest above `cap`; resolves to the evicted. */
  put(entries: readonly QueuedEntry[], cap: number): Promise<QueuedEntry[]>;
  /** Entries whose key starts with `prefix`. */
  list(prefix: string): Promise<QueuedEntry[]>;
  /** Removes delivered entries, unless the store meanwhile holds a later word for their key. */
  remove(entries: readonly QueuedEntry[]): Promise<void>;
}

/** Removes delivered entries from a map (see {@link QueueStore.remove}). */
export function settle(queue: Map<string, QueuedEntry>, sent: readonly QueuedEntry[]): void {
  for (const e of sent) {
    const stored = queue.get(e.k);
    if (stored && isSettledBy(stored, e)) queue.delete(e.k);
  }
}

/**
 * A store that lives as long as the page: the fallback where IndexedDB is missing, blocked or full,
 * and the store tests and server-side rendering use.
 */
export function memoryStore(): QueueStore {
  const queue = new Map<string, QueuedEntry>();
  return {
    put: async (entries, cap) => mergeEntries(queue, entries, cap),
    list: async (prefix) => [...queue.values()].filter((e) => e.k.startsWith(prefix)),
    remove: async (sent) => settle(queue, sent),
  };
}
