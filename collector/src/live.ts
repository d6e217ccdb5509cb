/**
 * The live view's hub: who is listening, and what to tell them. A snapshot of the sessions active now
 * (lastActiveAt within the window and not final) goes to a client when it connects, to everyone after an
 * ingest that changed sessions (coalesced, so a burst of batches costs one query), and as a heartbeat.
 */
import * as compute from './reports/compute';
import { MAX_CLOCK_SKEW_MS } from './ingest/validate';
import type { Store } from './store/types';

export interface LiveOptions {
  store: Store;
  now: () => number;
  /** How recent lastActiveAt must be to count as active. @defaultValue 5 minutes */
  windowMs?: number;
  /** @defaultValue 15 s */
  heartbeatMs?: number;
  /** Changes within this long are sent as one snapshot. @defaultValue 250 ms */
  coalesceMs?: number;
  /** Most sessions one snapshot lists. @defaultValue 500 */
  limit?: number;
  onError?: (e: unknown) => void;
}

export type Listener = (snapshot: ReturnType<typeof compute.live>) => void;

export function createLiveHub({ store, now, windowMs = 300_000, heartbeatMs = 15_000, coalesceMs = 250, limit = 500, onError = () => {} }: LiveOptions) {
  const listeners = new Set<Listener>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const snapshot = async () => {
    const at = now();
    // Not later than the skew ingest allows either: a session stored with a lastActiveAt far ahead
    // (before the collector refused such records) is not active now.
    return compute.live(at, await store.activeSessions(at - windowMs, limit, at + MAX_CLOCK_SKEW_MS));
  };

  const broadcast = async () => {
    pending = undefined;
    if (listeners.size === 0) return;
    try {
      const s = await snapshot();
      for (const l of listeners) l(s);
    } catch (e) {
      onError(e);
    }
  };

  return {
    snapshot,
    /** Adds a listener, sends it a snapshot at once, and returns the function that removes it. */
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      heartbeat ??= setInterval(() => void broadcast(), heartbeatMs);
      snapshot().then((s) => listeners.has(listener) && listener(s), onError);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && heartbeat) {
          clearInterval(heartbeat);
          heartbeat = undefined;
        }
      };
    },
    /** Stored sessions changed: tell listeners soon. */
    changed() {
      if (listeners.size > 0) pending ??= setTimeout(() => void broadcast(), coalesceMs);
    },
    get size() {
      return listeners.size;
    },
    close() {
      if (pending) clearTimeout(pending);
      if (heartbeat) clearInterval(heartbeat);
      pending = heartbeat = undefined;
      listeners.clear();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
