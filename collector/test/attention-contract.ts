/**
 * The attention part of the store contract (migration 008): run against SQLite
 * (attention-store-sqlite.test.ts) and PostgreSQL (attention-store-postgres.test.ts) with the same
 * expectations. Every report is checked against a recomputation from the records themselves, in this
 * file, over several pages, days, sites and sample rates.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VITAL_NAMES, type PageAttentionFields } from '../../src/core/attention';
import type { PageStats, SessionRecord } from '../../src/core/records';
import { toSessionRow } from '../src/ingest/rows';
import * as compute from '../src/reports/attention';
import type { PageRange } from '../src/store/attention/read';
import type { Store } from '../src/store/types';
import { session, type TestStore } from './fixtures';

const page = (path: string, startedAt: string, fields: PageAttentionFields): PageStats => ({
  path, views: 1, engagedMs: 60_000, firstSeenAt: startedAt, lastSeenAt: new Date(Date.parse(startedAt) + 60_000).toISOString(), band: null, ...fields,
});

/** A session on `day` whose pages carry attention fields. */
const visit = (id: string, day: string, pages: Array<[string, PageAttentionFields]>, over: Partial<SessionRecord> = {}): SessionRecord => {
  const startedAt = `${day}T10:00:00.000Z`;
  return session({ id, startedAt, durationMs: 120_000, engagedMs: 90_000, pages: pages.map(([path, f]) => page(path, startedAt, f)), ...over });
};

const LESSON = '/lesson/:id';

/** Lesson views over three days and two sites, at sample rates 1, 0.5 and 0.25, plans pro, free and none; one page without the plugins. */
export const attentionSessions = (): SessionRecord[] => [
  visit('v1', '2026-03-10', [[LESSON, {
    vitals: { LCP: 1200, INP: 80, CLS: 0.02, FCP: 900, TTFB: 300 },
    scroll: { depth: 1, reachedMs: { 25: 0, 50: 4000, 75: 9000, 100: 15000 } },
    sections: { intro: [20_000, 0], video: [95_000, 4000], quiz: [30_000, 15_000] },
    media: { 'lecture-1': { watchedMs: 600_000, durationMs: 600_000, completion: 1, ended: true } },
  }], ['/home', {}]], { meta: { plan: 'pro' } }),
  visit('v2', '2026-03-10', [[LESSON, {
    vitals: { LCP: 3100, INP: 350, CLS: 0.15, FCP: 2000, TTFB: 900 },
    scroll: { depth: 0.6, reachedMs: { 25: 0, 50: 12_000 } },
    sections: { intro: [8000, 0], video: [40_000, 12_000] },
    media: { 'lecture-1': { watchedMs: 240_000, durationMs: 600_000, completion: 0.4, ended: false } },
  }]], { sampleRate: 0.5, meta: { plan: 'free' } }),
  visit('v3', '2026-03-11', [[LESSON, {
    vitals: { LCP: 5200, INP: 640, CLS: 0.4, TTFB: 2000 },
    scroll: { depth: 0.3, reachedMs: { 25: 2000 } },
    sections: { intro: [2000, 0] },
    media: { 'live-stream': { watchedMs: 30_000, durationMs: null, completion: null, ended: false } },
  }]], { sampleRate: 0.25 }),
  visit('v4', '2026-03-12', [[LESSON, {
    vitals: { LCP: 2500, INP: 200, CLS: 0.1, FCP: 1800, TTFB: 800 },
    scroll: { depth: 0.8, reachedMs: { 25: 0, 50: 1000, 75: 3000 } },
    sections: { video: [61_000, 3000] },
    media: { 'lecture-1': { watchedMs: 300_000, durationMs: 600_000, completion: 0.5, ended: false }, 'never-played': { watchedMs: 0, durationMs: 90_000, completion: 0, ended: false } },
  }]], { siteId: 'site-b', meta: { plan: 'pro', cohort: 'b' } }),
  visit('v5', '2026-03-12', [['/quiz', { vitals: { LCP: 800 }, scroll: { depth: 1, reachedMs: { 25: 0, 50: 0, 75: 0, 100: 0 } } }]]),
];

