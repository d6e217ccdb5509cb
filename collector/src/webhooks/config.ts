/**
 * SM_WEBHOOKS: which events of which site go to which endpoint. JSON, or a path to a JSON file (like
 * SM_SITES), of siteId -> endpoints:
 *
 *   { "learn": [{ "name": "reminders", "url": "https://crm.example.com/hooks/sm", "secret": "whsec_...",
 *                 "events": ["users.inactive"], "inactiveDays": 7 }] }
 *
 * Every mistake stops the start with a message naming the site and endpoint (docs/webhooks.md). The
 * result is plain data: it crosses to the SQLite writer thread as it is.
 */
import { readFileSync } from 'node:fs';
import type { Sites } from '../sites';

export const EVENT_TYPES = ['alert', 'session.ended', 'users.inactive'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface WebhookFilters {
  /** alert: only these threshold names. */
  thresholds?: string[];
  /** alert: only these directions. */
  directions?: Array<'above' | 'below'>;
  /** alert and session.ended: only at least this much engaged time (ms). */
  minEngagedMs?: number;
  /** session.ended: only sessions that showed a page matching one of these globs (`*` within a path segment, `**` across). */
  pages?: string[];
}

export interface WebhookEndpoint {
  /** `site/name`: unique, stored with every event. */
  key: string;
  site: string;
  name: string;
  url: string;
  /** `whsec_` and the base64 key (Standard Webhooks). */
  secret: string;
  events: EventType[];
  filters: WebhookFilters;
  /** users.inactive: idle for this many days. @defaultValue 7 */
  inactiveDays: number;
  /** One attempt's bound. @defaultValue 10000 */
  timeoutMs: number;
  /** An event still failing this long after it was created (or redelivered) goes to `dead`. @defaultValue 3 days */
  deadAfterMs: number;
}

export type Webhooks = readonly WebhookEndpoint[];

const FIELDS = new Set(['name', 'url', 'secret', 'events', 'filters', 'inactiveDays', 'timeoutSeconds', 'deadAfterHours']);
const FILTERS: Record<keyof WebhookFilters | 'minEngagedSeconds', EventType[]> = {
  thresholds: ['alert'],
  directions: ['alert'],
  minEngagedSeconds: ['alert', 'session.ended'],
  minEngagedMs: [],
  pages: ['session.ended'],
};

export const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0);

export function positive(v: unknown, fallback: number, what: string, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) throw new Error(`${what} must be a number above 0 and at most ${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** `v` as an absolute http(s) URL, or an error naming `where`. */
export function httpUrl(v: unknown, where: string): URL {
  let url: URL;
  try {
    url = new URL(String(v));
  } catch {
    throw new Error(`${where} "url" must be an absolute http(s) URL, got ${JSON.stringify(v)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || typeof v !== 'string') throw new Error(`${where} "url" must be an http(s) URL, got ${JSON.stringify(v)}`);
  return url;
}

function parseFilters(raw: unknown, events: EventType[], where: string): WebhookFilters {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} "filters" must be an object`);
  const f = raw as Record<string, unknown>;
  const out: WebhookFilters = {};
  for (const [k, v] of Object.entries(f)) {
    const applies = FILTERS[k as keyof typeof FILTERS];
    if (!applies || k === 'minEngagedMs') throw new Error(`${where} has an unknown filter "${k}" (known: thresholds, directions, minEngagedSeconds, pages)`);
    if (!applies.some((e) => events.includes(e))) throw new Error(`${where} filter "${k}" applies only to ${applies.join(' and ')}, which this endpoint does not receive`);
    if (k === 'thresholds' || k === 'pages') {
      if (!strings(v)) throw new Error(`${where} filter "${k}" must be a non-empty array of strings`);
      if (k === 'pages' && v.some((p) => !p.startsWith('/'))) throw new Error(`${where} filter "pages" globs must start with "/", got ${JSON.stringify(v)}`);
      out[k] = v;
    } else if (k === 'directions') {
      if (!strings(v) || !v.every((d) => d === 'above' || d === 'below')) throw new Error(`${where} filter "directions" must be a non-empty array of "above" and "below"`);
      out.directions = v as Array<'above' | 'below'>;
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where} filter "minEngagedSeconds" must be a number of seconds, 0 or more`);
      out.minEngagedMs = Math.round(v * 1000);
    }
  }
  return out;
}

