/**
 * SM_RELAYS: server-side relays of each site's sessions to analytics backends whose keys must not reach
 * the browser. JSON, or a path to a JSON file (like SM_WEBHOOKS), of siteId -> relays:
 *
 *   { "shop": [{ "name": "ga4", "vendor": "ga4", "measurementId": "G-ABC123", "apiSecret": "..." }] }
 *
 * Every mistake stops the start with a message naming the site and relay (docs/relays.md). The result is
 * plain data: it crosses to the SQLite writer thread as it is. Secrets stay here, never in the outbox:
 * the dispatcher adds them to each request (relays/request.ts).
 */
import type { Forward } from '../../../src/adapters/ledger';
import type { Sites } from '../sites';
import { httpUrl, parseSiteLists, positive, readJsonSetting } from '../webhooks/config';
import { checkGa4Names } from './ga4-names';

export const VENDORS = ['ga4', 'segment', 'posthog', 'otlp'] as const;
export type Vendor = (typeof VENDORS)[number];

export interface Relay {
  /** `site/name`: unique among relays and webhooks, stored with every event. */
  key: string;
  site: string;
  name: string;
  vendor: Vendor;
  url: string;
  /** GA4 `api_secret`, Segment write key, PostHog project API key; '' for OTLP (its headers carry any). */
  secret: string;
  /** GA4 `measurement_id`. */
  measurementId?: string;
  /** Extra request headers (OTLP: a backend's authorization). */
  headers: Record<string, string>;
  /** OTLP `service.name`. @defaultValue 'session-metrics' */
  serviceName: string;
  /** As the browser adapters: `deltas` for GA4 (it sums), `final` for the others. */
  forward: Forward;
  pages: boolean;
  prefix: string;
  sessionEvent: string;
  pageEvent: string;
  /** @defaultValue 10000 */
  timeoutMs: number;
  /** @defaultValue 3 days */
  deadAfterMs: number;
}

export type Relays = readonly Relay[];

/** Each vendor's default URL, its secret field, and the fields it alone takes. */
const VENDOR: Record<Vendor, { url?: string; secret?: string; own: string[] }> = {
  ga4: { url: 'https://www.google-analytics.com/mp/collect', secret: 'apiSecret', own: ['measurementId'] },
  segment: { url: 'https://api.segment.io/v1/batch', secret: 'writeKey', own: [] },
  posthog: { url: 'https://us.i.posthog.com/batch/', secret: 'apiKey', own: [] },
  otlp: { own: ['headers', 'serviceName'] },
};
const COMMON = ['name', 'vendor', 'url', 'forward', 'pages', 'prefix', 'sessionEvent', 'pageEvent', 'timeoutSeconds', 'deadAfterHours'];

function text(e: Record<string, unknown>, k: string, fallback: string, where: string): string {
  const v = e[k] ?? fallback;
  if (typeof v !== 'string' || v.length === 0 || v.length > 100) throw new Error(`${where} "${k}" must be a string of 1 to 100 characters, got ${JSON.stringify(v)}`);
  return v;
}

function headersOf(v: unknown, where: string): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.entries(v).every(([k, x]) => /^[!#$%&'*+.^_`|~\w-]+$/.test(k) && typeof x === 'string')) {
    throw new Error(`${where} "headers" must be an object of header names to strings`);
  }
  return Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, x]) => [k.toLowerCase(), x]));
}

