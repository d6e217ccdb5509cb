import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionRecord } from '../../../src/core/records';
import { freshStorage, jump, laggedStorage, MIN, openTab, SEC, T0, useFakeClock, type Tab } from './harness';

let storage: Storage;
const tabs: Tab[] = [];
const open = (...args: Parameters<typeof openTab>) => {
  const tab = openTab(...args);
  tabs.push(tab);
  return tab;
};
const only = (tab: Tab) => {
  const sessions = [...tab.latest().values()];
  expect(sessions).toHaveLength(1);
  return sessions[0]!;
};

beforeEach(() => {
  useFakeClock();
  storage = freshStorage();
});
afterEach(() => {
  tabs.splice(0).forEach((t) => t.tracker.stop());
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('engaged time through real DOM events', () => {
  it('credits the buffer after the last input, and no more (signal 59 s after the last: no break)', async () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(59 * SEC);
    tab.input('keydown');
    vi.advanceTimersByTime(10 * MIN);
    await tab.tracker.flush();
    const r = only(tab);
    expect(r.engagedMs).toBe(59 * SEC + 60 * SEC);
    expect(r.breaks.count).toBe(0);
    expect(r.startedAt).toBe(new Date(T0).toISOString());
  });

  it('has no session before any engaged time: snapshot() is null in the millisecond the page loads, a record 1 ms later', () => {
    const tab = open('https://learn.example/a', storage);
    tab.input('pointerdown');
    expect(tab.tracker.snapshot()).toBeNull();
    vi.advanceTimersByTime(1);
    expect(tab.tracker.snapshot()).toMatchObject({ engagedMs: 1, durationMs: 1, startedAt: new Date(T0).toISOString() });
  });

  it('a signal 61 s after the last leaves a 1 s break', async () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(61 * SEC);
    tab.input('pointermove');
    vi.advanceTimersByTime(10 * MIN);
    await tab.tracker.flush();
    const r = only(tab);
    expect(r.engagedMs).toBe(120 * SEC);
    expect(r.durationMs).toBe(121 * SEC);
    expect(r.breaks).toMatchObject({ count: 1, totalMs: SEC, longestMs: SEC });
  });

  it('stops at hidden, sends at once on hidden, and starts again on visible', async () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(20 * SEC);
    tab.setVisible(false);
    // The snapshot left synchronously with the hide (a beacon cannot wait for a later task).
    expect(tab.transport.records.filter((r) => r.type == 'session').at(-1)).toMatchObject({ engagedMs: 20 * SEC });
    vi.advanceTimersByTime(5 * MIN);
    tab.setVisible(true);
    vi.advanceTimersByTime(10 * SEC);
    await tab.tracker.flush();
    expect(only(tab)).toMatchObject({ engagedMs: 30 * SEC, durationMs: 5 * MIN + 30 * SEC, breaks: { count: 1 } });
  });

  it('a pagehide in a tab hidden already sends at once what delivery still holds (a reload of a background tab)', () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(10 * SEC);
    tab.setVisible(false);
    tab.tracker.endSession(); // its final record waits for the next task (and IndexedDB)
    const before = tab.transport.records.length;
    tab.win.dispatchEvent(new tab.win.Event('pagehide'));
    expect(tab.transport.records.slice(before)).toEqual([expect.objectContaining({ type: 'session', final: true, engagedMs: 10 * SEC })]);
  });

  it('a page loaded hidden is not engaged until shown', async () => {
    const tab = open('https://learn.example/a', storage, {}, {}, false);
    vi.advanceTimersByTime(3 * MIN);
    expect(tab.tracker.snapshot()).toBeNull();
    tab.setVisible(true);
    vi.advanceTimersByTime(2 * MIN);
    await tab.tracker.flush();
    expect(only(tab)).toMatchObject({ engagedMs: 60 * SEC, startedAt: new Date(T0 + 3 * MIN).toISOString() });
  });

  it('counts playing media as engagement without any input', async () => {
    const tab = open('https://learn.example/video', storage);
    const video = tab.win.document.createElement('video');
    tab.win.document.body.appendChild(video);
    void video.play();
    vi.advanceTimersByTime(10 * MIN);
    video.pause();
    vi.advanceTimersByTime(10 * MIN);
    await tab.tracker.flush();
    expect(only(tab).engagedMs).toBe(11 * MIN);
  });

  it('credits a sleeping machine nothing beyond the buffer (the clock jumps, no timer runs)', async () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(10 * SEC);
    tab.input();
    jump(20 * MIN); // lid closed: no timer ran
    tab.input(); // lid opened, within the expiry
    vi.advanceTimersByTime(30 * SEC);
    await tab.tracker.flush();
    const r = only(tab);
    expect(r.engagedMs).toBe(70 * SEC + 30 * SEC);
    expect(r.breaks.longestMs).toBe(20 * MIN + 10 * SEC - 70 * SEC);
  });
});

