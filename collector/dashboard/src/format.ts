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
