/**
 * Milliseconds until the time a `Retry-After` header names (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date), or `undefined` when there is none or it cannot be read.
 */
export const parseRetryAfter = (value: string | null | undefined, now: number): number | undefined => {
  const ms = value ? (!/^\s*\d+\s*$/.test(value) ? Date.parse(value) - now : +value * 1e3) : NaN;
  // A date in the past means now; anything unreadable means no advice (NaN fails both tests).
  return ms > 0 ? ms : ms <= 0 ? 0 : undefined;
};
