/**
 * Content negotiation for reports: JSON by default, CSV when the request's Accept header asks for
 * text/csv (and ranks it above JSON, when both are listed).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toCsv, type Cell } from './csv';

export interface Table {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

function quality(accept: string, type: string): number {
  let best = -1;
  for (const part of accept.split(',')) {
    const [media, ...params] = part.trim().split(';');
    const m = media!.trim().toLowerCase();
    if (m !== type && m !== `${type.split('/')[0]}/*` && m !== '*/*') continue;
    const qp = params.find((p) => p.trim().startsWith('q='));
    const qv = qp ? Number(qp.trim().slice(2)) : 1;
    // An exact match outranks a wildcard of the same q.
    best = Math.max(best, qv + (m === type ? 0.0001 : 0));
  }
  return best;
}

export function wantsCsv(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (!accept || !accept.toLowerCase().includes('text/csv')) return false;
  return quality(accept, 'text/csv') > quality(accept, 'application/json');
}

/**
 * Sends `data` as JSON (through the route's response schema) or, when the request asks for it, as the CSV of
 * `table(data)`. `stringify`: a large answer whose objects carry exactly the schema's fields is written by
 * JSON.stringify instead (the same JSON: session-duration's 1.8 MB in 9 ms where the schema's serializer took 23).
 */
export function sendReport<T>(request: FastifyRequest, reply: FastifyReply, data: T, table: (data: T) => Table, name: string, stringify = false) {
  if (!wantsCsv(request)) return stringify ? reply.type('application/json; charset=utf-8').send(JSON.stringify(data)) : reply.send(data);
  const t = table(data);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `inline; filename="${name}.csv"`)
    .send(toCsv(t.columns, t.rows));
}