function parseEndpoint(site: string, raw: unknown, index: number, source: string): WebhookEndpoint {
  let where = `${source}: site '${site}' endpoint ${index}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} must be an object with "name", "url", "secret" and "events"`);
  const e = raw as Record<string, unknown>;
  if (typeof e.name !== 'string' || !/^[\w.-]{1,64}$/.test(e.name)) throw new Error(`${where} needs "name": 1 to 64 letters, digits, '.', '_' or '-'`);
  where = `${source}: webhook '${site}/${e.name}'`;
  for (const k of Object.keys(e)) if (!FIELDS.has(k)) throw new Error(`${where} has an unknown field "${k}" (known: ${[...FIELDS].join(', ')})`);
  const url = httpUrl(e.url, where);
  if (e.secret === undefined || e.secret === '') throw new Error(`${where} is missing "secret": a Standard Webhooks secret, "whsec_" and a base64 key of 24 to 64 bytes`);
  if (typeof e.secret !== 'string' || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(e.secret)) throw new Error(`${where} "secret" must be "whsec_" followed by a base64 key`);
  const keyBytes = Buffer.from(e.secret.slice(6), 'base64').length;
  if (keyBytes < 24 || keyBytes > 64) throw new Error(`${where} "secret" key is ${keyBytes} bytes; use 24 to 64 (openssl rand -base64 32)`);
  if (!strings(e.events)) throw new Error(`${where} needs "events": a non-empty array of ${EVENT_TYPES.join(', ')}`);
  for (const ev of e.events) if (!(EVENT_TYPES as readonly string[]).includes(ev)) throw new Error(`${where} has an unknown event "${ev}" (known: ${EVENT_TYPES.join(', ')})`);
  const events = [...new Set(e.events)] as EventType[];
  if (e.inactiveDays !== undefined && !events.includes('users.inactive')) throw new Error(`${where} "inactiveDays" applies only to users.inactive, which this endpoint does not receive`);
  const inactiveDays = positive(e.inactiveDays, 7, `${where} "inactiveDays"`, 3650);
  if (!Number.isInteger(inactiveDays)) throw new Error(`${where} "inactiveDays" must be a whole number of days`);
  return {
    key: `${site}/${e.name}`,
    site,
    name: e.name,
    url: url.href,
    secret: e.secret,
    events,
    filters: parseFilters(e.filters, events, where),
    inactiveDays,
    timeoutMs: Math.round(positive(e.timeoutSeconds, 10, `${where} "timeoutSeconds"`, 120) * 1000),
    deadAfterMs: Math.round(positive(e.deadAfterHours, 72, `${where} "deadAfterHours"`, 24 * 365) * 3_600_000),
  };
}

/**
 * The JSON of a per-site setting (SM_WEBHOOKS, SM_RELAYS): an object of siteId -> a non-empty list, each
 * entry read by `parseOne`, each key once. `sites` (SM_SITES, when configured) are the only sites it may
 * name; `noun` and `listOf` name the entries in its messages.
 */
export function parseSiteLists<T extends { key: string }>(
  text: string,
  sites: Sites | null,
  source: string,
  [noun, listOf]: [noun: string, listOf: string],
  parseOne: (site: string, raw: unknown, index: number) => T,
): T[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${source} must be an object of siteId -> [${listOf}]`);
  const out: T[] = [];
  for (const [site, list] of Object.entries(value)) {
    if (sites && !sites.has(site)) throw new Error(`${source}: site '${site}' is not in SM_SITES (${[...sites.keys()].map((s) => `'${s}'`).join(', ')})`);
    if (!Array.isArray(list) || list.length === 0) throw new Error(`${source}: site '${site}' must have a non-empty array of ${listOf}`);
    list.forEach((raw, i) => {
      const entry = parseOne(site, raw, i);
      if (out.some((o) => o.key === entry.key)) throw new Error(`${source}: ${noun} '${entry.key}' is named twice`);
      out.push(entry);
    });
  }
  return out;
}

/** Parses SM_WEBHOOKS text; `sites` (SM_SITES, when configured) are the only sites a webhook may name. */
export const parseWebhooks = (text: string, sites: Sites | null, source = 'SM_WEBHOOKS'): Webhooks =>
  parseSiteLists(text, sites, source, ['webhook', 'endpoints'], (site, raw, i) => parseEndpoint(site, raw, i, source));

/** A setting given as JSON text or as a path to a JSON file (SM_WEBHOOKS, SM_RELAYS): its text and where it came from; null when unset or empty. */
export function readJsonSetting(name: string, value: string | undefined, read = (p: string) => readFileSync(p, 'utf8')): { text: string; source: string } | null {
  if (!value || !value.trim()) return null;
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) return { text: trimmed, source: name };
  try {
    return { text: read(trimmed), source: trimmed };
  } catch (e) {
    throw new Error(`${name} is neither JSON nor a readable file: ${(e as Error).message}`);
  }
}

/** SM_WEBHOOKS as JSON text or as a file path; undefined or empty = no webhooks. */
export function loadWebhooks(value: string | undefined, sites: Sites | null, read = (p: string) => readFileSync(p, 'utf8')): Webhooks | null {
  const setting = readJsonSetting('SM_WEBHOOKS', value, read);
  return setting && parseWebhooks(setting.text, sites, setting.source);
}
