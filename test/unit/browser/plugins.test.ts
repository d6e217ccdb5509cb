// The plugin seam (src/browser/plugins.ts, src/plugin/host.ts) through real trackers on happy-dom tabs,
// with a fake clock: what a plugin hears, what it may write, where its fields go, and that nothing it
// throws reaches the page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PluginContext, PluginPage, TrackerPlugin } from '../../../src/browser/plugins';
import { definePlugin, MAX_PLUGIN_BYTES } from '../../../src/plugin';
import type { SessionRecord } from '../../../src/core/records';
import { freshStorage, MIN, openTab, SEC, T0, useFakeClock, type Tab } from './harness';

let storage: Storage;
const tabs: Tab[] = [];
const open = (...args: Parameters<typeof openTab>) => {
  const tab = openTab(...args);
  tabs.push(tab);
  return tab;
};
const newest = (...from: Tab[]): SessionRecord => {
  const all = from.flatMap((t) => t.transport.records).flatMap((r) => (r.type == 'session' ? [r] : []));
  return all.reduce((x, y) => (y.seq > x.seq ? y : x));
};

/** A plugin that records what it hears and hands its context to the test. */
function probe(name = 'probe') {
  const heard: string[] = [];
  let ctx!: PluginContext;
  const removed = vi.fn();
  const plugin: TrackerPlugin = {
    name,
    setup(context) {
      ctx = context;
      heard.push('setup');
      context.on('pagestart', (p) => heard.push('pagestart ' + p.name));
      context.on('pageend', (p) => heard.push('pageend ' + p.name));
      context.on('sessionstart', (s) => heard.push('sessionstart ' + (s.startedAt - T0)));
      context.on('sessionend', (s) => heard.push('sessionend ' + s.id.length));
      return removed;
    },
  };
  return { plugin: definePlugin(plugin), heard, removed, context: () => ctx };
}

