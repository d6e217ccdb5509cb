/**
 * The seeded data the dashboard tests read, with every figure worked out by hand below, so the
 * tests compare the page with arithmetic rather than with the collector's own answers.
 */
import type { BreakBucket, SessionRecord } from '../../../src/core/records';

interface SessionSpec {
  id: string;
  userId: string | null;
  anonymousId?: string;
  startedAt: string;
  durationS: number;
  engagedS: number;
  breaks: number[];
  pages: { path: string; views: number; engagedS: number }[];
  band: string | null;
  final?: boolean;
  seq?: number;
}

const bucketOf = (seconds: number): BreakBucket => (seconds < 30 ? '<30s' : seconds < 120 ? '30s-2m' : seconds < 600 ? '2m-10m' : '>=10m');

export function sessionRecord(spec: SessionSpec): SessionRecord {
  const started = Date.parse(spec.startedAt);
  const last = new Date(started + spec.durationS * 1000).toISOString();
  const histogram: Record<BreakBucket, number> = { '<30s': 0, '30s-2m': 0, '2m-10m': 0, '>=10m': 0 };
  for (const gap of spec.breaks) histogram[bucketOf(gap)] += 1;
  const totalBreaks = spec.breaks.reduce((a, b) => a + b, 0);
  if (Math.abs(totalBreaks - (spec.durationS - spec.engagedS)) > 1e-9) {
    throw new Error(`seed ${spec.id}: breaks must add up to duration - engaged`);
  }
  return {
    v: 1,
    type: 'session',
    siteId: 'demo',
    id: spec.id,
    seq: spec.seq ?? 3,
    userId: spec.userId,
    anonymousId: spec.anonymousId ?? `anon-of-${spec.id}`,
    startedAt: new Date(started).toISOString(),
    lastActiveAt: last,
    durationMs: spec.durationS * 1000,
    engagedMs: spec.engagedS * 1000,
    breaks: { count: spec.breaks.length, totalMs: totalBreaks * 1000, longestMs: Math.max(0, ...spec.breaks) * 1000, histogram },
    pages: spec.pages.map((p) => ({ path: p.path, views: p.views, engagedMs: p.engagedS * 1000, firstSeenAt: new Date(started).toISOString(), lastSeenAt: last, band: null })),
    band: spec.band,
    sampleRate: 1,
    final: spec.final ?? true,
  };
}

/**
 * March 2026 holds four sessions of three people; one more (carol) starts on 2 April.
 *
 * | session | user   | day   | duration | engaged | breaks (s)     | pages (engaged s)            | band    |
 * | s1      | alice  | 03-02 | 600      | 420     | 60, 120        | /lesson/1 x2 300, /quiz 120  | engaged |
 * | s2      | alice  | 03-05 | 120      | 100     | 20             | /lesson/1 100                | casual  |
 * | s3      | bob    | 03-05 | 45       | 20      | 25             | / 20                         | none    |
 * | s4      | anon-1 | 03-20 | 4001     | 3000    | 10, 191, 800   | /lesson/2 3000               | engaged |
 * | s5      | carol  | 04-02 | 90       | 60      | 30             | /quiz 60                     | casual  |
 */
export const SEED: SessionRecord[] = [
  sessionRecord({ id: 's1', userId: 'alice', startedAt: '2026-03-02T10:00:00Z', durationS: 600, engagedS: 420, breaks: [60, 120], pages: [{ path: '/lesson/1', views: 2, engagedS: 300 }, { path: '/quiz', views: 1, engagedS: 120 }], band: 'engaged' }),
  sessionRecord({ id: 's2', userId: 'alice', startedAt: '2026-03-05T09:00:00Z', durationS: 120, engagedS: 100, breaks: [20], pages: [{ path: '/lesson/1', views: 1, engagedS: 100 }], band: 'casual' }),
  sessionRecord({ id: 's3', userId: 'bob', startedAt: '2026-03-05T15:00:00Z', durationS: 45, engagedS: 20, breaks: [25], pages: [{ path: '/', views: 1, engagedS: 20 }], band: null }),
  sessionRecord({ id: 's4', userId: null, anonymousId: 'anon-1', startedAt: '2026-03-20T08:00:00Z', durationS: 4001, engagedS: 3000, breaks: [10, 191, 800], pages: [{ path: '/lesson/2', views: 1, engagedS: 3000 }], band: 'engaged' }),
  sessionRecord({ id: 's5', userId: 'carol', startedAt: '2026-04-02T12:00:00Z', durationS: 90, engagedS: 60, breaks: [30], pages: [{ path: '/quiz', views: 1, engagedS: 60 }], band: 'casual' }),
];

/** March 2026, worked out from the table above. */
export const MARCH = {
  start: '2026-03-01',
  end: '2026-03-31',
  sessions: 4,
  userCount: 3,
  // (600 + 120 + 45 + 4001) / 4 = 1191.5 s; (420 + 100 + 20 + 3000) / 4 = 885 s; bob's 20 s is short: 1/4.
  averageDuration: '19 min 52 s',
  averageEngaged: '14 min 45 s',
  shortShare: '25%',
  durations: { '<30s': 0, '30s-2m': 1, '2m-5m': 1, '5m-15m': 1, '15m-30m': 0, '30m-1h': 0, '>=1h': 1 },
  // 7 breaks: 20, 25, 10 under 30 s; 60; 120, 191; 800. Total 180 + 20 + 25 + 1001 = 1226 s.
  breaks: { count: '7', perSession: '1.8', total: '20 min 26 s', histogram: { '<30s': 3, '30s-2m': 1, '2m-10m': 2, '>=10m': 1 } },
  bands: { engaged: 2, casual: 1, none: 1 },
  // By total dwell, highest first: path, views, total dwell.
  pages: [
    ['/lesson/2', '1', '50 min 00 s'],
    ['/lesson/1', '3', '6 min 40 s'],
    ['/quiz', '1', '2 min 00 s'],
    ['/', '1', '20.0 s'],
  ],
  // Sorted by user id: sessions, average duration, average engaged (seconds).
  users: [
    ['alice', '2', '360.0', '260.0'],
    ['anon-1', '1', '4001.0', '3000.0'],
    ['bob', '1', '45.0', '20.0'],
  ],
  // The dashboard's per-user table: longest average duration first, anonymous browsers marked.
  usersByDuration: [
    ['anonymous anon-1', '1', '1 h 06 min', '50 min 00 s'],
    ['alice', '2', '6 min 00 s', '4 min 20 s'],
    ['bob', '1', '45.0 s', '20.0 s'],
  ],
  days: { '2026-03-02': 1, '2026-03-05': 2, '2026-03-20': 1 },
} as const;