const RANGES: PageRange[] = [
  { path: LESSON, start: '2026-03-01', end: '2026-03-31' },
  { path: LESSON, start: '2026-03-10', end: '2026-03-10' },
  { path: LESSON, start: '2026-03-11', end: '2026-03-12' },
  { path: LESSON, start: '2026-03-01', end: '2026-03-31', siteId: 'site-b' },
  { path: '/quiz', start: '2026-03-01', end: '2026-03-31' },
  { path: '/home', start: '2026-03-01', end: '2026-03-31' },
  { path: LESSON, start: '2026-04-01', end: '2026-04-30' },
  // The dashboard's dimension filter: only the sessions whose meta has the value.
  { path: LESSON, start: '2026-03-01', end: '2026-03-31', meta: { key: 'plan', value: 'pro' } },
  { path: LESSON, start: '2026-03-01', end: '2026-03-31', meta: { key: 'plan', value: 'free' } },
  { path: LESSON, start: '2026-03-01', end: '2026-03-31', siteId: 'site-b', meta: { key: 'plan', value: 'pro' } },
  { path: LESSON, start: '2026-03-01', end: '2026-03-31', meta: { key: 'cohort', value: 'pro' } },
];

/** The page views of `range` with their weight, straight from the records. */
function viewsOf(records: SessionRecord[], r: PageRange) {
  return records
    .filter((s) => s.startedAt.slice(0, 10) >= r.start && s.startedAt.slice(0, 10) <= r.end && (r.siteId === undefined || s.siteId === r.siteId))
    .filter((s) => r.meta === undefined || s.meta?.[r.meta.key] === r.meta.value)
    .flatMap((s) => s.pages.filter((p) => p.path === r.path).map((p) => ({ p, w: 1 / s.sampleRate })));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round1s = (ms: number) => Math.round(ms / 100) / 10;
const shareOf = (part: number, whole: number) => (whole > 0 ? round3(part / whole) : null);
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/** The reports recomputed from the records: the expectation every store must meet. */
function expected(records: SessionRecord[], r: PageRange) {
  const views = viewsOf(records, r);
  const scrolled = views.filter((v) => v.p.scroll);
  const vitals = VITAL_NAMES.map((name) => {
    const measured = views.filter((v) => v.p.vitals?.[name] !== undefined).map((v) => ({ value: v.p.vitals![name]!, w: v.w }));
    const total = sum(measured, (m) => m.w);
    const [good, poor] = compute.VITAL_THRESHOLDS[name];
    // p75 by brute force: the smallest measured value with at least 75 % of the weight at or below it.
    const sorted = [...measured].sort((a, b) => a.value - b.value);
    const p75 = sorted.find((m) => sum(sorted.filter((x) => x.value <= m.value), (x) => x.w) >= 0.75 * total)?.value ?? null;
    return {
      name, unit: name === 'CLS' ? 'score' : 'ms', views: Math.round(total), p75,
      good: shareOf(sum(measured.filter((m) => m.value <= good), (m) => m.w), total),
      needs_improvement: shareOf(sum(measured.filter((m) => m.value > good && m.value <= poor), (m) => m.w), total),
      poor: shareOf(sum(measured.filter((m) => m.value > poor), (m) => m.w), total),
    };
  });
  const scrollW = sum(scrolled, (v) => v.w);
  const scroll = {
    path: r.path,
    views: Math.round(scrollW),
    average_depth: scrolled.length ? round3(sum(scrolled, (v) => v.p.scroll!.depth) / scrolled.length) : null,
    marks: (['25', '50', '75', '100'] as const).map((m) => {
      const reached = scrolled.filter((v) => v.p.scroll!.reachedMs[m] !== undefined);
      return {
        depth: Number(m), views: Math.round(sum(reached, (v) => v.w)), share: shareOf(sum(reached, (v) => v.w), scrollW),
        average_seconds_to_reach: reached.length ? round1s(sum(reached, (v) => v.p.scroll!.reachedMs[m]!) / reached.length) : null,
      };
    }),
  };
  const names = [...new Set(views.flatMap((v) => Object.keys(v.p.sections ?? {})))];
  const sections = names.map((name) => {
    const saw = views.filter((v) => v.p.sections?.[name]);
    return {
      name, views: Math.round(sum(saw, (v) => v.w)), reach: shareOf(sum(saw, (v) => v.w), scrollW),
      total_engaged: round1s(sum(saw, (v) => v.p.sections![name]![0] * v.w)),
      average_engaged: round1s(sum(saw, (v) => v.p.sections![name]![0]) / saw.length),
      average_first_seen: round1s(sum(saw, (v) => v.p.sections![name]![1]) / saw.length),
    };
  }).sort((a, b) => b.total_engaged - a.total_engaged || a.name.localeCompare(b.name));
  const mediaNames = [...new Set(views.flatMap((v) => Object.keys(v.p.media ?? {})))];
  const media = mediaNames.flatMap((name) => {
    const plays = views.filter((v) => (v.p.media?.[name]?.watchedMs ?? 0) > 0);
    if (plays.length === 0) return [];
    const known = plays.filter((v) => v.p.media![name]!.durationMs !== null);
    const w = sum(plays, (v) => v.w);
    return [{
      name, plays: Math.round(w), total_watched: round1s(sum(plays, (v) => v.p.media![name]!.watchedMs * v.w)),
      average_watched: round1s(sum(plays, (v) => v.p.media![name]!.watchedMs) / plays.length),
      average_duration: known.length ? round1s(sum(known, (v) => v.p.media![name]!.durationMs!) / known.length) : null,
      average_completion: known.length ? round3(sum(known, (v) => v.p.media![name]!.completion!) / known.length) : null,
      ended_share: shareOf(sum(plays.filter((v) => v.p.media![name]!.ended), (v) => v.w), w),
    }];
  }).sort((a, b) => b.plays - a.plays || b.total_watched - a.total_watched || a.name.localeCompare(b.name));
  return { vitals: { path: r.path, vitals }, scroll, sections: { path: r.path, views: Math.round(scrollW), sections }, media: { path: r.path, media } };
}

async function reports(store: Store, r: PageRange) {
  return {
    vitals: compute.vitals(r.path, await store.attention.vitals(r)),
    scroll: compute.scroll(r.path, await store.attention.scroll(r)),
    sections: compute.sections(r.path, await store.attention.scroll(r), await store.attention.sections(r)),
    media: compute.media(r.path, await store.attention.media(r)),
  };
}

export function attentionContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name} store contract: page attention`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.dispose();
    });

    it('answers every attention report as recomputed from the records, per page, range, site and dimension value', async () => {
      const records = attentionSessions();
      await t.store.ingest(records.map((s) => toSessionRow(s, 0)), []);
      for (const r of RANGES) expect(await reports(t.store, r), JSON.stringify(r)).toEqual(expected(records, r));
      // Spot checks of the recomputation itself, read off the fixture by hand.
      const all = await reports(t.store, RANGES[0]!);
      expect(all.vitals.vitals.find((v) => v.name === 'LCP')).toEqual({ name: 'LCP', unit: 'ms', views: 8, p75: 5200, good: 0.25, needs_improvement: 0.25, poor: 0.5 });
      expect(all.scroll.marks.map((m) => m.views)).toEqual([8, 4, 2, 1]);
      expect(all.media.media.map((m) => m.name)).toEqual(['lecture-1', 'live-stream']);
      // v1 and v4 (plan pro, weight 1 each): LCP 1200 and 2500.
      const pro = await reports(t.store, RANGES[7]!);
      expect(pro.vitals.vitals.find((v) => v.name === 'LCP')).toMatchObject({ views: 2, p75: 2500, good: 1 });
    });

    it('replaces a session\'s figures with those of its newer snapshot, and a replay of an older one changes nothing', async () => {
      const [v1] = attentionSessions();
      const newer: SessionRecord = {
        ...v1!, seq: 2,
        pages: [page(LESSON, v1!.startedAt, { vitals: { LCP: 1200, INP: 420 }, scroll: { depth: 1, reachedMs: { 25: 0, 50: 4000, 75: 9000, 100: 15000 } }, sections: { intro: [25_000, 0] } })],
      };
      await t.store.ingest([toSessionRow(v1!, 0)], []);
      await t.store.ingest([toSessionRow(newer, 0)], []);
      await t.store.ingest([toSessionRow(v1!, 0)], []);
      const r = RANGES[0]!;
      expect(await reports(t.store, r)).toEqual(expected([newer], r));
      expect((await t.store.attention.sections(r)).map((s) => [s.name, s.engagedMs])).toEqual([['intro', 25_000]]);
      expect(await t.store.attention.media(r)).toEqual([]);
    });

    it('answers empty figures, not errors, for a page without measurements', async () => {
      const r = { path: '/nowhere', start: '2026-01-01', end: '2026-12-31' };
      const got = await reports(t.store, r);
      expect(got.vitals.vitals.every((v) => v.views === 0 && v.p75 === null && v.good === null)).toBe(true);
      expect(got.scroll).toEqual({ path: '/nowhere', views: 0, average_depth: null, marks: [25, 50, 75, 100].map((depth) => ({ depth, views: 0, share: null, average_seconds_to_reach: null })) });
      expect(got.sections.sections).toEqual([]);
      expect(got.media.media).toEqual([]);
    });
  });
}