describe('sessions', () => {
  it('ends by timer exactly at the expiry threshold with a final record; the next input starts a new session', async () => {
    const tab = open('https://learn.example/a', storage, { sessionExpirationThreshold: 30 });
    const ends: string[] = [];
    tab.tracker.on('sessionend', (r) => ends.push(r.id));
    vi.advanceTimersByTime(60 * SEC + 30 * MIN - 1);
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ends).toHaveLength(1);
    tab.input();
    vi.advanceTimersByTime(5 * SEC);
    await tab.tracker.flush();
    const sessions = [...tab.latest().values()];
    expect(sessions.map((s) => [s.final, s.engagedMs])).toEqual([
      [true, 60 * SEC],
      [false, 5 * SEC],
    ]);
  });

  it('a gap of exactly the threshold after sleep starts a new session at the next signal; one ms less does not', async () => {
    const tab = open('https://learn.example/a', storage, { sessionExpirationThreshold: 30 });
    jump(60 * SEC + 30 * MIN - 1);
    tab.input();
    vi.advanceTimersByTime(SEC);
    const id = tab.tracker.snapshot()!.id;
    expect(tab.tracker.snapshot()!.engagedMs).toBe(61 * SEC);
    // The session's last engaged instant is now 60 s after that input; from there, exactly 30 min.
    jump(59 * SEC + 30 * MIN);
    tab.input();
    vi.advanceTimersByTime(SEC);
    expect(tab.tracker.snapshot()).toMatchObject({ engagedMs: SEC, final: false });
    expect(tab.tracker.snapshot()!.id).not.toBe(id);
    await tab.tracker.flush();
    expect([...tab.latest().values()].map((s) => s.final)).toEqual([true, false]);
  });

  it('survives a reload inside the expiry, and not after it', async () => {
    const a = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(30 * SEC);
    a.setVisible(false);
    a.tracker.stop();
    vi.advanceTimersByTime(10 * SEC);
    const b = open('https://learn.example/a', storage); // the reload
    vi.advanceTimersByTime(30 * SEC);
    await b.tracker.flush();
    const r = only(b);
    expect(r.id).toBe(only(a).id);
    expect(r.engagedMs).toBe(60 * SEC);
    expect(r.seq).toBeGreaterThan(only(a).seq);
    expect(r.pages).toEqual([expect.objectContaining({ path: '/a', views: 2, engagedMs: 60 * SEC })]);
    b.setVisible(false);
    b.tracker.stop();

    jump(31 * MIN);
    const c = open('https://learn.example/a', storage);
    // The load noticed the expiry: the old session's final record goes out with it.
    await c.tracker.flush();
    expect(c.latest().get(r.id)).toMatchObject({ final: true, engagedMs: 60 * SEC });
    vi.advanceTimersByTime(2 * SEC);
    expect(c.tracker.snapshot()!.id).not.toBe(r.id);
  });

  it('two tabs overlapping share one session and count their overlap once; seq grows across tabs', async () => {
    const a = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(30 * SEC);
    const b = open('https://learn.example/b', storage);
    vi.advanceTimersByTime(60 * SEC);
    // a: engaged 0..60 s; b: 30..90 s. The union is 90 s, the sum would be 120 s.
    a.setVisible(false);
    b.setVisible(false);
    const all = [...a.transport.records, ...b.transport.records].flatMap((r) => (r.type == 'session' ? [r] : []));
    // One session id everywhere, and no seq used twice: the shared state hands them out.
    expect(new Set(all.map((r) => r.id)).size).toBe(1);
    expect(new Set(all.map((r) => r.seq)).size).toBe(all.length);
    const newest = all.reduce((x, y) => (y.seq > x.seq ? y : x));
    expect(newest.engagedMs).toBe(90 * SEC);
    expect(newest.pages.map((p) => [p.path, p.engagedMs])).toEqual([
      ['/a', 60 * SEC],
      ['/b', 60 * SEC],
    ]);
  });

  it('two tabs one after the other leave a break between them', async () => {
    const a = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(10 * SEC);
    a.setVisible(false);
    vi.advanceTimersByTime(5 * MIN);
    const b = open('https://learn.example/b', storage);
    vi.advanceTimersByTime(10 * SEC);
    b.setVisible(false);
    expect(only(b)).toMatchObject({
      id: only(a).id,
      engagedMs: 20 * SEC,
      durationMs: 5 * MIN + 20 * SEC,
      breaks: { count: 1, totalMs: 5 * MIN, histogram: { '2m-10m': 1 } },
    });
  });

  it('endSession() sends a final record; the next activity starts a new session', async () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(20 * SEC);
    tab.tracker.endSession();
    vi.advanceTimersByTime(2 * MIN);
    tab.input();
    vi.advanceTimersByTime(10 * SEC);
    await tab.tracker.flush();
    expect([...tab.latest().values()].map((s) => [s.final, s.engagedMs])).toEqual([
      [true, 20 * SEC],
      [false, 10 * SEC],
    ]);
  });

  it('identify() sets userId; anonymousId is stable across tabs; no query string travels', async () => {
    const a = open('https://learn.example/a?email=x@y.z', storage);
    a.tracker.identify('u-42');
    vi.advanceTimersByTime(5 * SEC);
    a.setVisible(false);
    const b = open('https://learn.example/b', storage);
    vi.advanceTimersByTime(5 * SEC);
    b.setVisible(false);
    const r = only(b);
    expect(r.userId).toBe('u-42');
    expect(r.anonymousId).toBe(only(a).anonymousId);
    expect(r.anonymousId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(a.transport.records)).not.toContain('email');
  });
});

