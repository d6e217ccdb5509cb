import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/core/engagement';
import { commit as commitArgs, isExpired, lastActive, MAX_PAGES, mendWith, remember, type OwnTime, type SessionState } from '../../../src/core/session';
import { toSessionRecord } from '../../../src/core/snapshot';
import { unionMs } from '../../../src/core/timeline';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9);
const THR = 30 * MIN;

/** What one tab brings to a commit, by name (`commit` takes them in this order). */
interface CommitInput {
  intervals: Interval[];
  path: string | null;
  viewAt: number | null;
  now: number;
  thresholdMs: number;
  userId: string | null;
  newId: () => string;
  keeps: (id: string) => boolean;
}
/** `commit` with the sessions it ended and started collected. */
const commit = (s: SessionState | undefined, c: CommitInput) => {
  const ended: SessionState[] = [];
  const started: SessionState[] = [];
  const [state, viewPending] = commitArgs(s, c.intervals, c.path, c.viewAt, c.now, c.thresholdMs, c.userId, c.newId, c.keeps, (e) => ended.push(e), (e) => started.push(e));
  return { state, ended, started, viewPending };
};

let ids = 0;
const input = (intervals: Interval[], more: Partial<CommitInput> = {}): CommitInput => ({
  intervals,
  path: '/a',
  viewAt: null,
  now: intervals.length ? intervals[intervals.length - 1]![1] : T0,
  thresholdMs: THR,
  userId: null,
  newId: () => `s${++ids}`,
  keeps: () => true,
  ...more,
});
const record = (s: SessionState) =>
  toSessionRecord(s, s.seq + 1, { siteId: 'site', samplingRate: 1, thresholds: [] }, 'anon');

describe('session state machine', () => {
  it('starts a session at the first engaged instant and counts the current page as viewed', () => {
    const r = commit(undefined, input([[T0, T0 + MIN]], { viewAt: T0 - 5_000 }));
    expect(r.started).toHaveLength(1);
    const rec = record(r.state!);
    expect(rec.startedAt).toBe(new Date(T0).toISOString());
    expect(rec.lastActiveAt).toBe(new Date(T0 + MIN).toISOString());
    expect(rec.durationMs).toBe(MIN);
    expect(rec.engagedMs).toBe(MIN);
    expect(rec.pages).toEqual([
      expect.objectContaining({ path: '/a', views: 1, engagedMs: MIN, firstSeenAt: new Date(T0).toISOString() }),
    ]);
  });

  it('a gap of exactly the expiry threshold starts a new session; one ms less does not', () => {
    const a = commit(undefined, input([[T0, T0 + MIN]])).state!;
    const justUnder = commit(structuredClone(a), input([[T0 + MIN + THR - 1, T0 + 2 * MIN + THR]]));
    expect(justUnder.ended).toEqual([]);
    expect(justUnder.state!.id).toBe(a.id);

    const atThreshold = commit(structuredClone(a), input([[T0 + MIN + THR, T0 + 2 * MIN + THR]]));
    expect(atThreshold.ended.map((s) => s.id)).toEqual([a.id]);
    expect(atThreshold.ended[0]!.x).toBe(1);
    expect(atThreshold.state!.id).not.toBe(a.id);
    expect(unionMs(atThreshold.state!.t)).toBe(MIN);
  });

  it('ends a session whose expiry has passed even with nothing to merge (timer, page load)', () => {
    const a = commit(undefined, input([[T0, T0 + MIN]])).state!;
    expect(isExpired(a, T0 + MIN + THR - 1, THR)).toBe(false);
    const r = commit(a, input([], { now: T0 + MIN + THR }));
    expect(r.ended).toHaveLength(1);
    expect(record(r.ended[0]!).final).toBe(true);
    // Ending twice is not possible: the stored state says it has ended.
    expect(commit(r.state, input([], { now: T0 + 3 * THR })).ended).toEqual([]);
  });

  it('two tabs overlapping count once; two tabs apart leave a break', () => {
    let s = commit(undefined, input([[T0, T0 + MIN]])).state!; // tab A
    s = commit(s, input([[T0 + 30_000, T0 + 90_000]], { path: '/b', viewAt: T0 + 30_000 })).state!; // tab B
    let rec = record(s);
    expect(rec.engagedMs).toBe(90_000);
    expect(rec.durationMs).toBe(90_000);
    expect(rec.breaks.count).toBe(0);
    s = commit(s, input([[T0 + 5 * MIN, T0 + 6 * MIN]])).state!; // tab A again, after 3.5 min apart
    rec = record(s);
    expect(rec.engagedMs).toBe(150_000);
    expect(rec.durationMs).toBe(6 * MIN);
    expect(rec.breaks).toEqual({
      count: 1,
      totalMs: 210_000,
      longestMs: 210_000,
      histogram: { '<30s': 0, '30s-2m': 0, '2m-10m': 1, '>=10m': 0 },
    });
    expect(rec.pages.map((p) => [p.path, p.views, p.engagedMs])).toEqual([
      ['/a', 1, 2 * MIN],
      ['/b', 1, MIN],
    ]);
  });

  it('keeps breaks.totalMs = durationMs - engagedMs over a long session with folding', () => {
    let s: SessionState | undefined;
    let t = T0;
    const gaps = [5_000, 40_000, 200_000, 700_000, 10_000];
    for (let k = 0; k < 60; k++) {
      s = commit(s, input([[t, t + 20_000]])).state!;
      t += 20_000 + gaps[k % gaps.length]!;
    }
    const rec = record(s!);
    expect(rec.engagedMs).toBe(60 * 20_000);
    expect(rec.breaks.count).toBe(59);
    expect(rec.breaks.totalMs).toBe(rec.durationMs - rec.engagedMs);
    expect(rec.breaks.longestMs).toBe(700_000);
    expect(rec.breaks.histogram).toEqual({ '<30s': 23, '30s-2m': 12, '2m-10m': 12, '>=10m': 12 });
    expect(JSON.stringify(s).length).toBeLessThan(2_000);
    expect(lastActive(s!)).toBe(t - gaps[59 % gaps.length]!);
  });

  it('a sampled-out session keeps only what expiry needs: no pages', () => {
    const r = commit(undefined, input([[T0, T0 + MIN]], { keeps: () => false }));
    expect(r.state!.p).toBeNull();
    expect(record(r.state!).pages).toEqual([]);
  });

  it('only tracked pages get page records, while the session counts all engaged time', () => {
    let s = commit(undefined, input([[T0, T0 + MIN]], { path: null })).state!;
    s = commit(s, input([[T0 + MIN, T0 + 2 * MIN]], { viewAt: T0 + MIN })).state!;
    const rec = record(s);
    expect(rec.engagedMs).toBe(2 * MIN);
    expect(rec.pages.map((p) => p.path)).toEqual(['/a']);
  });

  it('a new session inherits the user id', () => {
    const a = commit(undefined, input([[T0, T0 + MIN]], { userId: 'u1' })).state!;
    const b = commit(a, input([[T0 + 2 * THR, T0 + 2 * THR + 1]])).state!;
    expect(b.u).toBe('u1');
  });

  it('caps the pages of a session, counting further pages as (other) without dropping their time', () => {
    let s: SessionState | undefined;
    for (let k = 0; k < MAX_PAGES + 5; k++) {
      const at = T0 + k * 1_000;
      s = commit(s, input([[at, at + 1_000]], { path: `/p/${k}`, viewAt: at })).state!;
    }
    const rec = record(s!);
    expect(rec.pages).toHaveLength(MAX_PAGES + 1);
    expect(rec.pages.at(-1)).toMatchObject({ path: '(other)', views: 5, engagedMs: 5_000 });
    expect(rec.pages.reduce((ms, p) => ms + p.engagedMs, 0)).toBe(rec.engagedMs);
    expect(JSON.stringify(rec).length).toBeLessThan(30_000);
  });
});

