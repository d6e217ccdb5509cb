/**
 * The ingest load of the benchmark: POST /collect with one SDK session snapshot of three pages per
 * request (what a tab sends on every flush and hide, and the shape issue 14 measured), through
 * autocannon. Snapshots reuse 20,000 session ids with a growing seq, so most requests replace a stored
 * row (as cumulative snapshots do) rather than insert one.
 */
import autocannon from 'autocannon';

export const SESSION_IDS = 20_000;

/** The k-th request's body: one snapshot of session `k mod 20,000` with seq k. */
export function sdkSnapshot(k: number): string {
  const id = k % SESSION_IDS;
  const t = Date.UTC(2026, 2, 1) + (id % 86_400) * 1000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const d = 60_000 + (k % 600) * 1000;
  const e = Math.floor(d * 0.7);
  return JSON.stringify([{
    v: 1, type: 'session', siteId: 'bench', id: `sess-${id}`, seq: k, userId: id % 3 === 0 ? null : `user-${id % 5000}`, anonymousId: `anon-${id}`,
    startedAt: iso(t), lastActiveAt: iso(t + d), durationMs: d, engagedMs: e,
    breaks: { count: 1, totalMs: d - e, longestMs: d - e, histogram: { '<30s': 0, '30s-2m': 1, '2m-10m': 0, '>=10m': 0 } },
    pages: ['/course/intro', '/course/lesson/:id', '/course/quiz'].map((path, i) => ({ path, views: 1 + i, engagedMs: Math.floor(e / 3), firstSeenAt: iso(t), lastSeenAt: iso(t + d), band: null })),
    band: e >= 300_000 ? 'engaged' : 'casual', sampleRate: 1, final: false, meta: { course: 'c-101', plan: 'free' },
  }]);
}

export interface IngestRow {
  target: string;
  connections: number;
  'requests/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'max ms': number;
  'non-2xx': number;
}

let k = 0;

/** `seconds` of load at `connections` after one answered request (the SQLite writer thread starts on the first) and a 2 s warm-up (JIT, pools, page cache). */
export async function loadIngest(target: string, url: string, connections: number, seconds: number): Promise<IngestRow> {
  const first = await fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sdkSnapshot(++k) });
  if (first.status >= 300) throw new Error(`${target}: the first ingest answered ${first.status}: ${await first.text()}`);
  const run = (duration: number) => autocannon({
    url,
    connections,
    duration,
    requests: [{ method: 'POST', path: '/collect', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: sdkSnapshot(++k) }) }],
  });
  await run(2);
  const r = await run(seconds);
  return {
    target,
    connections,
    'requests/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    'max ms': r.latency.max,
    'non-2xx': r.non2xx + r.errors + r.timeouts,
  };
}
