/**
 * The collector's rate limits, each its own bucket so that one cannot spend another's (issue 10, point 6):
 *
 *   ingest per address   POST /collect requests per client IP               SM_RATE_LIMIT
 *   ingest per site      POST /collect requests carrying a site's records   SM_SITE_RATE_LIMIT
 *   API per token        /api requests per token (reports, live, erasure)   SM_REPORT_RATE_LIMIT
 *   failed sign-ins      wrong tokens presented, per client IP              SM_AUTH_FAILURE_LIMIT
 *
 * A busy site spends its own ingest buckets, never its dashboard's; a wrong token is counted, and once an
 * address has failed too often every request of it that carries a token is refused until the window ends
 * (before the token is checked, so guessing learns nothing more). The answer is 429 SM_RATE_LIMITED with
 * a message naming the limit and its variable, and Retry-After in seconds.
 *
 * Fixed windows per key, in memory, per process: with SM_WORKERS=n each worker counts on its own. IPv6
 * addresses count per /64 (one host usually holds a whole /64).
 */
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply } from 'fastify';
import { SmError } from './errors';

export interface LimitRule {
  /** What is counted, for the message: "POST /collect requests from this address". */
  readonly what: string;
  readonly max: number;
  readonly windowMs: number;
  /** The variable that sets `max`, named in the message. */
  readonly variable: string;
}

/** Keys kept at most; beyond it the oldest windows are forgotten (an attack from very many addresses). */
const MAX_KEYS = 100_000;

const perWindow = (ms: number) => (ms === 60_000 ? 'per minute' : ms % 60_000 === 0 ? `per ${ms / 60_000} minutes` : `per ${ms / 1000} s`);

export function fixedWindow(rule: LimitRule, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; n: number }>();

  function current(key: string) {
    const at = now();
    let w = windows.get(key);
    if (w && at - w.start >= rule.windowMs) {
      windows.delete(key);
      w = undefined;
    }
    if (!w) {
      if (windows.size >= MAX_KEYS) {
        for (const [k, old] of windows) if (at - old.start >= rule.windowMs || windows.size >= MAX_KEYS / 2) windows.delete(k);
      }
      w = { start: at, n: 0 };
      windows.set(key, w);
    }
    return w;
  }

  /** The 429 for `key`, naming the rule; Retry-After is set on `reply`. */
  function refusal(key: string, subject: string, reply: FastifyReply): SmError {
    const w = current(key);
    const retryS = Math.max(1, Math.ceil((w.start + rule.windowMs - now()) / 1000));
    reply.header('retry-after', String(retryS));
    return new SmError('SM_RATE_LIMITED', `too many ${rule.what.replace('{}', subject)}: at most ${rule.max} ${perWindow(rule.windowMs)} (${rule.variable}); retry after ${retryS} s`);
  }

  return {
    rule,
    /** Counts one for `key`; the 429 to answer when that passes the limit, else null. */
    take(key: string, reply: FastifyReply, subject = ''): SmError | null {
      const w = current(key);
      if (w.n >= rule.max) return refusal(key, subject, reply);
      w.n++;
      return null;
    },
    /** The 429 when `key` has already used up the window, without counting. */
    exhausted(key: string, reply: FastifyReply, subject = ''): SmError | null {
      return current(key).n >= rule.max ? refusal(key, subject, reply) : null;
    },
    /** Counts one for `key` (a failure), whatever the count. */
    add(key: string) {
      current(key).n++;
    },
  };
}

export type FixedWindow = ReturnType<typeof fixedWindow>;

/** A request's client address as the limits count it. */
export const addressKey = (ip: string) => normalizeIP(ip, 64);

export interface RateLimitOptions {
  /** POST /collect requests per minute per client IP. @defaultValue 1200 */
  ingestPerAddress?: number | false;
  /** POST /collect requests per minute per site. @defaultValue 6000 */
  ingestPerSite?: number | false;
  /** /api requests per minute per token. @defaultValue 1200 */
  apiPerToken?: number | false;
  /** Failed authentications per client IP per 10 minutes. @defaultValue 20 */
  authFailures?: number | false;
}

export interface RateLimits {
  ingestPerAddress: FixedWindow | null;
  ingestPerSite: FixedWindow | null;
  apiPerToken: FixedWindow | null;
  authFailures: FixedWindow | null;
}

export function createRateLimits(opts: RateLimitOptions | false, now: () => number = Date.now): RateLimits {
  const o = opts === false ? { ingestPerAddress: false, ingestPerSite: false, apiPerToken: false, authFailures: false } as const : opts;
  const make = (max: number | false | undefined, fallback: number, rule: Omit<LimitRule, 'max'>) =>
    max === false ? null : fixedWindow({ ...rule, max: max ?? fallback }, now);
  return {
    ingestPerAddress: make(o.ingestPerAddress, 1200, { what: 'POST /collect requests from this address', windowMs: 60_000, variable: 'SM_RATE_LIMIT' }),
    ingestPerSite: make(o.ingestPerSite, 6000, { what: "POST /collect requests for site '{}'", windowMs: 60_000, variable: 'SM_SITE_RATE_LIMIT' }),
    apiPerToken: make(o.apiPerToken, 1200, { what: "API requests with token '{}'", windowMs: 60_000, variable: 'SM_REPORT_RATE_LIMIT' }),
    authFailures: make(o.authFailures, 20, { what: 'failed authentications from this address', windowMs: 600_000, variable: 'SM_AUTH_FAILURE_LIMIT' }),
  };
}
