/**
 * A date range as signed blocks of the per-user rollups (POST /api/session-duration): calendar years from
 * user_year (migration 018), runs of whole months from user_month (002, 006), days from sessions. A block
 * may be taken whole and its part outside the range taken away (sign -1) when that reads fewer rows: Feb 10
 * to Nov 20 is the year less January, Feb 1-9, Nov 21-30 and December, 112,000 rows over the benchmark's
 * million sessions instead of 267,000. The sums are of integers, so the answer is the same to the unit.
 */
import type { DayRange } from '../types';
import { siteFilter, type Query } from './query';

export interface Span {
  sign: 1 | -1;
  table: 'user_year' | 'user_month' | 'sessions';
  /** Inclusive bounds: YYYY (user_year), YYYY-MM (user_month), YYYY-MM-DD (sessions). */
  from: string;
  to: string;
}

/**
 * Rows read per user, as estimates: over the benchmark's year of sessions a user has a session on one day in
 * seven, a row in every month and one in the year; a year holds at least a month's users, hence twice.
 */
const COST = { day: 1, month: 7, year: 14 };

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const next = (d: string) => day(Date.parse(d) + DAY_MS);
const prev = (d: string) => day(Date.parse(d) - DAY_MS);
const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS) + 1;
const monthEnd = (m: string) => day(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0));
const nextMonth = (m: string) => next(monthEnd(m)).slice(0, 7);
const prevMonth = (m: string) => prev(`${m}-01`).slice(0, 7);
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));

interface Plan {
  cost: number;
  spans: Span[];
}

const negate = (p: Plan): Plan => ({ cost: p.cost, spans: p.spans.map((s) => ({ ...s, sign: s.sign === 1 ? -1 : 1 })) });
const join = (...plans: Plan[]): Plan => ({ cost: plans.reduce((c, p) => c + p.cost, 0), spans: plans.flatMap((p) => p.spans) });
const cheaper = (a: Plan, b: Plan) => (b.cost < a.cost ? b : a);
const none: Plan = { cost: 0, spans: [] };

const daysOf = (a: string, b: string): Plan => ({ cost: days(a, b) * COST.day, spans: [{ sign: 1, table: 'sessions', from: a, to: b }] });
const months = (a: string, b: string): Plan => ({ cost: (monthIndex(b) - monthIndex(a) + 1) * COST.month, spans: [{ sign: 1, table: 'user_month', from: a, to: b }] });

/** Days [a, b] (a <= b) of one month: the days themselves, or the month less the days outside. */
function inMonth(a: string, b: string): Plan {
  const m = a.slice(0, 7);
  const first = `${m}-01`;
  const last = monthEnd(m);
  if (a === first && b === last) return months(m, m);
  const outside = [a > first ? daysOf(first, prev(a)) : none, b < last ? daysOf(next(b), last) : none];
  return cheaper(daysOf(a, b), join(months(m, m), ...outside.map(negate)));
}

/** Days [a, b] (a <= b) of one year: its whole months as one run, and the partial months at its ends. */
function inYearByMonths(a: string, b: string): Plan {
  const ma = a.slice(0, 7);
  const mb = b.slice(0, 7);
  if (ma === mb) return inMonth(a, b);
  const first = a === `${ma}-01` ? ma : nextMonth(ma);
  const last = b === monthEnd(mb) ? mb : prevMonth(mb);
  return join(first === ma ? none : inMonth(a, monthEnd(ma)), first <= last ? months(first, last) : none, last === mb ? none : inMonth(`${mb}-01`, b));
}

/** Days [a, b] (a <= b) of one year: by months, or the year less what lies outside. */
function inYear(a: string, b: string): Plan {
  const y = a.slice(0, 4);
  const whole: Plan = { cost: COST.year, spans: [{ sign: 1, table: 'user_year', from: y, to: y }] };
  if (a === `${y}-01-01` && b === `${y}-12-31`) return whole;
  const outside = [a > `${y}-01-01` ? inYearByMonths(`${y}-01-01`, prev(a)) : none, b < `${y}-12-31` ? inYearByMonths(next(b), `${y}-12-31`) : none];
  return cheaper(inYearByMonths(a, b), join(whole, ...outside.map(negate)));
}

