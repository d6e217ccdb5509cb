import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatShare } from '../../../collector/dashboard/src/format';
import { dayToSeconds, lastDays, rangeFromSearch } from '../../../collector/dashboard/src/dateRange';

describe('dashboard formats', () => {
  it('reads durations as people do', () => {
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(42.34)).toBe('42.3 s');
    expect(formatDuration(59.94)).toBe('59.9 s');
    expect(formatDuration(59.96)).toBe('1 min 00 s');
    expect(formatDuration(60)).toBe('1 min 00 s');
    expect(formatDuration(245.4)).toBe('4 min 05 s');
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('reads shares as percentages and counts with separators', () => {
    expect(formatShare(0.25)).toBe('25%');
    expect(formatShare(1 / 3)).toBe('33%');
    expect(formatShare(undefined)).toBe('—');
    expect(formatCount(12345)).toBe('12,345');
  });
});

describe('dashboard date ranges (UTC days)', () => {
  it('counts the last N days including today', () => {
    const now = Date.parse('2026-03-31T23:30:00Z');
    expect(lastDays(1, now)).toEqual({ start: '2026-03-31', end: '2026-03-31' });
    expect(lastDays(30, now)).toEqual({ start: '2026-03-02', end: '2026-03-31' });
    expect(lastDays(365, Date.parse('2026-12-31T00:00:00Z'))).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('maps a day to its UTC midnight in seconds', () => {
    expect(dayToSeconds('2026-03-01')).toBe(Date.UTC(2026, 2, 1) / 1000);
  });

  it('takes a range from a shared link only when it is two days in order', () => {
    expect(rangeFromSearch('?start=2026-03-01&end=2026-03-31')).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(rangeFromSearch('?start=2026-03-31&end=2026-03-01')).toBeNull();
    expect(rangeFromSearch('?start=2026-3-1&end=2026-03-31')).toBeNull();
    expect(rangeFromSearch('?start=2026-03-01')).toBeNull();
    expect(rangeFromSearch('')).toBeNull();
  });
});
