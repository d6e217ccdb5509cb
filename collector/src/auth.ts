/**
 * Bearer-token check with the single token (tests and callers of build({ token })); scoped tokens and
 * the comparison itself are in access.ts (hashes compared with timingSafeEqual).
 */
import { requireToken, singleToken } from './access';

export function requireBearer(token: string) {
  return requireToken(singleToken(token));
}