describe('pages', () => {
  it('switches page on pushState, popstate and hashchange with a pageName mapper, not on same-path replaceState', async () => {
    const tab = open('https://learn.example/lesson/1', storage, {
      pageName: (url) => url.pathname.replace(/\/\d+$/, '/:id') + (url.hash == '#quiz' ? '#quiz' : ''),
    });
    const changes: string[] = [];
    tab.tracker.on('pagechange', (c) => changes.push(`${c.from}>${c.path}`));
    vi.advanceTimersByTime(10 * SEC);
    tab.win.history.pushState({}, '', '/lesson/2');
    vi.advanceTimersByTime(20 * SEC);
    tab.win.history.pushState({}, '', '/home');
    vi.advanceTimersByTime(5 * SEC);
    tab.win.history.replaceState({ scroll: 1 }, '', '/home');
    tab.win.history.pushState({}, '', '/lesson/3');
    vi.advanceTimersByTime(5 * SEC);
    tab.win.location.hash = '#quiz';
    tab.win.dispatchEvent(new tab.win.HashChangeEvent('hashchange'));
    vi.advanceTimersByTime(7 * SEC);
    await tab.tracker.flush();
    expect(changes).toEqual(['/lesson/:id>/home', '/home>/lesson/:id', '/lesson/:id>/lesson/:id#quiz']);
    expect(only(tab).pages.map((p) => [p.path, p.views, p.engagedMs / SEC])).toEqual([
      ['/lesson/:id', 2, 35],
      ['/home', 1, 5],
      ['/lesson/:id#quiz', 1, 7],
    ]);
  });

  it('gives page records only to pages matching trackSpecificPages, while the session counts all', async () => {
    const tab = open('https://learn.example/home', storage, { trackSpecificPages: ['/lesson/*'] });
    vi.advanceTimersByTime(10 * SEC);
    tab.win.history.pushState({}, '', '/lesson/7');
    vi.advanceTimersByTime(10 * SEC);
    tab.win.history.pushState({}, '', '/lesson/7/notes');
    vi.advanceTimersByTime(10 * SEC);
    await tab.tracker.flush();
    const r = only(tab);
    expect(r.engagedMs).toBe(30 * SEC);
    expect(r.pages.map((p) => p.path)).toEqual(['/lesson/7']);
  });
});

