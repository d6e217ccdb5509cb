import type { SessionRecord } from '../../../src/core/records';

/** A session snapshot as the tracker sends it, `engagedMs` spread over its pages as given. */
export function snapshot(seq: number, engagedMs: number, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    v: 1,
    type: 'session',
    siteId: 'site',
    id: 's1',
    seq,
    userId: null,
    anonymousId: 'anon-1',
    startedAt: '2026-01-05T09:00:00.000Z',
    lastActiveAt: new Date(Date.parse('2026-01-05T09:00:00.000Z') + engagedMs + 5_000).toISOString(),
    durationMs: engagedMs + 5_000,
    engagedMs,
    breaks: { count: 1, totalMs: 5_000, longestMs: 5_000, histogram: { '<30s': 1, '30s-2m': 0, '2m-10m': 0, '>=10m': 0 } },
    pages: [
      { path: '/a', views: 1, engagedMs: Math.floor(engagedMs / 2), firstSeenAt: '2026-01-05T09:00:00.000Z', lastSeenAt: '2026-01-05T09:00:00.000Z', band: null },
      { path: '/b', views: 1, engagedMs: engagedMs - Math.floor(engagedMs / 2), firstSeenAt: '2026-01-05T09:00:00.000Z', lastSeenAt: '2026-01-05T09:00:00.000Z', band: null },
    ],
    band: engagedMs >= 30_000 ? 'casual' : null,
    sampleRate: 1,
    final: false,
    ...over,
  };
}
