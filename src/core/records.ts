/**
 * Records on the wire, version 1 (SEMANTICS.md, "Records on the wire").
 * This file is the contract shared by the SDK, its transports, the collector and every report:
 * change it only together with SEMANTICS.md and the collector's schemas.
 */
import type { PageAttentionFields } from './attention';

/** Break histogram buckets, by gap length: under 30 s, 30 s to 2 min, 2 to 10 min, 10 min or more. */
export type BreakBucket = '<30s' | '30s-2m' | '2m-10m' | '>=10m';

export const BREAK_BUCKETS: readonly BreakBucket[] = ['<30s', '30s-2m', '2m-10m', '>=10m'];

/** Gaps between consecutive engaged intervals of one session. `totalMs = durationMs - engagedMs`. */
export interface BreakStats {
  count: number;
  totalMs: number;
  longestMs: number;
  histogram: Record<BreakBucket, number>;
}

/** One page (path after `pageName` mapping) within a session; the attention plugins add their fields (attention.ts). */
export interface PageStats extends PageAttentionFields {
  path: string;
  views: number;
  /** Engaged time while this page was current: its dwell time. */
  engagedMs: number;
  /** ISO 8601 UTC. */
  firstSeenAt: string;
  /** ISO 8601 UTC. */
  lastSeenAt: string;
  /** Name of the largest threshold reached, `null` below all. */
  band: string | null;
}

/** Host-supplied dimensions. Only flat, JSON-safe values travel. */
export type Meta = Record<string, string | number | boolean | null>;

/** A cumulative snapshot of one session; the receiver keeps the highest `seq` per (`siteId`, `id`). */
export interface SessionRecord {
  v: 1;
  type: 'session';
  siteId: string;
  /** Session id, shared by every tab and reload of the session. */
  id: string;
  /** Grows with every snapshot of the session, across tabs. */
  seq: number;
  /** From `identify()`, else `null`. */
  userId: string | null;
  /** A random id kept in first-party storage; never personal data. */
  anonymousId: string;
  /** ISO 8601 UTC: start of the first engaged interval. */
  startedAt: string;
  /** ISO 8601 UTC: end of the last engaged interval. */
  lastActiveAt: string;
  /** `lastActiveAt - startedAt`. */
  durationMs: number;
  /** Length of the union of engaged instants, over all tabs. `engagedMs <= durationMs`. */
  engagedMs: number;
  breaks: BreakStats;
  pages: PageStats[];
  band: string | null;
  /** The sampling rate the session was kept at; weight counts by `1 / sampleRate`. */
  sampleRate: number;
  /** True on the session's last record. */
  final: boolean;
  /** Optional web-vitals figures (name -> value). */
  vitals?: Record<string, number>;
  meta?: Meta;
}

/** A threshold crossed (`above`) or missed at session end (`below`). */
export interface AlertRecord {
  v: 1;
  type: 'alert';
  siteId: string;
  sessionId: string;
  threshold: string;
  direction: 'above' | 'below';
  /** ISO 8601 UTC. */
  at: string;
  engagedMs: number;
}

export type WireRecord = SessionRecord | AlertRecord;

/** One request body stays under this many bytes (the keepalive and beacon budget is 64 KiB in all). */
export const MAX_BODY_BYTES = 60 * 1024;