function parseRelay(site: string, raw: unknown, index: number, source: string): Relay {
  let where = `${source}: site '${site}' relay ${index}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} must be an object with "name" and "vendor"`);
  const e = raw as Record<string, unknown>;
  if (typeof e.name !== 'string' || !/^[\w.-]{1,64}$/.test(e.name)) throw new Error(`${where} needs "name": 1 to 64 letters, digits, '.', '_' or '-'`);
  where = `${source}: relay '${site}/${e.name}'`;
  if (!(VENDORS as readonly unknown[]).includes(e.vendor)) throw new Error(`${where} has an unknown "vendor" ${JSON.stringify(e.vendor)} (known: ${VENDORS.join(', ')})`);
  const vendor = e.vendor as Vendor;
  const spec = VENDOR[vendor];
  const known = [...COMMON, ...spec.own, ...(spec.secret ? [spec.secret] : [])];
  for (const k of Object.keys(e)) if (!known.includes(k)) throw new Error(`${where} has an unknown field "${k}" for ${vendor} (known: ${known.join(', ')})`);
  if (e.url === undefined && !spec.url) throw new Error(`${where} needs "url": the OTLP/HTTP logs endpoint, e.g. http://otel-collector:4318/v1/logs`);
  const url = httpUrl(e.url ?? spec.url, where);
  let secret = '';
  if (spec.secret) {
    const s = e[spec.secret];
    if (s === undefined || s === '') throw new Error(`${where} is missing "${spec.secret}"`);
    if (typeof s !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(s)) throw new Error(`${where} "${spec.secret}" must be 1 to 200 printable characters without spaces`);
    secret = s;
  }
  if (vendor === 'ga4' && (typeof e.measurementId !== 'string' || !/^G-[A-Z0-9]{4,20}$/.test(e.measurementId))) {
    throw new Error(`${where} needs "measurementId": the web stream's measurement ID, "G-" and letters or digits, got ${JSON.stringify(e.measurementId)}`);
  }
  if (e.forward !== undefined && e.forward !== 'final' && e.forward !== 'deltas') throw new Error(`${where} "forward" must be "final" or "deltas", got ${JSON.stringify(e.forward)}`);
  if (e.pages !== undefined && typeof e.pages !== 'boolean') throw new Error(`${where} "pages" must be true or false`);
  const relay: Relay = {
    key: `${site}/${e.name}`,
    site,
    name: e.name,
    vendor,
    url: url.href,
    secret,
    ...(vendor === 'ga4' && { measurementId: e.measurementId as string }),
    headers: headersOf(e.headers, where),
    serviceName: text(e, 'serviceName', 'session-metrics', where),
    forward: (e.forward as Forward | undefined) ?? (vendor === 'ga4' ? 'deltas' : 'final'),
    pages: e.pages === true,
    prefix: typeof e.prefix === 'string' ? e.prefix : 'sm_',
    sessionEvent: text(e, 'sessionEvent', 'sm_session', where),
    pageEvent: text(e, 'pageEvent', 'sm_page', where),
    timeoutMs: Math.round(positive(e.timeoutSeconds, 10, `${where} "timeoutSeconds"`, 120) * 1000),
    deadAfterMs: Math.round(positive(e.deadAfterHours, 72, `${where} "deadAfterHours"`, 24 * 365) * 3_600_000),
  };
  if (typeof e.prefix !== 'undefined' && (typeof e.prefix !== 'string' || e.prefix.length > 20)) throw new Error(`${where} "prefix" must be a string of at most 20 characters`);
  if (vendor === 'ga4') checkGa4Names(relay, where);
  return relay;
}

/**
 * Parses SM_RELAYS text; `sites` (SM_SITES, when configured) are the only sites a relay may name, and
 * `taken` the webhook keys (a relay and a webhook share the outbox's endpoint column).
 */
export function parseRelays(text: string, sites: Sites | null, source = 'SM_RELAYS', taken: readonly string[] = []): Relays {
  return parseSiteLists(text, sites, source, ['relay', 'relays'], (site, raw, i) => {
    const relay = parseRelay(site, raw, i, source);
    if (taken.includes(relay.key)) throw new Error(`${source}: relay '${relay.key}' has the name of a webhook in SM_WEBHOOKS; name it apart`);
    return relay;
  });
}

/** SM_RELAYS as JSON text or as a file path; undefined or empty = no relays. */
export function loadRelays(value: string | undefined, sites: Sites | null, taken: readonly string[] = [], read?: (p: string) => string): Relays | null {
  const setting = readJsonSetting('SM_RELAYS', value, read);
  return setting && parseRelays(setting.text, sites, setting.source, taken);
}
