/**
 * First-party storage for the shared session state and the anonymous id.
 *
 * `localStorage` is shared by every tab of the origin, which is what lets tabs share one session.
 * It may be missing (some webviews), blocked (`window.localStorage` itself throws a SecurityError
 * when the user blocks site data) or full (`setItem` throws QuotaExceededError): every access is
 * caught and the value falls back to memory, so the tab still measures, alone.
 */
import type { SessionState } from '../core/session';

export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export function defaultStorage(win: Window = window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}

/** `storage`, with a memory copy of every value whose last write failed. */
export function safeStorage(storage: Storage | null = defaultStorage()): KeyValue {
  const memory = new Map<string, string>();
  return {
    get(key) {
      if (memory.has(key)) return memory.get(key)!;
      try {
        return storage!.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage!.setItem(key, value);
        memory.delete(key);
      } catch {
        memory.set(key, value);
      }
    },
  };
}

/** Reads the shared session state; anything unreadable (corrupt, foreign, old) counts as none. */
export function readSession(kv: KeyValue, key: string): SessionState | undefined {
  try {
    const s = JSON.parse(kv.get(key)!);
    return typeof s?.id == 'string' && Array.isArray(s.t?.i) && Array.isArray(s.a) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The anonymous id of this browser profile, created on first use. */
export function anonymousId(kv: KeyValue, key: string, randomId: () => string): string {
  let id = kv.get(key);
  if (!id) kv.set(key, (id = randomId()));
  return id;
}