describe('sampling', () => {
  // Ids whose hash falls below or above 0.5, so the decision is known in advance.
  const IN = 'a'.repeat(32);
  const OUT = 'b'.repeat(32);

  it('every tab agrees, and a sampled-out session sends nothing', async () => {
    const { isSampled } = await import('../../../src/core/sampling');
    expect([isSampled(IN, 0.5), isSampled(OUT, 0.5)]).toEqual([true, false]);
    const out = open('https://learn.example/a', storage, { samplingRate: 0.5 }, { randomId: () => OUT });
    vi.advanceTimersByTime(10 * SEC);
    const other = open('https://learn.example/b', storage, { samplingRate: 0.5 }, { randomId: () => IN });
    vi.advanceTimersByTime(10 * SEC);
    out.setVisible(false);
    other.setVisible(false);
    await out.tracker.flush();
    await other.tracker.flush();
    expect(out.transport.records).toEqual([]);
    expect(other.transport.records).toEqual([]);
    expect(other.tracker.snapshot()).toBeNull();
  });

  it('a sampled-in session carries its sampleRate', async () => {
    const tab = open('https://learn.example/a', storage, { samplingRate: 0.5 }, { randomId: () => IN });
    vi.advanceTimersByTime(10 * SEC);
    await tab.tracker.flush();
    expect(only(tab).sampleRate).toBe(0.5);
  });
});

describe('thresholds and alerts', () => {
  it('fires above at the moment of crossing (by timer, without input), once, and below at session end', async () => {
    const tab = open('https://learn.example/a', storage, {
      thresholds: { casual: 30, engaged: { seconds: 300, below: true } },
      sendAlerts: true,
    });
    const seen: string[] = [];
    tab.tracker.on('threshold', (a) => seen.push(`${a.direction} ${a.threshold} ${a.engagedMs / SEC} ${(Date.parse(a.at) - T0) / SEC}`));
    vi.advanceTimersByTime(30 * SEC);
    expect(seen).toEqual(['above casual 30 30']);
    vi.advanceTimersByTime(60 * SEC);
    tab.input(); // 90 s: engaged until 150 s
    vi.advanceTimersByTime(5 * MIN);
    tab.tracker.endSession();
    expect(seen).toEqual(['above casual 30 30', 'below engaged 120 150']);
    await tab.tracker.flush();
    expect(tab.alerts().map((a) => a.type == 'alert' && a.direction)).toEqual(['above', 'below']);
    expect(only(tab)).toMatchObject({ band: 'casual', final: true, pages: [{ band: 'casual' }] });
  });

  it('does not send alerts as records unless asked', async () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(40 * SEC);
    await tab.tracker.flush();
    expect(tab.alerts()).toEqual([]);
    expect(only(tab).band).toBe('casual');
  });
});