/** The inclusive day range [start, end] as signed spans whose sums add up to the range's. Pure; tested directly. */
export function spans(start: string, end: string): Span[] {
  if (start > end) return [{ sign: 1, table: 'sessions', from: start, to: end }];
  const plans: Plan[] = [];
  for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) {
    const a = y === Number(start.slice(0, 4)) ? start : `${y}-01-01`;
    const b = y === Number(end.slice(0, 4)) ? end : `${y}-12-31`;
    plans.push(inYear(a, b));
  }
  // Blocks of one table and sign next to each other read as one run (two whole years, December and January).
  const out: Span[] = [];
  for (const s of join(...plans).spans) {
    const last = out[out.length - 1];
    const follows = last && last.table === s.table && last.sign === s.sign && (
      s.table === 'user_year' ? Number(last.to) + 1 === Number(s.from) : s.table === 'user_month' ? nextMonth(last.to) === s.from : next(last.to) === s.from);
    if (follows) last.to = s.to;
    else out.push({ ...s });
  }
  return out;
}

const COLUMN = { user_year: 'year', user_month: 'month', sessions: 'start_day' } as const;

/**
 * The signed rows of a range's spans, UNION ALL: per row user_key, sessions and, unless `keysOnly`, weight_micro,
 * duration_ms and engaged_ms, of the range's site(s) and of the users `search` (a condition on user_key) keeps.
 * A single block is read with `=` so that its rows come in user_key order (the key's next column) and group without
 * a sort. SQLite is told the covering index for days: left to itself it took sessions_day_band and read every row.
 */
export function spanRows(range: DayRange, dialect: 'sqlite' | 'postgres', keysOnly = false, search?: Query): Query {
  const site = siteFilter(range.siteId);
  const like = search ? `${search.sql} AND ` : '';
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const s of spans(range.start, range.end)) {
    const neg = s.sign === -1 ? '-' : '';
    const cols = keysOnly ? '' : neg ? ', -weight_micro AS weight_micro, -duration_ms AS duration_ms, -engaged_ms AS engaged_ms' : ', weight_micro, duration_ms, engaged_ms';
    const n = s.table === 'sessions' ? `${s.sign} AS sessions` : `${neg}sessions AS sessions`;
    const from = s.table === 'sessions' && dialect === 'sqlite' ? 'sessions INDEXED BY sessions_day_user' : s.table;
    const col = COLUMN[s.table];
    const bounds = s.from === s.to ? `${col} = ?` : `${col} >= ? AND ${col} <= ?`;
    parts.push(`SELECT user_key, ${n}${cols} FROM ${from} WHERE ${like}${bounds}${site.sql}`);
    params.push(...(search?.params ?? []), ...(s.from === s.to ? [s.from] : [s.from, s.to]), ...site.params);
  }
  return { sql: parts.join(' UNION ALL '), params };
}

/**
 * The sum of an integer column of those rows, exact below 2^53 as the JS numbers they become: SQLite's TOTAL, and
 * PostgreSQL's SUM over float8 (a quarter faster than SUM over BIGINT, whose numeric result held nothing more).
 */
export const sumOf = (column: string, dialect: 'sqlite' | 'postgres') => (dialect === 'postgres' ? `SUM(${column}::float8)` : `TOTAL(${column})`);

/** The names a per-user sum is given: the whole answer's (read.ts perUser) unless told otherwise. */
export type SumNames = readonly [sessions: string, weight: string, duration: string, engaged: string];

/**
 * Per user of the range (and of `search`), the sums of its signed rows (spanRows): user_key and, unless
 * `keysOnly`, sessions, weight_micro, duration_ms and engaged_ms under `names`; users whose sessions all
 * cancel out are left out. One statement for the whole answer (read.ts perUser) and the paged table
 * (reports/users-rollup.ts).
 */
export function perUserSums(
  range: DayRange,
  dialect: 'sqlite' | 'postgres',
  { keysOnly = false, search, names = ['sessions', 'weight_micro', 'duration_ms', 'engaged_ms'] }: { keysOnly?: boolean; search?: Query; names?: SumNames } = {},
): Query {
  const sum = (c: string) => sumOf(c, dialect);
  const rows = spanRows(range, dialect, keysOnly, search);
  const [n, w, d, e] = names;
  const sums = keysOnly ? '' : `, ${sum('sessions')} AS ${n}, ${sum('weight_micro')} AS ${w}, ${sum('duration_ms')} AS ${d}, ${sum('engaged_ms')} AS ${e}`;
  return { sql: `SELECT user_key${sums}\n      FROM (${rows.sql}) x GROUP BY user_key HAVING ${sum('sessions')} > 0`, params: rows.params };
}
