// A tab for tracker tests: its own happy-dom Window (document, history, location), a shared
// localStorage standing in for the origin's, the real delivery layer over the real memory transport.
import { vi } from 'vitest';
import { Window } from 'happy-dom';
import { createTracker, type TrackerDeps } from '../../../src/browser/tracker';
import type { TrackerOptions } from '../../../src/core/options';
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
  const win = new Window({ url }) as unknown as Window & typeof globalThis;
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
  const win = new Window({ url: 'https://learn.example/' });
  return win.localStorage as unknown as Storage;
}
