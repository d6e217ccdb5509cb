/**
 * Delay before retry number `attempt` (1, 2, ...): exponential backoff with full jitter, capped.
 * Full jitter (a uniform draw in [0, min(cap, base * 2^(attempt-1)))) spreads the retries of many
 * tabs and visitors after an outage, instead of having them all return at once (the "Full Jitter"
 * variant of Marc Brooker's "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 * (After about 1000 failures `2 ** n` is Infinity, and the cap still holds.)
 */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
