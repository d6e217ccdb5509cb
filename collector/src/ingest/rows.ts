/**
 * Turns accepted records into the rows the stores write: one session row with the columns reports
 * need (so no report parses JSON), its page rows, and alert rows. Also collapses a batch so that each
 * (siteId, id) appears once with its highest seq: the stores then upsert each key once per statement.
 */
import type { PageAttentionFields } from '../../../src/core/attention';
import type { AlertRecord, SessionRecord } from '../../../src/core/records';
import { type BreakHistogram, weightMicro, WEIGHT_SCALE } from '../store/buckets';

export interface PageRow {
  path: string;
  views: number;
  engagedMs: number;
  firstSeenAt: number;
  lastSeenAt: number;
  band: string | null;
  /** The attention plugins' fields (docs/attention.md), stored by store/attention/write.ts. */
  attention?: PageAttentionFields;
}

export interface SessionRow {
  siteId: string;
  id: string;
  seq: number;
  userId: string | null;
  anonymousId: string;
  /** `userId`, else `anonymousId`: who a session counts for in per-user reports. */
  userKey: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** UTC day of startedAt, `YYYY-MM-DD`: the key every date-range report filters on. */
  startDay: string;
  lastActiveAt: number;
  durationMs: number;
  engagedMs: number;
  breakCount: number;
  breakTotalMs: number;
  breakLongestMs: number;
  /** Breaks per bucket, keyed as in the record (store/buckets.ts BREAK_BUCKETS). */
  breakHistogram: BreakHistogram;
  band: string | null;
  /** 1 / sampleRate: counts and totals in reports are weighted by it (docs/semantics.md, Sampling). */
  weight: number;
  /** The weight as every sum uses it: integer millionths (store/buckets.ts), so sums are exact. */
  weightMicro: number;
  /** breakTotalMs times the weight, rounded here once: the rollups add it as it is. */
  breakTotalMsWeighted: number;
  final: boolean;
  /** The page seen last, for the live view. */
  currentPage: string | null;
  receivedAt: number;
  record: string;
  pages: PageRow[];
}

export interface AlertRow {
  siteId: string;
  sessionId: string;
  threshold: string;
  direction: 'above' | 'below';
  at: number;
  engagedMs: number;
  receivedAt: number;
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function toSessionRow(r: SessionRecord, receivedAt: number): SessionRow {
  const startedAt = Date.parse(r.startedAt);
  const micro = weightMicro(r.sampleRate);
  let current: SessionRecord['pages'][number] | undefined;
  for (const p of r.pages) if (!current || Date.parse(p.lastSeenAt) >= Date.parse(current.lastSeenAt)) current = p;
  return {
    siteId: r.siteId,
    id: r.id,
    seq: r.seq,
    userId: r.userId,
    anonymousId: r.anonymousId,
    userKey: r.userId ?? r.anonymousId,
    startedAt,
    startDay: utcDay(startedAt),
    lastActiveAt: Date.parse(r.lastActiveAt),
    durationMs: Math.round(r.durationMs),
    engagedMs: Math.round(r.engagedMs),
    breakCount: r.breaks.count,
    breakTotalMs: Math.round(r.breaks.totalMs),
    breakLongestMs: Math.round(r.breaks.longestMs),
    breakHistogram: { '<30s': r.breaks.histogram['<30s'], '30s-2m': r.breaks.histogram['30s-2m'], '2m-10m': r.breaks.histogram['2m-10m'], '>=10m': r.breaks.histogram['>=10m'] },
    band: r.band,
    weight: 1 / r.sampleRate,
    weightMicro: micro,
    breakTotalMsWeighted: Math.round((Math.round(r.breaks.totalMs) * micro) / WEIGHT_SCALE),
    final: r.final,
    currentPage: current?.path ?? null,
    receivedAt,
    record: JSON.stringify(r),
    pages: mergePages(r.pages),
  };
}

/** One row per path: a record listing a path twice (an SDK bug or a pageName collision) is merged, not refused. */
function mergePages(pages: SessionRecord['pages']): PageRow[] {
  const byPath = new Map<string, PageRow>();
  for (const p of pages) {
    const row: PageRow = { path: p.path, views: p.views, engagedMs: Math.round(p.engagedMs), firstSeenAt: Date.parse(p.firstSeenAt), lastSeenAt: Date.parse(p.lastSeenAt), band: p.band };
    const attention = attentionOf(p);
    if (attention) row.attention = attention;
    const prev = byPath.get(p.path);
    if (!prev) byPath.set(p.path, row);
    else {
      prev.views += row.views;
      prev.engagedMs += row.engagedMs;
      prev.firstSeenAt = Math.min(prev.firstSeenAt, row.firstSeenAt);
      if (row.lastSeenAt >= prev.lastSeenAt) (prev.band = row.band), row.attention && (prev.attention = row.attention);
      prev.lastSeenAt = Math.max(prev.lastSeenAt, row.lastSeenAt);
    }
  }
  return [...byPath.values()];
}

/** The attention fields a page carries, or undefined for none (most pages of most sites). */
function attentionOf(p: SessionRecord['pages'][number]): PageAttentionFields | undefined {
  if (!p.vitals && !p.scroll && !p.sections && !p.media) return undefined;
  const a: PageAttentionFields = {};
  if (p.vitals) a.vitals = p.vitals;
  if (p.scroll) a.scroll = p.scroll;
  if (p.sections) a.sections = p.sections;
  if (p.media) a.media = p.media;
  return a;
}

export function toAlertRow(a: AlertRecord, receivedAt: number): AlertRow {
  return {
    siteId: a.siteId,
    sessionId: a.sessionId,
    threshold: a.threshold,
    direction: a.direction,
    at: Date.parse(a.at),
    engagedMs: Math.round(a.engagedMs),
    receivedAt,
  };
}

/** Keeps, per (siteId, id), the record with the highest seq; per alert key, the first. */
export function collapse(sessions: SessionRecord[], alerts: AlertRecord[]) {
  const bySession = new Map<string, SessionRecord>();
  for (const s of sessions) {
    const key = `${s.siteId}\u0000${s.id}`;
    const prev = bySession.get(key);
    if (!prev || s.seq > prev.seq) bySession.set(key, s);
  }
  const byAlert = new Map<string, AlertRecord>();
  for (const a of alerts) {
    const key = `${a.siteId}\u0000${a.sessionId}\u0000${a.threshold}\u0000${a.direction}`;
    if (!byAlert.has(key)) byAlert.set(key, a);
  }
  return { sessions: [...bySession.values()], alerts: [...byAlert.values()] };
}
