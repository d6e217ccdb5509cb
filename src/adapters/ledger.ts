/**
 * The exactly-once ledger: what one adapter has already told its vendor about each session.
 *
 * Records are cumulative snapshots, delivered at least once and in any order (a custom transport can
 * see seq 10, then 9, then 10 again; two tabs send the same session). `account` turns records into
 * reports that tell the vendor each engaged millisecond once, in the vendor's own model:
 * - `final`: one report per session (and per page) when its `final: true` record comes, with the whole
 *   engaged time, for vendors that de-duplicate by key or cannot sum (PostHog, Segment, Amplitude,
 *   Mixpanel, Plausible, Matomo, OTLP logs);
 * - `deltas`: a report whenever the engaged time grew, with what it grew by, for vendors that sum (GA4).
 * Which record counts follows docs/semantics.md ("Which record of a session counts"): a higher `seq`
 * wins; of equal `seq`s a final one still counts once. After a session's final record nothing more
 * is reported for it (a tab that continued the session without seeing it end sends a higher `seq`
 * the vendor then never hears of: the time it measured after the end, a rare race).
 *
 * Pure (no DOM): the browser adapters keep the ledger in storage shared by the site's tabs, and a
 * server-side relay can keep it anywhere. One entry per session, newest last, at most
 * {@link MAX_SESSIONS}. Stored as JSON; the short names are the storage format:
 *
 * | field | meaning |
 * | --- | --- |
 * | `s` | highest `seq` accounted |
 * | `d` | 1 once the final record was accounted |
 * | `m` | engaged ms already reported, by kind (`session`, `page:/path`; deltas only) |
 */
import type { PageStats, SessionRecord, WireRecord } from '../core/records';

export interface LedgerEntry {
  s: number;
  d?: 1;
  m: Record<string, number>;
}

/** `siteId` + `\n` + session id -> what was reported. */
export type Ledger = Record<string, LedgerEntry>;

/** `final`: one report per session when it ends. `deltas`: what grew, whenever it grew. */
export type Forward = 'final' | 'deltas';

export interface AccountOptions {
  forward: Forward;
  /** Also one report per page (its dwell time), beside the session's. */
  pages: boolean;
}

/** One thing to tell the vendor. */
export interface Report {
  record: SessionRecord;
  /** The page this report is about; absent for the session's own report. */
  page?: PageStats | undefined;
  /** Engaged ms to report: the whole (final), or the growth since the last report (deltas). */
  valueMs: number;
  /** The idempotency key's source text (see `key.ts`): equal for every copy of this report. */
  key: string;
}

/** Sessions remembered; the oldest is forgotten first. No queue holds a session behind 50 newer ones. */
export const MAX_SESSIONS = 50;

/** Reads a stored ledger; anything unreadable is an empty one (reported again at worst, never lost). */
export const parseLedger = (text: string | null | undefined): Ledger => {
  try {
    return JSON.parse(text!) || {};
  } catch {
    return {};
  }
};

/**
 * The reports `records` call for, given what `ledger` says was reported; updates `ledger` as if they
 * were delivered (store it only once they were). Repeated and stale snapshots report nothing.
 */
export function account(ledger: Ledger, records: readonly WireRecord[], { forward, pages }: AccountOptions): Report[] {
  const reports: Report[] = [];
  const deltas = forward == 'deltas';
  for (const record of records) {
    if (record.type != 'session') continue;
    const id = record.siteId + '\n' + record.id;
    const entry = ledger[id] || { s: -1, m: {} };
    if (entry.d || record.seq < entry.s || (record.seq == entry.s && !record.final)) continue;
    entry.s = record.seq;
    for (const page of [undefined, ...(pages ? record.pages : [])]) {
      const kind = page ? 'page:' + page.path : 'session';
      const ms = (page || record).engagedMs;
      const fromMs = (deltas && entry.m[kind]) || 0;
      if (deltas ? ms > fromMs : record.final) {
        if (deltas) entry.m[kind] = ms;
        // `id` + kind: the key source of key.ts (`keySource`), built from the id already at hand.
        reports.push({ record, page, valueMs: ms - fromMs, key: id + '\n' + (deltas ? kind + '@' + fromMs : kind) });
      }
    }
    if (record.final) entry.d = 1;
    // Newest last, so that the oldest goes first when the ledger is full.
    delete ledger[id];
    ledger[id] = entry;
  }
  for (const id of Object.keys(ledger).slice(0, -MAX_SESSIONS)) delete ledger[id];
  return reports;
}
