/**
 * Milliseconds until the time a `Retry-After` header names (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date), or `undefined` when there is none or it cannot be read.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const ms = /^\s*\d+\s*$/.test(value) ? +value * 1000 : Date.parse(value) - now;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}
