import type { WireRecord } from '../core/records';

/** The queue as a map from entry key (see `QueuedEntry`) to record, oldest first. */
export type Queue = Map<string, WireRecord>;

/**
 * Where queued records live between `enqueue` and a confirmed delivery. One method: `update` runs a
 * pure change (see `queue.ts`) over the whole queue atomically and keeps what it changed. Atomic
 * matters because every tab of a site shares one IndexedDB store: a merge in one tab and a removal
 * in another never interleave.
 */
export interface QueueStore {
  /** `read`: the change only reads, so nothing is written back. */
  update<T>(change: (queue: Queue) => T, read?: boolean): Promise<T>;
}

/**
 * A queue that lives as long as the page: the fallback where IndexedDB is missing, blocked or full,
 * and the store for tests and server-side rendering.
 */
export const memoryStore = (queue: Queue = new Map()): QueueStore => ({ update: async (change) => change(queue) });
