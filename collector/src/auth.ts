/**
 * Bearer-token check for every report route. The comparison hashes both sides first so that
 * timingSafeEqual gets equal lengths and the time taken says nothing about the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { SmError } from './errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireBearer(token: string) {
  if (token.length < 16) throw new Error('the API token must be at least 16 characters');
  const expected = digest(token);
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new SmError('SM_UNAUTHORIZED', 'missing Authorization header: send "Authorization: Bearer <token>"');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new SmError('SM_UNAUTHORIZED', 'the Authorization header must be "Bearer <token>"');
    if (!timingSafeEqual(digest(m[1]!), expected)) throw new SmError('SM_UNAUTHORIZED', 'the bearer token is not valid');
  };
}
