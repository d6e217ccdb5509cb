/**
 * Which outbox rows a stored row causes: pure, so that the SQLite writer thread and the PostgreSQL batch
 * writer derive the same events from the same rows inside their own transaction. An event's id (the
 * `webhook-id`) is derived from its endpoint and its cause, so the same cause written twice (a final
 * record replaced by a later final one, two collectors scanning the same idle user) is one row: the
 * outbox insert ignores an id it already holds.
 */
import { createHash } from 'node:crypto';
import type { AlertRow, SessionRow } from '../ingest/rows';
import type { Vendor } from '../relays/config';
import type { EventType, WebhookEndpoint, Webhooks } from './config';

/** A webhook event's type, or `relay.<vendor>` for a relay's request (relays/events.ts). */
export type OutboxType = EventType | `relay.${Vendor}`;

export interface OutboxRow {
  /** The `webhook-id`: `msg_` and 32 hex digits. */
  id: string;
  endpoint: string;
  siteId: string;
  /** The session it is about (alert, session.ended): erasure and retention delete the event with it. */
  sessionId: string | null;
  /** The identified user it names (session.ended, users.inactive): erasure deletes the event with them. */
  userId: string | null;
  type: OutboxType;
  /** The exact body sent (a relay's without its secret, which the dispatcher adds), every attempt: `{ "type", "timestamp", "data" }` (Standard Webhooks). */
  payload: string;
  createdAt: number;
}

export const OUTBOX_COLUMNS = ['id', 'endpoint', 'site_id', 'session_id', 'user_id', 'type', 'payload', 'created_at', 'next_attempt_at', 'retry_from'] as const;
export const outboxValues = (r: OutboxRow): unknown[] => [r.id, r.endpoint, r.siteId, r.sessionId, r.userId, r.type, r.payload, r.createdAt, r.createdAt, r.createdAt];

export const eventId = (endpoint: string, type: OutboxType, cause: readonly (string | number)[]) =>
  `msg_${createHash('sha256').update([endpoint, type, ...cause].join('\u0000')).digest('hex').slice(0, 32)}`;

/** A page glob as a RegExp: `*` any characters but `/`, `**` any characters, `?` one character but `/`. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') (re += '.*'), i++;
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function payload(type: EventType, at: number, data: unknown): string {
  return JSON.stringify({ type, timestamp: new Date(at).toISOString(), data });
}

export interface InactiveUserCause {
  siteId: string;
  userId: string;
  lastActiveAt: number;
}

/** The event builders of one configuration; the page globs are compiled once. */
export function eventsOf(webhooks: Webhooks) {
  const globs = new Map<WebhookEndpoint, RegExp[]>(webhooks.map((w) => [w, (w.filters.pages ?? []).map(globRegExp)]));
  const receiving = (type: EventType, siteId: string) => webhooks.filter((w) => w.site === siteId && w.events.includes(type));

  return {
    /** session.ended for a row that was just stored (a higher seq than before) and is final. */
    sessionEnded(s: SessionRow): OutboxRow[] {
      if (!s.final) return [];
      return receiving('session.ended', s.siteId)
        .filter((w) => s.engagedMs >= (w.filters.minEngagedMs ?? 0))
        .filter((w) => globs.get(w)!.length === 0 || s.pages.some((p) => globs.get(w)!.some((g) => g.test(p.path))))
        .map((w) => ({
          id: eventId(w.key, 'session.ended', [s.siteId, s.id]),
          endpoint: w.key,
          siteId: s.siteId,
          sessionId: s.id,
          userId: s.userId,
          type: 'session.ended',
          payload: payload('session.ended', s.receivedAt, JSON.parse(s.record)),
          createdAt: s.receivedAt,
        }));
    },
    /** alert for an alert row that was just inserted (not one already stored). */
    alert(a: AlertRow): OutboxRow[] {
      return receiving('alert', a.siteId)
        .filter((w) => !w.filters.thresholds || w.filters.thresholds.includes(a.threshold))
        .filter((w) => !w.filters.directions || w.filters.directions.includes(a.direction))
        .filter((w) => a.engagedMs >= (w.filters.minEngagedMs ?? 0))
        .map((w) => ({
          id: eventId(w.key, 'alert', [a.siteId, a.sessionId, a.threshold, a.direction]),
          endpoint: w.key,
          siteId: a.siteId,
          sessionId: a.sessionId,
          userId: null,
          type: 'alert',
          payload: payload('alert', a.receivedAt, {
            v: 1, type: 'alert', siteId: a.siteId, sessionId: a.sessionId, threshold: a.threshold, direction: a.direction, at: new Date(a.at).toISOString(), engagedMs: a.engagedMs,
          }),
          createdAt: a.receivedAt,
        }));
    },
    /** users.inactive for one user of one endpoint: once per idle stretch, i.e. per last activity. */
    inactive(w: WebhookEndpoint, u: InactiveUserCause, at: number): OutboxRow {
      return {
        id: eventId(w.key, 'users.inactive', [u.siteId, u.userId, u.lastActiveAt]),
        endpoint: w.key,
        siteId: u.siteId,
        sessionId: null,
        userId: u.userId,
        type: 'users.inactive',
        payload: payload('users.inactive', at, { siteId: u.siteId, userId: u.userId, lastActiveAt: new Date(u.lastActiveAt).toISOString(), inactiveDays: w.inactiveDays }),
        createdAt: at,
      };
    },
  };
}

export type EventBuilders = ReturnType<typeof eventsOf>;