describe('options, privacy and robustness', () => {
  it('reports each invalid option once, naming it, and uses its default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tab = open('https://learn.example/a', storage, { bufferTimeBeforeEnd: 'long' as never, samplingRate: -1 });
    expect(warn.mock.calls.map((c) => c.join(' '))).toEqual([
      '[session-metrics] option bufferTimeBeforeEnd must be seconds > 0, got "long"',
      '[session-metrics] option samplingRate must be a number in [0, 1], got -1',
    ]);
    vi.advanceTimersByTime(5 * MIN);
    await tab.tracker.flush();
    expect(only(tab)).toMatchObject({ engagedMs: 60 * SEC, sampleRate: 1 });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('measures nothing under Do Not Track or Global Privacy Control unless told not to respect it', async () => {
    const win = openTab('https://learn.example/a', storage).win; // only for its navigator type
    for (const [prop, value] of [
      ['doNotTrack', '1'],
      ['globalPrivacyControl', true],
    ] as const) {
      const tab = open('https://learn.example/a', storage, {}, { window: withNavigator(win, prop, value) });
      vi.advanceTimersByTime(MIN);
      await tab.tracker.flush();
      expect(tab.transport.records).toEqual([]);
    }
    const ignoring = open('https://learn.example/a', storage, { respectDoNotTrack: false }, { window: withNavigator(win, 'doNotTrack', '1') });
    vi.advanceTimersByTime(MIN);
    await ignoring.tracker.flush();
    expect(ignoring.transport.records.length).toBeGreaterThan(0);
  });

  it('with consent pending measures nothing until grantConsent()', async () => {
    const tab = open('https://learn.example/a', storage, { consent: 'pending' });
    vi.advanceTimersByTime(MIN);
    await tab.tracker.flush();
    expect(tab.transport.records).toEqual([]);
    tab.tracker.grantConsent();
    vi.advanceTimersByTime(20 * SEC);
    await tab.tracker.flush();
    expect(only(tab)).toMatchObject({ engagedMs: 20 * SEC, startedAt: new Date(T0 + MIN).toISOString() });
  });

  it('enabled: false measures nothing', async () => {
    const tab = open('https://learn.example/a', storage, { enabled: false });
    vi.advanceTimersByTime(MIN);
    await tab.tracker.flush();
    expect(tab.transport.records).toEqual([]);
    expect(storage.length).toBe(0);
  });

  it('works when storage is blocked or full', async () => {
    const full = freshStorage();
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    for (const s of [null, full]) {
      const tab = open('https://learn.example/a', s);
      vi.advanceTimersByTime(10 * SEC);
      tab.input();
      vi.advanceTimersByTime(10 * SEC);
      await tab.tracker.flush();
      expect(only(tab).engagedMs).toBe(20 * SEC);
      tab.tracker.stop();
    }
  });

  it('stop() removes its listeners, timers and history wrappers', async () => {
    const probe = new (await import('happy-dom')).Window({ url: 'https://learn.example/' });
    const originalPush = probe.history.pushState;
    const tab = open('https://learn.example/a', storage);
    const pushBefore = tab.win.history.pushState;
    expect(pushBefore).not.toBe(originalPush);
    vi.advanceTimersByTime(10 * SEC);
    tab.tracker.stop();
    await Promise.resolve();
    const sent = tab.transport.records.length;
    expect(tab.win.history.pushState).toBe(Object.getPrototypeOf(tab.win.history).pushState);
    tab.input();
    tab.setVisible(false);
    vi.advanceTimersByTime(2 * 60 * MIN);
    expect(vi.getTimerCount()).toBe(0);
    expect(tab.transport.records.length).toBe(sent);
  });

  it('never throws into the host, even from a pageName that throws or a listener that throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tab = open('https://learn.example/a', storage, {
      pageName: () => {
        throw new Error('boom');
      },
    });
    tab.tracker.on('record', () => {
      throw new Error('listener');
    });
    vi.advanceTimersByTime(10 * SEC);
    expect(() => tab.win.history.pushState({}, '', '/b')).not.toThrow();
    await tab.tracker.flush();
    expect(only(tab).pages.map((p) => p.path)).toEqual(['/a', '/b']);
    expect(warn).toHaveBeenCalled();
  });
});

/** The same window with one navigator property replaced. */
function withNavigator(win: Window, prop: string, value: unknown): Window {
  const nav = Object.create(win.navigator, { [prop]: { value } });
  return new Proxy(win, { get: (t, k) => (k == 'navigator' ? nav : Reflect.get(t, k)) }) as Window;
}

