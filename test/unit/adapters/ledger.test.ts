import { describe, expect, it } from 'vitest';
import { account, MAX_SESSIONS, parseLedger, type Ledger, type Report } from '../../../src/adapters/ledger';
import type { WireRecord } from '../../../src/core/records';
import { snapshot } from './records';

/** Feeds batches through one ledger, as successive sends would, and returns every report. */
const run = (batches: WireRecord[][], forward: 'final' | 'deltas', pages = false, ledger: Ledger = {}) =>
  batches.flatMap((b) => account(ledger, b, { forward, pages }));
const total = (reports: Report[], page?: string) => reports.filter((r) => r.page?.path === page).reduce((s, r) => s + r.valueMs, 0);

describe('exactly-once ledger: deltas (summing vendors)', () => {
  it('reports what grew, once, through repeated, stale and out-of-order snapshots (seq 10, 9, 10)', () => {
    const reports = run([[snapshot(8, 20_000)], [snapshot(10, 50_000)], [snapshot(9, 40_000)], [snapshot(10, 50_000)], [snapshot(12, 65_000, { final: true })]], 'deltas');
    expect(reports.map((r) => r.valueMs)).toEqual([20_000, 30_000, 15_000]);
    expect(total(reports)).toBe(65_000);
  });

  it('gives each delta a key from where it starts, so two tabs computing the same delta send the same key', () => {
    const a = run([[snapshot(1, 10_000)], [snapshot(2, 25_000)]], 'deltas');
    const b = run([[snapshot(1, 10_000)], [snapshot(2, 25_000)]], 'deltas');
    expect(a.map((r) => r.key)).toEqual(b.map((r) => r.key));
    expect(a[0]!.key).not.toBe(a[1]!.key);
    expect(a[1]!.key).toBe('site\ns1\nsession@10000');
  });

  it('sums per page to each page\'s dwell time, beside the session', () => {
    const reports = run([[snapshot(1, 10_000)], [snapshot(2, 31_000)], [snapshot(3, 31_000)]], 'deltas', true);
    expect(total(reports)).toBe(31_000);
    expect(total(reports, '/a')).toBe(15_500);
    expect(total(reports, '/b')).toBe(15_500);
  });

  it('reports nothing after the final record, not even a larger snapshot that a racing tab sent', () => {
    const reports = run([[snapshot(5, 10_000, { final: true })], [snapshot(6, 20_000)]], 'deltas');
    expect(total(reports)).toBe(10_000);
  });
});

describe('exactly-once ledger: final (de-duplicating and bucketing vendors)', () => {
  it('reports one event per session, with the whole engaged time, however often the final record comes', () => {
    const reports = run([[snapshot(1, 5_000)], [snapshot(4, 40_000, { final: true })], [snapshot(4, 40_000, { final: true })], [snapshot(3, 30_000)]], 'final');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ valueMs: 40_000, key: 'site\ns1\nsession' });
  });

  it('takes a final record with the same seq as a non-final one seen first (two tabs snapshotted one state)', () => {
    const reports = run([[snapshot(7, 12_000)], [snapshot(7, 12_000, { final: true })]], 'final');
    expect(reports.map((r) => r.valueMs)).toEqual([12_000]);
  });

  it('with pages, one event per page too, each with a key of its own', () => {
    const reports = run([[snapshot(2, 9_000, { final: true })]], 'final', true);
    expect(reports.map((r) => [r.page?.path, r.valueMs, r.key])).toEqual([
      [undefined, 9_000, 'site\ns1\nsession'],
      ['/a', 4_500, 'site\ns1\npage:/a'],
      ['/b', 4_500, 'site\ns1\npage:/b'],
    ]);
  });

  it('keeps sessions of two sites apart, and alerts report nothing', () => {
    const reports = run(
      [[snapshot(1, 1_000, { final: true }), snapshot(1, 2_000, { final: true, siteId: 'other' }), { v: 1, type: 'alert', siteId: 'site', sessionId: 's1', threshold: 'casual', direction: 'above', at: '2026-01-05T09:00:00.000Z', engagedMs: 1 }]],
      'final',
    );
    expect(reports.map((r) => r.valueMs)).toEqual([1_000, 2_000]);
  });
});

describe('ledger storage', () => {
  it('survives a round trip through JSON (another tab, a reload) and reports nothing twice', () => {
    const ledger: Ledger = {};
    run([[snapshot(3, 30_000)]], 'deltas', false, ledger);
    const reloaded = parseLedger(JSON.stringify(ledger));
    expect(run([[snapshot(3, 30_000)], [snapshot(4, 31_000)]], 'deltas', false, reloaded).map((r) => r.valueMs)).toEqual([1_000]);
  });

  it('forgets the oldest sessions beyond the cap, keeping the newest', () => {
    const ledger: Ledger = {};
    for (let i = 0; i < MAX_SESSIONS + 5; i++) account(ledger, [snapshot(1, 1_000, { id: 's' + i })], { forward: 'deltas', pages: false });
    const ids = Object.keys(ledger);
    expect(ids).toHaveLength(MAX_SESSIONS);
    expect(ids[0]).toBe('site\ns5');
    expect(ids.at(-1)).toBe(`site\ns${MAX_SESSIONS + 4}`);
  });

  it('reads unreadable storage as an empty ledger', () => {
    expect(parseLedger('{not json')).toEqual({});
    expect(parseLedger(null)).toEqual({});
  });
});
