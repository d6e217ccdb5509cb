/**
 * Session state -> version-1 wire records (src/core/records.ts).
 */
import type { AlertRecord, Meta, SessionRecord } from './records';
import type { SessionState } from './session';
import { breakStats } from './breaks';
import { bandOf, type Threshold } from './thresholds';
import { unionMs } from './timeline';

/** What a record takes from the tracker's options. */
export interface RecordContext {
  siteId: string;
  samplingRate: number;
  thresholds: readonly Threshold[];
  meta?: Meta | undefined;
}

/** ISO 8601 UTC, as records carry time. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** The cumulative snapshot of `s` with sequence number `seq`; `final` once the session has ended. */
export function toSessionRecord(s: SessionState, seq: number, c: RecordContext, anonymousId: string): SessionRecord {
  const end = s.l;
  const engagedMs = unionMs(s.t);
  const band = (ms: number) => bandOf(c.thresholds, ms);
  // Plugin fields (absent without plugins) first: the tracker's own come after, so they win.
  return {
    ...s.e,
    v: 1,
    type: 'session',
    siteId: c.siteId,
    id: s.id,
    seq,
    userId: s.u,
    anonymousId,
    startedAt: iso(s.f),
    lastActiveAt: iso(end),
    durationMs: end - s.f,
    engagedMs,
    breaks: breakStats(s.b, s.t, end - s.f - engagedMs),
    pages: Object.entries(s.p ?? {}).map(([path, p]) => {
      const ms = unionMs(p.t);
      return { ...p.e, path, views: p.v, engagedMs: ms, firstSeenAt: iso(p.f), lastSeenAt: iso(p.l), band: band(ms) };
    }),
    band: band(engagedMs),
    sampleRate: c.samplingRate,
    final: !!s.x,
    ...(c.meta && { meta: c.meta }),
  };
}

export const toAlertRecord = (
  s: SessionState,
  threshold: string,
  direction: 'above' | 'below',
  at: number,
  siteId: string,
): AlertRecord => ({ v: 1, type: 'alert', siteId, sessionId: s.id, threshold, direction, at: iso(at), engagedMs: unionMs(s.t) });