describe('cross-tab writes', () => {
  /**
   * The record a receiver keeps of the tabs' one session: the highest seq, the first to arrive of several
   * with it, so they must all be the same record.
   */
  const topRecord = (...tabs: Tab[]) => {
    const all = tabs.flatMap((t) => t.transport.records).flatMap((r) => (r.type == 'session' ? [r] : []));
    expect(new Set(all.map((r) => r.id)).size).toBe(1);
    const newest = all.reduce((x, y) => (y.seq > x.seq ? y : x));
    for (const r of all.filter((r) => r.seq == newest.seq)) expect(r).toEqual(newest);
    return newest;
  };
  /** Opens tabs on one lagged localStorage, each after every write on its way has landed. */
  const laggedTab =
    (net: ReturnType<typeof laggedStorage>) =>
    (url: string, visible = true) => {
      net.deliver();
      const view = net.tab();
      const t = open(url, view.storage, {}, {}, visible);
      view.attach(t.win);
      net.deliver();
      return t;
    };

  it('a tab repairs its commit (and seq) after another tab overwrote them with an older state', async () => {
    const a = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(2 * SEC);
    const b = open('https://learn.example/b', storage);
    vi.advanceTimersByTime(20 * SEC);
    const stale = storage.getItem('sm:site')!;
    vi.advanceTimersByTime(20 * SEC);
    a.tracker.flush();
    // b's process had not seen a's last write yet when it wrote (localStorage is async across processes).
    storage.setItem('sm:site', stale);
    a.setVisible(false);
    b.setVisible(false);
    const all = [...a.transport.records, ...b.transport.records].flatMap((r) => (r.type == 'session' ? [r] : []));
    // The overwrite also took seq back; it still grows, since each tab remembers the last it used.
    expect(new Set(all.map((r) => r.seq)).size).toBe(all.length);
    const newest = all.reduce((x, y) => (y.seq > x.seq ? y : x));
    expect(newest.pages.map((p) => [p.path, p.engagedMs])).toEqual([
      ['/a', 42 * SEC],
      ['/b', 40 * SEC],
    ]);
    expect(newest.engagedMs).toBe(42 * SEC);
  });

  it('a tab repairs all of its engaged time an older state overwrote, however many commits it made since', async () => {
    const a = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(2 * SEC);
    a.tracker.flush();
    const stale = storage.getItem('sm:site')!;
    // Twenty commits of one unbroken stretch of engagement (each flush realizes a piece of it).
    for (let i = 0; i < 20; i++) vi.advanceTimersByTime(SEC), a.tracker.flush();
    storage.setItem('sm:site', stale);
    a.setVisible(false);
    const newest = only(a);
    expect(newest.engagedMs).toBe(22 * SEC);
    expect(newest.pages.map((p) => [p.path, p.engagedMs])).toEqual([['/a', 22 * SEC]]);
  });

  it("a tab whose last commit another tab's simultaneous write dropped merges it back on that write's storage event", async () => {
    const net = laggedStorage();
    const tab = laggedTab(net);
    const a = tab('https://learn.example/a');
    vi.advanceTimersByTime(10 * SEC);
    const b = tab('https://learn.example/b', false);
    vi.advanceTimersByTime(40 * SEC);
    net.deliver();
    b.setVisible(true);
    net.deliver();
    vi.advanceTimersByTime(8 * SEC);
    // At 58 s both read-merge-write before either write reached the other: a hides for good, b flushes.
    a.setVisible(false);
    b.tracker.flush();
    net.deliver(); // a's write lands first, b's (without a's 30..58 s) last: b's state is everyone's now
    vi.advanceTimersByTime(20 * SEC);
    b.setVisible(false);
    net.deliver();
    expect(net.deliver()).toBe(0); // converged: nobody writes any more
    // a: engaged 0..58 s, b: 50..78 s; the union is 78 s.
    expect(b.tracker.snapshot()!.engagedMs).toBe(78 * SEC);
    const newest = topRecord(a, b);
    expect(newest.engagedMs).toBe(78 * SEC);
    expect(newest.pages.map((p) => [p.path, p.engagedMs])).toEqual([
      ['/a', 58 * SEC],
      ['/b', 28 * SEC],
    ]);
  });
  // The bench's two-tabs race: both tabs snapshot seq n from the same state and the receiver keeps whichever
  // arrived first. Mending does not catch it (nothing of a's is missing from b's state).
  it('two tabs hiding at once from the same state answer each other: every record of the highest seq carries the union', async () => {
    const net = laggedStorage();
    const tab = laggedTab(net);
    const a = tab('https://learn.example/a');
    vi.advanceTimersByTime(10 * SEC);
    const b = tab('https://learn.example/b');
    for (let i = 0; i < 7; i++) vi.advanceTimersByTime(10 * SEC), net.deliver();
    b.input(); // at 80 s, after a's and b's engagement ran out (60 s, 70 s)
    vi.advanceTimersByTime(5 * SEC);
    net.deliver();
    vi.advanceTimersByTime(5 * SEC);
    // At 90 s both hide before either write reached the other: both snapshot with the same seq, and
    // b's state (the last to land) holds everything of a's, yet a's record of that seq lacks b's 80..90 s.
    a.setVisible(false);
    b.setVisible(false);
    net.deliver();
    expect(net.deliver()).toBe(0);
    const newest = topRecord(a, b);
    expect(newest.engagedMs).toBe(80 * SEC);
    expect(newest.pages.map((p) => [p.path, p.engagedMs])).toEqual([
      ['/a', 60 * SEC],
      ['/b', 70 * SEC],
    ]);
  });
  it('visible tabs used side by side leave races to their next snapshot: each snapshots at most once per flushInterval', async () => {
    const net = laggedStorage();
    const tab = laggedTab(net);
    const a = tab('https://learn.example/a');
    const b = tab('https://learn.example/b');
    const all: SessionRecord[] = [];
    for (const t of [a, b]) t.tracker.on('record', (r) => r.type == 'session' && all.push(r));
    // Five minutes of both tabs in use, their writes reaching each other a second later.
    for (let s = 0; s < 300; s++) {
      if (s % 7 == 0) a.input();
      if (s % 11 == 0) b.input();
      vi.advanceTimersByTime(SEC);
      net.deliver();
    }
    // flushInterval is 30 s: one session, each tab at most one snapshot per 30 s of it (and its first one).
    expect(new Set(all.map((r) => r.id)).size).toBe(1);
    expect(all.length).toBeLessThanOrEqual(2 * (300 / 30 + 1));
    expect(a.tracker.snapshot()!.engagedMs).toBe(300 * SEC);
  });
});

