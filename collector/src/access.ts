/**
 * Who may read what. Tokens come from SM_TOKENS (JSON, or a path to a JSON file, like SM_SITES):
 *
 *   { "ops":  { "sha256": "<hex of the token's SHA-256>", "scope": "admin" },
 *     "docs": { "sha256": "<hex>", "scope": "read", "sites": ["docs", "blog"] } }
 *
 * An admin token reaches everything (reports on every site, erasure, export); a read token only the
 * reports, the live view and the access answer, limited to its sites. Only hashes are configured and
 * kept: a presented token is hashed and compared with every configured hash by timingSafeEqual (equal
 * lengths, no early exit), so neither the configuration nor the time taken reveals a token. Without
 * SM_TOKENS the one token (SM_API_TOKEN or the generated one) is an admin token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SmError } from './errors';
import { addressKey, type RateLimits } from './rate-limits';

export type Grant =
  | { readonly name: string; readonly scope: 'admin' }
  | { readonly name: string; readonly scope: 'read'; readonly sites: readonly string[] };

export interface TokenEntry {
  readonly grant: Grant;
  readonly sha256: Buffer;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A random token of 32 base64url characters (192 bits). */
export const newToken = (): string => randomBytes(24).toString('base64url');

/** The zero-configuration access: one admin token. */
export function singleToken(token: string, name = 'api-token'): TokenEntry[] {
  if (token.length < 16) throw new Error('the API token must be at least 16 characters');
  return [{ grant: { name, scope: 'admin' }, sha256: Buffer.from(hashToken(token), 'hex') }];
}

export function parseTokens(text: string, source = 'SM_TOKENS'): TokenEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    throw new Error(`${source} must be an object of name -> { "sha256": "<hex>", "scope": "admin" | "read", "sites": [...] } with at least one token`);
  }
  const seen = new Set<string>();
  return Object.entries(value).map(([name, raw]) => {
    const t = (raw ?? {}) as { sha256?: unknown; scope?: unknown; sites?: unknown };
    if (typeof t.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(t.sha256)) {
      throw new Error(`${source}: token '${name}' needs "sha256": the 64 hex digits of its SHA-256 (session-metrics-collector hash-token TOKEN)`);
    }
    const hash = t.sha256.toLowerCase();
    if (seen.has(hash)) throw new Error(`${source}: token '${name}' has the same hash as another token`);
    seen.add(hash);
    const sha256 = Buffer.from(hash, 'hex');
    if (t.scope === 'admin') {
      if (t.sites !== undefined) throw new Error(`${source}: token '${name}' is admin, which reads every site: remove "sites" or make it "read"`);
      return { grant: { name, scope: 'admin' }, sha256 };
    }
    if (t.scope !== 'read') throw new Error(`${source}: token '${name}' scope must be "admin" or "read", got ${JSON.stringify(t.scope)}`);
    if (!Array.isArray(t.sites) || t.sites.length === 0 || !t.sites.every((s) => typeof s === 'string' && s.length > 0)) {
      throw new Error(`${source}: read token '${name}' needs "sites": a non-empty array of siteIds it may read`);
    }
    return { grant: { name, scope: 'read', sites: [...new Set(t.sites as string[])] }, sha256 };
  });
}

/** SM_TOKENS as JSON text or as a file path; undefined or empty = not configured. */
export function loadTokens(value: string | undefined, read = (p: string) => readFileSync(p, 'utf8')): TokenEntry[] | null {
  if (!value || !value.trim()) return null;
  const trimmed = value.trim();
  return trimmed.startsWith('{') ? parseTokens(trimmed) : parseTokens(read(trimmed), trimmed);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The presented token's grant, set by the bearer check of the /api routes. */
    grant?: Grant;
  }
}

/** The token presented as `Authorization: Bearer <token>`, or an SM_UNAUTHORIZED error. */
export function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new SmError('SM_UNAUTHORIZED', 'missing Authorization header: send "Authorization: Bearer <token>"');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new SmError('SM_UNAUTHORIZED', 'the Authorization header must be "Bearer <token>"');
  return m[1]!;
}

/** The grant of `token` among `entries`, comparing against every hash in constant time per entry. */
export function findGrant(entries: readonly TokenEntry[], token: string): Grant | null {
  const presented = createHash('sha256').update(token).digest();
  let found: Grant | null = null;
  for (const e of entries) if (timingSafeEqual(presented, e.sha256) && !found) found = e.grant;
  return found;
}

/**
 * onRequest hook: a valid token of any scope, its grant kept on the request. With `limits`, an address
 * that presented too many wrong tokens is refused before its token is looked at, each wrong token
 * counts, and each token has its own budget of requests (rate-limits.ts).
 */
export function requireToken(entries: readonly TokenEntry[], limits?: Pick<RateLimits, 'authFailures' | 'apiPerToken'>) {
  if (entries.length === 0) throw new Error('at least one token is needed');
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const address = addressKey(request.ip);
    const blocked = limits?.authFailures?.exhausted(address, reply);
    if (blocked) throw blocked;
    // Only a presented token that is wrong counts: a missing or malformed header guesses nothing.
    const grant = findGrant(entries, bearer(request));
    if (!grant) {
      limits?.authFailures?.add(address);
      throw new SmError('SM_UNAUTHORIZED', 'the bearer token is not valid');
    }
    request.grant = grant;
    const limited = limits?.apiPerToken?.take(grant.name, reply, grant.name);
    if (limited) throw limited;
  };
}

/** For routes beyond reading reports (erasure, export): only an admin token. */
export async function requireAdmin(request: FastifyRequest) {
  if (request.grant?.scope !== 'admin') {
    throw new SmError('SM_FORBIDDEN', `token '${request.grant?.name ?? '?'}' may only read reports; this route needs an admin token`);
  }
}

/**
 * The sites a report may cover: `undefined` for every site (admin, no site asked), else the list.
 * A site asked for that the token may not read is an SM_SITE_FORBIDDEN error naming it.
 */
export function readableSites(grant: Grant | undefined, requested: string | undefined): string[] | undefined {
  if (!grant || grant.scope === 'admin') return requested === undefined ? undefined : [requested];
  if (requested === undefined) return [...grant.sites];
  if (!grant.sites.includes(requested)) {
    throw new SmError('SM_SITE_FORBIDDEN', `token '${grant.name}' may not read site '${requested}'; it may read ${grant.sites.map((s) => `'${s}'`).join(', ')}`);
  }
  return [requested];
}
