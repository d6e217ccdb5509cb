// The trackers under comparison, and how to read each one's figures from what it sends
// (`requests`: what the local receiver got for one run) or exposes in the page (`inPage`:
// what `window.bench` returned in each tab at the end). Where a tracker has no such figure,
// the reader is null and the tables say N/A.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const version = (pkg) => JSON.parse(readFileSync(here(`../../node_modules/${pkg}/package.json`), 'utf8')).version;

/** The same idle timeout for everyone, in seconds (our `bufferTimeBeforeEnd` default). */
export const IDLE_SECONDS = 60;

/** Every event a request carries, whatever envelope the tracker uses. */
function events(requests, pathTest) {
  const out = [];
  for (const r of requests) {
    if (!pathTest(r.path) || r.body == null || typeof r.body !== 'object') continue;
    const body = r.body;
    const list = Array.isArray(body) ? body : Array.isArray(body.data) ? body.data : Array.isArray(body.batch) ? body.batch : [body];
    out.push(...list);
  }
  return out;
}

/** Our session records: the highest seq per session id (what the collector keeps). */
function latestSessions(requests) {
  const byId = new Map();
  for (const r of events(requests, (p) => p === '/collect')) {
    if (r?.type !== 'session') continue;
    const prev = byId.get(r.id);
    if (!prev || r.seq > prev.seq) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Snowplow page pings, once per event id (a retried request must not count twice). */
function pagePings(requests) {
  const ids = new Set();
  for (const e of events(requests, (p) => p.endsWith('/tp2'))) if (e?.e === 'pp') ids.add(e.eid);
  return ids.size;
}

/** posthog events named `name`, once per uuid. */
function posthogEvents(requests, name) {
  const byUuid = new Map();
  for (const e of events(requests, (p) => /^\/(e|i\/v0\/e|batch|capture)\/?$/.test(p))) {
    if (e?.event === name) byUuid.set(e.uuid ?? byUuid.size, e);
  }
  return [...byUuid.values()];
}

const rootVersion = JSON.parse(readFileSync(here('../../package.json'), 'utf8')).version;

export const trackers = [
  {
    id: 'none',
    name: 'no tracker (floor)',
    entry: null,
  },
  {
    id: 'session-metrics',
    name: 'session-metrics',
    version: rootVersion,
    entry: here('./entries/session-metrics.js'),
    metric: 'engaged time (`engagedMs` of the last record of each session)',
    deliveredWhat: 'the session record with the engaged time the tab knew when hidden',
    engagedMs: ({ requests }) => latestSessions(requests).reduce((sum, s) => sum + s.engagedMs, 0),
    /** Delivered when the engaged time the tab knew at hide time arrived. */
    delivered: ({ requests, inPage }) => inPage[0] > 0 && latestSessions(requests).some((s) => s.engagedMs >= inPage[0]),
  },
  {
    id: 'timeme',
    name: 'TimeMe.js',
    version: version('timeme.js'),
    entry: here('./entries/timeme.js'),
    metric: '`getTimeOnCurrentPageInMilliseconds()`, summed over tabs (it sends nothing by itself)',
    deliveredWhat: 'none: it sends nothing by itself',
    engagedMs: ({ inPage }) => inPage.reduce((sum, ms) => sum + ms, 0),
    delivered: null,
  },
  {
    id: 'snowplow',
    name: 'Snowplow',
    version: version('@snowplow/browser-tracker'),
    entry: here('./entries/snowplow.js'),
    metric: `page pings × heartbeat (${IDLE_SECONDS} s)`,
    deliveredWhat: 'every page ping it made',
    engagedMs: ({ requests }) => pagePings(requests) * IDLE_SECONDS * 1000,
    /** Delivered when every page ping the tracker made arrived. */
    delivered: ({ requests, inPage }) => inPage[0] > 0 && pagePings(requests) >= inPage[0],
  },
  {
    id: 'plausible',
    name: 'plausible-tracker',
    version: version('plausible-tracker'),
    entry: here('./entries/plausible.js'),
    metric: 'none: page views only',
    deliveredWhat: 'the page view (it has no time figure)',
    engagedMs: null,
    /** It has no final numbers; the page view is all it sends. */
    delivered: ({ requests }) => events(requests, (p) => p === '/api/event').some((e) => e?.n === 'pageview'),
  },
  {
    id: 'posthog',
    name: 'posthog-js',
    version: version('posthog-js'),
    entry: here('./entries/posthog.js'),
    metric: '`$prev_pageview_duration` of `$pageleave` (time on page, no idle detection)',
    deliveredWhat: '`$pageleave` with `$prev_pageview_duration`',
    engagedMs: ({ requests }) => posthogEvents(requests, '$pageleave').reduce((sum, e) => sum + (e.properties?.$prev_pageview_duration ?? 0) * 1000, 0),
    /** Delivered when the `$pageleave` (its only time figure) arrived. */
    delivered: ({ requests }) => posthogEvents(requests, '$pageleave').length > 0,
  },
];

/** What each entry puts on `window.bench`, read in every tab at the end of a run. */
export const readInPage = () => {
  const b = window.bench ?? {};
  if (b.engagedMs) return b.engagedMs();
  if (b.pings) return b.pings();
  return null;
};