describe('snapshots and debug output', () => {
  it('while engaged sends a snapshot at most every flushInterval, and none while nothing changes', async () => {
    const tab = open('https://learn.example/a', storage, { flushInterval: 30 });
    const seqs: number[] = [];
    tab.tracker.on('record', (r) => r.type == 'session' && seqs.push(r.seq));
    const video = tab.win.document.createElement('video');
    tab.win.document.body.appendChild(video);
    void video.play();
    vi.advanceTimersByTime(2 * MIN); // engaged throughout: snapshots at 30, 60, 90, 120 s
    expect(seqs).toEqual([1, 2, 3, 4]);
    video.pause();
    vi.advanceTimersByTime(10 * MIN); // the buffer runs to 180 s: snapshots at 150 and 180 s, then nothing
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tab.tracker.snapshot()!.engagedMs).toBe(3 * MIN);
  });

  it('debugMode logs each decision with a prefix', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const tab = open('https://learn.example/a', storage, { debugMode: true });
    vi.advanceTimersByTime(2 * SEC);
    tab.setVisible(false);
    const lines = () => debug.mock.calls.map((c) => c.map(String).join(' '));
    expect(lines().every((l) => l.startsWith('[session-metrics] '))).toBe(true);
    for (const what of ['start /a visible', 'session start', 'hidden', 'record 1 2000'])
      expect(lines().some((l) => l.includes(what))).toBe(true);
    expect(lines().some((l) => l.includes('idle'))).toBe(false);
    tab.setVisible(true);
    vi.advanceTimersByTime(MIN - 1);
    expect(lines().some((l) => l.includes('idle'))).toBe(false);
    vi.advanceTimersByTime(1); // the buffer after the last signal (being shown) runs out
    expect(lines().at(-1)).toBe('[session-metrics] idle');
  });
});
