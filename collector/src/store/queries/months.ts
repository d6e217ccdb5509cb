/**
 * Ranges read as whole months from the user_month rollup plus the partial months at their edges from
 * sessions (POST /api/session-duration).
 */
import type { DayRange } from '../types';
import type { Query } from './query';

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthEnd = (d: string) => day(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));

/**
 * Splits an inclusive day range into the whole months inside it (read from the user_month rollup)
 * and the partial months at its edges (read from sessions by start_day). Pure; tested directly.
 */
export function splitMonths(start: string, end: string): { months: [string, string] | null; edges: Array<[string, string]> } {
  const firstFull = start.endsWith('-01') ? start : day(Date.parse(monthEnd(start)) + DAY_MS);
  const lastFull = end === monthEnd(end) ? end : day(Date.parse(`${end.slice(0, 8)}01`) - DAY_MS);
  if (firstFull > lastFull) return { months: null, edges: [[start, end]] };
  const edges: Array<[string, string]> = [];
  if (start < firstFull) edges.push([start, day(Date.parse(firstFull) - DAY_MS)]);
  if (end > lastFull) edges.push([day(Date.parse(lastFull) + DAY_MS), end]);
  return { months: [firstFull.slice(0, 7), lastFull.slice(0, 7)], edges };
}

/**
 * `monthSql` and `edgeSql` are two SELECTs (each ending in its WHERE, to which the bounds and the
 * optional site filter are added), joined by UNION ALL.
 */
export function monthsAndEdges(range: DayRange, monthSql: string, edgeSql: string): Query {
  const { months, edges } = splitMonths(range.start, range.end);
  const site = range.siteId === undefined ? '' : ' AND site_id = ?';
  const siteParam = range.siteId === undefined ? [] : [range.siteId];
  const parts: string[] = [];
  const params: unknown[] = [];
  if (months) {
    parts.push(`${monthSql} month >= ? AND month <= ?${site}`);
    params.push(...months, ...siteParam);
  }
  for (const [a, b] of edges) {
    parts.push(`${edgeSql} start_day >= ? AND start_day <= ?${site}`);
    params.push(a, b, ...siteParam);
  }
  return { sql: parts.join(' UNION ALL '), params };
}