beforeEach(() => {
  useFakeClock();
  storage = freshStorage();
});
afterEach(() => {
  tabs.splice(0).forEach((t) => t.tracker.stop());
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('what a plugin hears and reads', () => {
  it('is set up once at start, hears the page, the session and route changes in order, and its remover runs at stop()', () => {
    const p = probe();
    const tab = open('https://learn.example/a?x=1', storage, { plugins: [p.plugin], pageName: (u) => u.pathname.toUpperCase() });
    expect(p.heard).toEqual(['setup', 'pagestart /A']);
    expect(p.context().page()).toEqual({ name: '/A', url: 'https://learn.example/a?x=1', startedAt: T0 });
    vi.advanceTimersByTime(10 * SEC);
    tab.tracker.flush();
    expect(p.heard.at(-1)).toBe('sessionstart 0');
    tab.win.history.pushState(null, '', '/b');
    expect(p.heard.slice(-2)).toEqual(['pageend /A', 'pagestart /B']);
    expect(p.context().page()).toEqual({ name: '/B', url: 'https://learn.example/b', startedAt: T0 + 10 * SEC });
    tab.tracker.endSession();
    expect(p.heard.at(-1)).toBe('sessionend 32');
    expect(p.removed).not.toHaveBeenCalled();
    tab.tracker.stop();
    expect(p.heard.at(-1)).toBe('pageend /B');
    expect(p.removed).toHaveBeenCalledTimes(1);
  });

  it("engagedMs() is this tab's engaged time on the current page view: 0 at pagestart, monotonic, by the buffer rule", () => {
    const p = probe();
    const tab = open('https://learn.example/a', storage, { plugins: [p.plugin] });
    const ctx = p.context();
    expect([ctx.engagedMs(), ctx.engaged()]).toEqual([0, true]);
    vi.advanceTimersByTime(30 * SEC);
    expect(ctx.engagedMs()).toBe(30 * SEC);
    vi.advanceTimersByTime(50 * SEC); // the 60 s buffer after the load ran out at 60 s
    expect([ctx.engagedMs(), ctx.engaged()]).toEqual([60 * SEC, false]);
    tab.input();
    vi.advanceTimersByTime(5 * SEC);
    expect(ctx.engagedMs()).toBe(65 * SEC);
    tab.win.history.pushState(null, '', '/b');
    expect(ctx.engagedMs()).toBe(0);
    vi.advanceTimersByTime(2 * SEC);
    expect(ctx.engagedMs()).toBe(2 * SEC);
    tab.setVisible(false);
    vi.advanceTimersByTime(MIN);
    expect([ctx.engagedMs(), ctx.engaged()]).toEqual([2 * SEC, false]);
  });

  it('a plugin used after the tracker started hears the current page right after its setup', () => {
    const tab = open('https://learn.example/a', storage);
    vi.advanceTimersByTime(3 * SEC);
    const p = probe();
    tab.tracker.use(p.plugin);
    expect(p.heard).toEqual(['setup', 'pagestart /a']);
    expect(p.context().page()!.startedAt).toBe(T0);
    expect(p.context().engagedMs()).toBe(3 * SEC);
  });

  it('with consent pending, a plugin is set up only when measuring starts', () => {
    const p = probe();
    const tab = open('https://learn.example/a', storage, { plugins: [p.plugin], consent: 'pending' });
    expect(p.heard).toEqual([]);
    tab.tracker.grantConsent();
    expect(p.heard).toEqual(['setup', 'pagestart /a']);
  });
});

describe('what a plugin writes', () => {
  const writer = (name: string, setup: (ctx: PluginContext) => void) => definePlugin({ name, setup });

  it('sets fields on the page and session records, in every record from then on, the tracker keeping its own fields', async () => {
    let ctx!: PluginContext;
    const tab = open('https://learn.example/a', storage, { plugins: [writer('vitals-probe', (c) => void (ctx = c))] });
    vi.advanceTimersByTime(5 * SEC);
    ctx.setPageField('lcp', { value: 1200, rating: 'good' });
    ctx.setSessionField('device', 'mobile');
    await tab.tracker.flush();
    expect(newest(tab)).toMatchObject({ device: 'mobile', pages: [{ path: '/a', lcp: { value: 1200, rating: 'good' } }] });
    tab.win.history.pushState(null, '', '/b');
    ctx.setPageField('lcp', 900);
    ctx.setPageField('cls', 0.1, '/a');
    vi.advanceTimersByTime(5 * SEC);
    await tab.tracker.flush();
    const r = newest(tab);
    expect(r.pages.map((p) => [p.path, (p as any).lcp, (p as any).cls])).toEqual([
      ['/a', { value: 1200, rating: 'good' }, 0.1],
      ['/b', 900, undefined],
    ]);
    expect(r).toMatchObject({ device: 'mobile', engagedMs: 10 * SEC });
  });

  it('a field set before the session or its page exists arrives once they do', async () => {
    let ctx!: PluginContext;
    const tab = open('https://learn.example/a', storage, { plugins: [writer('early', (c) => void (ctx = c))] });
    // The millisecond the page loads: no engaged time yet, so no session and no page record.
    ctx.setPageField('ttfb', 80);
    ctx.setSessionField('entry', 'direct');
    expect(tab.tracker.snapshot()).toBeNull();
    vi.advanceTimersByTime(2 * SEC);
    await tab.tracker.flush();
    expect(newest(tab)).toMatchObject({ entry: 'direct', pages: [{ path: '/a', ttfb: 80 }] });
  });

  it('beforerecord is the last chance to write: the record being built carries what the plugin writes then', async () => {
    let reads = 0;
    const tab = open('https://learn.example/a', storage, {
      plugins: [writer('lazy', (c) => void c.on('beforerecord', () => c.setPageField('reads', ++reads)))],
    });
    vi.advanceTimersByTime(5 * SEC);
    const r = tab.tracker.snapshot()!;
    expect(r.pages[0]).toMatchObject({ reads });
    await tab.tracker.flush();
    expect(newest(tab).pages[0]).toMatchObject({ reads });
  });

  it('refuses core fields, another plugin’s field, values that are not JSON and more than 4 KiB, with a debug warning naming the field', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let a!: PluginContext;
    let b!: PluginContext;
    const tab = open('https://learn.example/a', storage, {
      debugMode: true,
      plugins: [writer('first', (c) => void (a = c)), writer('second', (c) => void (b = c))],
    });
    vi.spyOn(console, 'debug').mockImplementation(() => {});
    vi.advanceTimersByTime(2 * SEC);
    a.setPageField('scroll', 50);
    const refused: [PluginContext, string, unknown][] = [
      [a, 'engagedMs', 1],
      [a, 'path', '/x'],
      [b, 'scroll', 90],
      [a, 'big', 'x'.repeat(MAX_PLUGIN_BYTES)],
      [a, 'count', 10n],
      [a, 'nan', NaN],
      [a, 'date', new (class Point { x = 1 })()],
      [a, 'fn', () => 1],
    ];
    for (const [ctx, field, value] of refused) expect(() => ctx.setPageField(field, value)).not.toThrow();
    expect(() => a.setSessionField('seq', 99)).not.toThrow();
    const lines = warn.mock.calls.map((c) => c.map(String).join(' '));
    for (const field of ['engagedMs', 'path', 'scroll', 'big', 'count', 'nan', 'date', 'fn', 'seq'])
      expect(lines.some((l) => l.startsWith('[session-metrics] ') && l.includes(`field ${field}:`))).toBe(true);
    expect(lines.find((l) => l.includes('field scroll'))).toContain('a field of the plugin first');
    await tab.tracker.flush();
    const r = newest(tab);
    expect(r.seq).toBeGreaterThan(0);
    expect(r.pages).toEqual([expect.objectContaining({ path: '/a', scroll: 50, engagedMs: 2 * SEC })]);
    expect(Object.keys(r.pages[0]!)).not.toContain('big');
  });

  it('warns only in debugMode', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let a!: PluginContext;
    open('https://learn.example/a', storage, { plugins: [writer('quiet', (c) => void (a = c))] });
    a.setPageField('path', 1);
    a.warn('hello');
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a second plugin of the same name and a name that is not [a-z][a-z0-9-]{0,31}', () => {
    const setups: string[] = [];
    const named = (name: string) => definePlugin({ name, setup: () => void setups.push(name) });
    open('https://learn.example/a', storage, { plugins: [named('one'), named('one'), named('Two'), named('x'.repeat(33)), named('three-3')] });
    expect(setups).toEqual(['one', 'three-3']);
  });
});