describe('remember and mendWith: what a tab merges back after an overwrite', () => {
  const intervalsOf = (own: OwnTime) => [...own].map(([page, t]) => [page, t.i]);
  it('joins the touching pieces of one page into one interval, so a long stretch survives in full', () => {
    const own: OwnTime = new Map();
    for (let i = 0; i < 20; i++) remember(own, '/a', [[T0 + i * 1_000, T0 + (i + 1) * 1_000]], T0);
    expect(intervalsOf(own)).toEqual([['/a', [[T0, T0 + 20_000]]]]);
  });
  it('keeps each page (and the time without a page record) apart, and gaps apart', () => {
    const own: OwnTime = new Map();
    remember(own, '/a', [[T0, T0 + 10], [T0 + 20, T0 + 30]], T0);
    remember(own, '/b', [[T0 + 30, T0 + 40]], T0);
    remember(own, null, [[T0 + 40, T0 + 50]], T0);
    expect(intervalsOf(own)).toEqual([
      ['/a', [[T0, T0 + 10], [T0 + 20, T0 + 30]]],
      ['/b', [[T0 + 30, T0 + 40]]],
      [null, [[T0 + 40, T0 + 50]]],
    ]);
  });
  it('leaves out intervals before the session started', () => {
    const own: OwnTime = new Map();
    remember(own, '/a', [[T0 - 50, T0 - 40], [T0, T0 + 15]], T0);
    expect(intervalsOf(own)).toEqual([['/a', [[T0, T0 + 15]]]]);
  });
  it('mendWith puts back, on each page and in the session, what an older state lacks, and changes nothing else', () => {
    const { state: older } = commit(undefined, input([[T0, T0 + 1_000]], { now: T0 + 1_000, viewAt: T0 }));
    const own: OwnTime = new Map();
    remember(own, '/a', [[T0, T0 + 1_000], [T0 + 1_000, T0 + 9_000]], older!.f);
    const mended = structuredClone(older!);
    mendWith(mended, own);
    expect(unionMs(mended.t)).toBe(9_000);
    expect(unionMs(mended.p!['/a']!.t)).toBe(9_000);
    expect(mended.l).toBe(T0 + 9_000);
    const again = structuredClone(mended);
    mendWith(again, own);
    expect(again).toEqual(mended);
  });
});
