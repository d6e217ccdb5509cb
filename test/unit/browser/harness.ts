// A tab for tracker tests: its own happy-dom Window (document, history, location), a shared
// localStorage standing in for the origin's, the real delivery layer over the real memory transport.
import { vi } from 'vitest';
import { Window as HappyWindow } from 'happy-dom';
import { createTracker, type TrackerDeps } from '../../../src/browser/tracker';
import type { TrackerOptions } from '../../../src/browser/tracker';
import type { SessionRecord, WireRecord } from '../../../src/core/records';
import { createDelivery, memoryStore } from '../../../src/delivery';
import { memoryTransport } from '../../../src/transports/memory';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const SEC = 1_000;
export const MIN = 60_000;

export function useFakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T0);
}

/** Moves the wall clock without running any timer: a sleeping machine or a frozen page. */
export const jump = (ms: number) => vi.setSystemTime(Date.now() + ms);

export interface Tab {
  win: Window & typeof globalThis;
  tracker: ReturnType<typeof createTracker>;
  transport: ReturnType<typeof memoryTransport>;
  /** A real input event on the document. */
  input(type?: string): void;
  setVisible(visible: boolean): void;
  /** What a receiver keeps: per session, the record with the highest seq. */
  latest(): Map<string, SessionRecord>;
  alerts(): WireRecord[];
}

export function openTab(
  url: string,
  storage: Storage | null,
  options: TrackerOptions = {},
  deps: TrackerDeps = {},
  visible = true,
): Tab {
  const win = new HappyWindow({ url }) as unknown as Window & typeof globalThis;
  const stub = (v: boolean) => {
    Object.defineProperty(win.document, 'visibilityState', { value: v ? 'visible' : 'hidden', configurable: true });
    Object.defineProperty(win.document, 'hidden', { value: !v, configurable: true });
  };
  stub(visible);
  const transport = memoryTransport();
  const tracker = createTracker(
    { siteId: 'site', transport, ...options },
    {
      window: win,
      storage,
      delivery: (o) => createDelivery({ ...o, store: memoryStore(), locks: null }),
      ...deps,
    },
  );
  return {
    win,
    tracker,
    transport,
    input: (type = 'pointerdown') => win.document.dispatchEvent(new win.Event(type)),
    setVisible(v) {
      stub(v);
      win.document.dispatchEvent(new win.Event('visibilitychange'));
    },
    latest() {
      const kept = new Map<string, SessionRecord>();
      for (const r of transport.records)
        if (r.type == 'session' && (kept.get(r.id)?.seq ?? -1) < r.seq) kept.set(r.id, r);
      return kept;
    },
    alerts: () => transport.records.filter((r) => r.type == 'alert'),
  };
}

/** A localStorage of its own for each test, shared by the tabs of that test. */
export function freshStorage(): Storage {
  const win = new HappyWindow({ url: 'https://learn.example/' });
  return win.localStorage as unknown as Storage;
}

/**
 * localStorage as browsers share it between renderer processes: each tab reads and writes its own copy
 * at once, and a write reaches the origin's store, then the other tabs (their copy and a `storage`
 * event), only at `deliver()`. The last write to reach the store wins; a tab with a write of a key still
 * on its way keeps its own value of that key (as Chromium's cache does), so two tabs that both
 * read-merge-write before either write arrived end with the second writer's state everywhere.
 */
export function laggedStorage() {
  const store = new Map<string, string>();
  const tabs: { data: Map<string, string>; pending: string[]; win?: Window & typeof globalThis }[] = [];
  const queue: { from: (typeof tabs)[number]; key: string; value: string }[] = [];
  return {
    /** A new tab's copy, for `deps.storage`; `attach` gives it the window its events go to. */
    tab() {
      const tab: (typeof tabs)[number] = { data: new Map(store), pending: [] };
      tabs.push(tab);
      const storage = {
        getItem: (k: string) => tab.data.get(k) ?? null,
        setItem(k: string, v: string) {
          if (tab.data.get(k) === String(v)) return; // as the spec says: no write, no event
          tab.data.set(k, String(v));
          tab.pending.push(k);
          queue.push({ from: tab, key: k, value: String(v) });
        },
      } as unknown as Storage;
      return { storage, attach: (win: Window & typeof globalThis) => void (tab.win = win) };
    },
    /** Delivers every write on its way, in order, and the writes the `storage` events cause; returns how many. */
    deliver() {
      let n = 0;
      for (let w; (w = queue.shift()); n++) {
        if (n > 100) throw new Error('storage writes do not converge');
        store.set(w.key, w.value);
        w.from.pending.splice(w.from.pending.indexOf(w.key), 1);
        for (const other of tabs)
          if (other != w.from) {
            const oldValue = other.data.get(w.key) ?? null;
            if (!other.pending.includes(w.key)) other.data.set(w.key, w.value);
            other.win?.dispatchEvent(new other.win.StorageEvent('storage', { key: w.key, oldValue, newValue: w.value }));
          }
      }
      return n;
    },
  };
}
