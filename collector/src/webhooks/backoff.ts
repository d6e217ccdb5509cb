/**
 * When to try a failed delivery again: capped exponential backoff with jitter, unless the receiver said
 * when (`Retry-After`, RFC 9110 section 10.2.3: seconds or an HTTP date), which is honoured up to a bound.
 */

export interface BackoffOptions {
  /** First delay. @defaultValue 5000 */
  baseMs?: number;
  /** No delay above this (before jitter). @defaultValue 3600000 (one hour) */
  capMs?: number;
  /** A Retry-After longer than this is cut to it. @defaultValue 21600000 (six hours) */
  maxRetryAfterMs?: number;
  /** Jitter source in [0, 1). @defaultValue Math.random */
  random?: () => number;
}

/** The delay after `attempts` failed attempts (1 = the first failed): base * 2^(attempts-1), capped, then 50-100 % of it. */
export function backoffMs(attempts: number, opts: BackoffOptions = {}): number {
  const { baseMs = 5_000, capMs = 3_600_000, random = Math.random } = opts;
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  // "Equal jitter": never sooner than half the step, so a failing receiver is not hit early, and attempts of
  // many events spread out instead of arriving together when it comes back.
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** A Retry-After header as milliseconds from `now`, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number, opts: BackoffOptions = {}): number | null {
  if (!header) return null;
  const { maxRetryAfterMs = 21_600_000 } = opts;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), maxRetryAfterMs);
}
