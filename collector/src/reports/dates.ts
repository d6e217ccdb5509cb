/**
 * Report date ranges: `YYYY-MM-DD`, inclusive, UTC (docs/semantics.md, Reports). Every problem is a 400
 * whose message names the field and says why: malformed, not a calendar date, or reversed.
 */
import { SmError } from '../errors';

/** Longest range a report answers (about ten years), so a typo cannot ask for a million days. */
export const MAX_RANGE_DAYS = 3660;

const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Parses one date field; returns epoch ms of its UTC midnight. */
export function parseDay(field: string, value: unknown): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new SmError('SM_BAD_DATE', `${field} must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12) throw new SmError('SM_BAD_DATE', `${field} ${value} is not a calendar date: month ${m} does not exist`);
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) {
    throw new SmError('SM_BAD_DATE', `${field} ${value} is not a calendar date: ${MONTHS[m - 1]} ${y} has ${daysInMonth} days`);
  }
  return Date.UTC(y, m - 1, d);
}

export interface ParsedRange {
  start: string;
  end: string;
  /** Every day of the range, in order. */
  days: string[];
}

export function parseRange(startField: string, start: unknown, endField: string, end: unknown): ParsedRange {
  const a = parseDay(startField, start);
  const b = parseDay(endField, end);
  if (a > b) throw new SmError('SM_RANGE_REVERSED', `${startField} ${String(start)} is after ${endField} ${String(end)}`);
  const length = (b - a) / DAY_MS + 1;
  if (length > MAX_RANGE_DAYS) {
    throw new SmError('SM_RANGE_TOO_LONG', `the range ${String(start)} to ${String(end)} spans ${length} days; at most ${MAX_RANGE_DAYS} are allowed`);
  }
  const days = Array.from({ length }, (_, i) => new Date(a + i * DAY_MS).toISOString().slice(0, 10));
  return { start: start as string, end: end as string, days };
}