describe('a plugin never breaks the page', () => {
  it('what setup, listeners, context calls and the remover throw stays inside; the tracker goes on measuring', async () => {
    const boom = () => {
      throw new Error('plugin bug');
    };
    const hostile = definePlugin({
      name: 'hostile',
      setup(ctx) {
        ctx.on('pagestart', boom);
        ctx.on('beforerecord', boom);
        ctx.on('sessionstart', boom);
        return boom;
      },
    });
    const early = definePlugin({ name: 'early-throw', setup: boom });
    const page = vi.fn();
    const tab = open('https://learn.example/a', storage, { plugins: [hostile, early] });
    tab.tracker.on('pagechange', page);
    vi.advanceTimersByTime(10 * SEC);
    await tab.tracker.flush();
    tab.win.history.pushState(null, '', '/b');
    expect(page).toHaveBeenCalledTimes(1);
    expect(() => tab.tracker.stop()).not.toThrow();
    expect(newest(tab)).toMatchObject({ engagedMs: 10 * SEC });
  });

  it('a plugin object that is not one (no attach, a throwing name getter) is refused without throwing', () => {
    const tab = open('https://learn.example/a', storage);
    const bad = Object.defineProperty({}, 'name', { get: () => { throw new Error('getter'); } });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => tab.tracker.use(bad as never)).not.toThrow();
    expect(() => tab.tracker.use({ name: 'raw', setup() {} } as never)).not.toThrow();
    expect(() => tab.tracker.use(null as never)).not.toThrow();
  });
});

describe('plugin fields in the shared session', () => {
  const fieldPlugin = (onSetup: (ctx: PluginContext) => void) => definePlugin({ name: 'attention', setup: onSetup });

  it("another tab's record and a record after a reload carry a page field only the first tab set", async () => {
    let ctxA!: PluginContext;
    const a = open('https://learn.example/a', storage, { plugins: [fieldPlugin((c) => void (ctxA = c))] });
    vi.advanceTimersByTime(5 * SEC);
    ctxA.setPageField('scroll', 75);
    // b shows /b and has the plugin too, but never writes a field.
    const b = open('https://learn.example/b', storage, { plugins: [fieldPlugin(() => {})] });
    vi.advanceTimersByTime(5 * SEC);
    a.setVisible(false);
    vi.advanceTimersByTime(5 * SEC);
    await b.tracker.flush();
    const fromB = b.transport.records.filter((r) => r.type == 'session').at(-1) as SessionRecord;
    expect(fromB.pages.find((p) => p.path == '/a')).toMatchObject({ scroll: 75 });
    a.tracker.stop();
    b.tracker.stop();
    // A reload of /a: a new tab whose plugin has written nothing yet.
    const reloaded = open('https://learn.example/a', storage, { plugins: [fieldPlugin(() => {})] });
    vi.advanceTimersByTime(5 * SEC);
    expect(reloaded.tracker.snapshot()!.pages.find((p) => p.path == '/a')).toMatchObject({ scroll: 75, views: 2 });
  });

  it("a tab puts back its plugin's field when another tab's stale write dropped it, without overwriting a newer value", async () => {
    let ctx!: PluginContext;
    const a = open('https://learn.example/a', storage, { plugins: [fieldPlugin((c) => void (ctx = c))] });
    vi.advanceTimersByTime(5 * SEC);
    a.tracker.flush();
    const stale = storage.getItem('sm:site')!;
    ctx.setPageField('scroll', 40);
    ctx.setSessionField('mode', 'reading');
    expect(JSON.parse(storage.getItem('sm:site')!).p['/a'].e).toEqual({ scroll: 40 });
    // Another tab that had not seen the field wrote last (localStorage is async across processes).
    storage.setItem('sm:site', stale);
    vi.advanceTimersByTime(5 * SEC);
    await a.tracker.flush();
    expect(newest(a)).toMatchObject({ mode: 'reading', pages: [{ path: '/a', scroll: 40 }] });
    // A value another tab wrote since stays: this tab only puts back what is missing.
    const state = JSON.parse(storage.getItem('sm:site')!);
    state.p['/a'].e.scroll = 90;
    storage.setItem('sm:site', JSON.stringify(state));
    vi.advanceTimersByTime(5 * SEC);
    await a.tracker.flush();
    expect(newest(a).pages[0]).toMatchObject({ scroll: 90 });
  });
});
