/** How figures read on the dashboard. Reports give seconds (0.1 s precision); people read minutes. */

/** `42.3 s`, `4 min 05 s`, `1 h 02 min`; `—` for a missing figure. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  // Round first, so 59.96 s reads "1 min 00 s" and not "60.0 s".
  if (Math.round(seconds * 10) < 600) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** A share in 0..1 as a whole-number percentage (`0.25` -> `25%`). */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)}%`;
}

const counts = new Intl.NumberFormat('en');
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : counts.format(n);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One date format on every screen: `5 Mar 2026` for a `YYYY-MM-DD` day (UTC, as reports count). */
export function formatDay(day: string, withYear = true): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return withYear ? `${d} ${MONTHS[m - 1]} ${y}` : `${d} ${MONTHS[m - 1]}`;
}

/** `1–31 Mar 2026`, `28 Feb – 3 Mar 2026`, `5 Mar 2026` for a one-day range. */
export function formatRange(start: string, end: string): string {
  if (start === end) return formatDay(start);
  if (start.slice(0, 7) === end.slice(0, 7)) return `${Number(start.slice(8))}–${formatDay(end)}`;
  if (start.slice(0, 4) === end.slice(0, 4)) return `${formatDay(start, false)} – ${formatDay(end)}`;
  return `${formatDay(start)} – ${formatDay(end)}`;
}

/** `5 Mar 2026, 14:03 UTC` for an ISO instant. */
export function formatInstant(iso: string): string {
  return `${formatDay(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/** An axis tick for seconds: `45 s`, `5 min`, `1.5 h`. */
export function formatDurationTick(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round((seconds / 60) * 10) / 10} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

/** Change against the previous period: `+12%`, `−5%`, `new` when there was nothing before, `no change`. */
export function formatChange(current: number | null | undefined, previous: number | null | undefined): { text: string; trend: 'up' | 'down' | 'flat' } | null {
  if (current === null || current === undefined || previous === null || previous === undefined || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  if (previous === 0) return current === 0 ? { text: 'no change', trend: 'flat' } : { text: 'new', trend: 'up' };
  const change = Math.round(((current - previous) / previous) * 100);
  if (change === 0) return { text: 'no change', trend: 'flat' };
  return { text: `${change > 0 ? '+' : '−'}${Math.abs(change)}%`, trend: change > 0 ? 'up' : 'down' };
}
