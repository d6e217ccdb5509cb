/**
 * Group commit for the stores whose writes are asynchronous (PostgreSQL, ClickHouse): ingests that arrive
 * while one group is being written wait and are written together in the next group, so a commit's
 * round trip (PostgreSQL's WAL fsync, ClickHouse's insert acknowledgement) is paid once per group, not per
 * request. Each ingest resolves only after the write that holds it. When a group fails, its ingests are
 * written again one at a time, so that one request's failure is its own.
 */
import type { AlertRow, SessionRow } from '../ingest/rows';
import type { IngestLimits, IngestResult } from './types';

export interface PendingIngest {
  sessions: SessionRow[];
  alerts: AlertRow[];
  limits?: IngestLimits | undefined;
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

export function groupCommit(write: (group: PendingIngest[]) => Promise<IngestResult[]>) {
  let queue: PendingIngest[] = [];
  let draining = false;

  async function drain() {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) {
        const group = queue;
        queue = [];
        try {
          const results = await write(group);
          group.forEach((p, i) => p.resolve(results[i]!));
        } catch {
          for (const p of group) await write([p]).then((r) => p.resolve(r[0]!), p.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    /** Queues one ingest; resolves after the write that holds it. */
    submit(sessions: SessionRow[], alerts: AlertRow[], limits?: IngestLimits): Promise<IngestResult> {
      return new Promise<IngestResult>((resolve, reject) => {
        queue.push({ sessions, alerts, limits, resolve, reject });
        void drain();
      });
    },
    /** Resolves once everything submitted so far is written. */
    async settled(): Promise<void> {
      while (draining || queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    },
  };
}

/** The strictest per-site-day quota of a group (its ingests carry the same limits in practice). */
export function strictestQuota(group: ReadonlyArray<{ limits?: IngestLimits | undefined }>): number | undefined {
  const quotas = group.map((p) => p.limits?.sessionsPerSiteDay).filter((n): n is number => n !== undefined);
  return quotas.length ? Math.min(...quotas) : undefined;
}
