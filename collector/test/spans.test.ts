import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spans, type Span } from '../src/store/queries/index';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The days a span covers, from its table's bounds (a year, a run of months, days). */
function daysOf(s: Span): string[] {
  const [a, b] = s.table === 'user_year' ? [`${s.from}-01-01`, `${s.to}-12-31`]
    : s.table === 'user_month' ? [`${s.from}-01`, iso(Date.UTC(Number(s.to.slice(0, 4)), Number(s.to.slice(5, 7)), 0))]
    : [s.from, s.to];
  const out: string[] = [];
  for (let t = Date.parse(a); t <= Date.parse(b); t += DAY) out.push(iso(t));
  return out;
}

/** How many times each day is counted: the signed spans' days added up. */
function counted(list: Span[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const s of list) for (const d of daysOf(s)) n.set(d, (n.get(d) ?? 0) + s.sign);
  for (const [d, c] of n) if (c === 0) n.delete(d);
  return n;
}

const short = (list: Span[]) => list.map((s) => `${s.sign === 1 ? '+' : '-'}${s.table}:${s.from}..${s.to}`);

describe('spans: a range as signed years (user_year), months (user_month) and days (sessions)', () => {
  it('counts every day of the range once and no other day, for any range', () => {
    const day = fc.integer({ min: Date.UTC(2023, 0, 1) / DAY, max: Date.UTC(2026, 11, 31) / DAY }).map((d) => iso(d * DAY));
    fc.assert(fc.property(day, day, (x, y) => {
      const [start, end] = x <= y ? [x, y] : [y, x];
      const expected = new Map<string, number>();
      for (let t = Date.parse(start); t <= Date.parse(end); t += DAY) expected.set(iso(t), 1);
      expect(counted(spans(start, end))).toEqual(expected);
    }), { numRuns: 400 });
  });

  it.each([
    ['2025-01-01', '2025-12-31', ['+user_year:2025..2025']],
    ['2024-01-01', '2025-12-31', ['+user_year:2024..2025']],
    ['2025-06-01', '2025-06-30', ['+user_month:2025-06..2025-06']],
    ['2025-06-02', '2025-06-08', ['+sessions:2025-06-02..2025-06-08']],
    ['2025-03-01', '2025-05-31', ['+user_month:2025-03..2025-05']],
    // Most of two months: each month less the few days outside the range.
    ['2025-06-10', '2025-07-24', ['+user_month:2025-06..2025-06', '-sessions:2025-06-01..2025-06-09', '+user_month:2025-07..2025-07', '-sessions:2025-07-25..2025-07-31']],
    // Most of a year: the year less what lies outside.
    ['2025-02-10', '2025-11-20', ['+user_year:2025..2025', '-user_month:2025-01..2025-01', '-sessions:2025-02-01..2025-02-09', '-sessions:2025-11-21..2025-11-30', '-user_month:2025-12..2025-12']],
    ['2025-12-15', '2026-01-14', ['+sessions:2025-12-15..2026-01-14']],
    ['2025-12-01', '2026-01-31', ['+user_month:2025-12..2026-01']],
    ['2026-03-02', '2026-03-01', ['+sessions:2026-03-02..2026-03-01']],
  ])('%s..%s', (start, end, expected) => {
    expect(short(spans(start, end))).toEqual(expected);
  });
});
