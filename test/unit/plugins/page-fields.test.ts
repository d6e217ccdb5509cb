// The attention plugins' field names through the real seam (src/plugin/host.ts) on a happy-dom tab with a
// fake clock: `vitals` is a session-record field of the tracker, but on a page record it is the vitals
// plugin's (PLUGIN-SEAM, issue 13), and so are `scroll`, `sections` and `media`.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { PluginContext } from '../../../src/browser/plugins';
import { definePlugin } from '../../../src/plugin';
import type { SessionRecord } from '../../../src/core/records';
import { freshStorage, openTab, SEC, useFakeClock, type Tab } from '../browser/harness';

let tab: Tab | undefined;
beforeEach(() => useFakeClock());
afterEach(() => {
  tab?.tracker.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

it('lets plugins set vitals, scroll, sections and media on page records, while the session record keeps its own vitals', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'debug').mockImplementation(() => {});
  let vitals!: PluginContext;
  let attention!: PluginContext;
  tab = openTab('https://learn.example/lesson', freshStorage(), {
    debugMode: true,
    plugins: [definePlugin({ name: 'vitals', setup: (c) => void (vitals = c) }), definePlugin({ name: 'attention', setup: (c) => void (attention = c) })],
  });
  vi.advanceTimersByTime(3 * SEC);
  vitals.setPageField('vitals', { LCP: 1234.5, CLS: 0.02 });
  vitals.setSessionField('vitals', { LCP: 1 });
  attention.setPageField('scroll', { depth: 0.5, reachedMs: { 25: 0, 50: 2000 } });
  attention.setPageField('sections', { intro: [3000, 0] });
  attention.setPageField('media', { lecture: { watchedMs: 1000, durationMs: 4000, completion: 0.25, ended: false } });
  await tab.tracker.flush();
  const records = tab.transport.records.filter((r): r is SessionRecord => r.type == 'session');
  const last = records.reduce((x, y) => (y.seq > x.seq ? y : x));
  expect(last.pages[0]).toMatchObject({
    path: '/lesson',
    vitals: { LCP: 1234.5, CLS: 0.02 },
    scroll: { depth: 0.5, reachedMs: { 25: 0, 50: 2000 } },
    sections: { intro: [3000, 0] },
    media: { lecture: { watchedMs: 1000, durationMs: 4000, completion: 0.25, ended: false } },
  });
  expect(last.vitals).toBeUndefined();
  const lines = warn.mock.calls.map((c) => c.map(String).join(' '));
  expect(lines.filter((l) => l.includes('refused'))).toEqual([expect.stringContaining('refused the field vitals: a core field')]);
});
