/**
 * First-party storage for the shared session state and the anonymous id.
 *
 * `localStorage` is shared by every tab of the origin, which is what lets tabs share one session.
 * It may be missing (some webviews), blocked (`window.localStorage` itself throws a SecurityError
 * when the user blocks site data) or full (`setItem` throws QuotaExceededError): every access is
 * caught and the value falls back to memory, so the tab still measures, alone.
 */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/**
 * The storage `get()` returns (it may throw, or return `null`), with a memory copy of every value
 * whose last write failed.
 */
export function safeStorage(storage: () => Storage | null): KeyValue {
  const memory: Record<string, string> = {};
  return {
    get(key) {
      try {
        return memory[key] ?? storage()!.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage()!.setItem(key, value);
        delete memory[key];
      } catch {
        memory[key] = value;
      }
    },
  };
}
