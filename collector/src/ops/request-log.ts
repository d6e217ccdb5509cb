/**
 * The request as every log line writes it: Fastify's fields (method, url, host, address, port), with
 * the person's id taken out of the privacy routes' URLs (/api/users/:userId, /api/anonymous/:anonymousId
 * and their /export). An erasure would otherwise leave the erased id in the request logs, which are
 * kept apart from the database and outlive it (docs/privacy.md).
 */
import type { FastifyServerOptions } from 'fastify';

const PERSON_IN_URL = /^(\/api\/(?:users|anonymous)\/)[^/?#]+/;

/** A URL as logged: a privacy route's person id replaced by `{redacted}`. */
export const loggedUrl = (url: string) => url.replace(PERSON_IN_URL, '$1{redacted}');

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

function req(request: LoggedRequest) {
  return { method: request.method, url: loggedUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

/** The logger option with the request serializer above; false stays false (no logging). */
export function withRequestRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req } };
}
