/**
 * A generated data set for the dashboard's browser tests, screenshots and benchmark: two sites (`learn`,
 * the course, and `demo`, the demo page's own records), 60 days ending today, 40 identified learners and 60
 * anonymous visitors (32-hex ids, as the SDK makes them), a course of lessons with drop-off, a `plan`
 * dimension, alerts, and a few sessions active right now. Deterministic for a given day: the tests compare
 * the page with the API's answers over it, never with numbers of their own.
 */
import type { AlertRecord, SessionRecord, WireRecord } from '../../../src/core/records';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface Generated {
  sessions: SessionRecord[];
  alerts: AlertRecord[];
  /** The first and last day (UTC) that hold sessions. */
  start: string;
  end: string;
}

export function generate({ now = Date.now(), days = 60, learners = 40, visitors = 60, seed = 17 } = {}): Generated {
  let x = seed;
  const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647);
  const today = Math.floor(now / DAY) * DAY;
  const first = today - (days - 1) * DAY;
  const sessions: SessionRecord[] = [];
  const alerts: AlertRecord[] = [];
  const hex = (n: number) => Array.from({ length: 32 }, (_, i) => ((n * 2654435761 + i * 40503) >>> (i % 8)) % 16).map((d) => d.toString(16)).join('');
  let id = 0;
  const add = (siteId: string, userId: string | null, anonymousId: string, start: number, plan: string | null, lessonsFrom: number, lessonsTo: number, active = false) => {
    id++;
    const paths = [];
    for (let l = lessonsFrom; l <= lessonsTo; l++) paths.push(`/lessons/${l}`);
    if (rand() < 0.3) paths.unshift('/');
    const perPage = paths.map(() => Math.round(20_000 + rand() * 400_000));
    const engagedMs = perPage.reduce((a, b) => a + b, 0);
    const gaps = paths.map(() => Math.round(rand() * 90_000));
    const durationMs = engagedMs + gaps.reduce((a, b) => a + b, 0);
    const end = active ? now - 30_000 : start + durationMs;
    const begin = active ? end - durationMs : start;
    let t = begin;
    const pages = paths.map((path, i) => {
      const firstSeen = t;
      t += perPage[i]! + gaps[i]!;
      return { path, views: 1, engagedMs: perPage[i]!, firstSeenAt: iso(firstSeen), lastSeenAt: iso(Math.min(t, end)), band: perPage[i]! >= 300_000 ? 'engaged' : perPage[i]! >= 30_000 ? 'casual' : null };
    });
    const hist = { '<30s': 0, '30s-2m': 0, '2m-10m': 0, '>=10m': 0 };
    for (const g of gaps) hist[g < 30_000 ? '<30s' : g < 120_000 ? '30s-2m' : g < 600_000 ? '2m-10m' : '>=10m']++;
    const band = engagedMs >= 300_000 ? 'engaged' : engagedMs >= 30_000 ? 'casual' : null;
    const sessionId = `g${String(id).padStart(5, '0')}`;
    sessions.push({
      v: 1, type: 'session', siteId, id: sessionId, seq: 4, userId, anonymousId, startedAt: iso(begin), lastActiveAt: iso(end), durationMs, engagedMs,
      breaks: { count: gaps.length, totalMs: durationMs - engagedMs, longestMs: Math.max(...gaps), histogram: hist },
      pages, band, sampleRate: 1, final: !active, ...(plan ? { meta: { plan, course: 'algebra' } } : {}),
    });
    if (engagedMs >= 30_000) alerts.push({ v: 1, type: 'alert', siteId, sessionId, threshold: 'casual', direction: 'above', at: iso(begin + 30_000), engagedMs: 30_000 });
    if (engagedMs >= 300_000) alerts.push({ v: 1, type: 'alert', siteId, sessionId, threshold: 'engaged', direction: 'above', at: iso(begin + 300_000), engagedMs: 300_000 });
    else if (!active) alerts.push({ v: 1, type: 'alert', siteId, sessionId, threshold: 'engaged', direction: 'below', at: iso(end), engagedMs });
  };
  for (let u = 0; u < learners; u++) {
    const userId = `learner-${String(u + 1).padStart(2, '0')}`;
    const plan = ['free', 'pro', 'team'][u % 3]!;
    // Each learner starts some day and comes back a few times, going further through the course, or stops.
    let day = Math.floor(rand() * days);
    let lesson = 1;
    for (let visit = 0; visit < 8 && day < days && lesson <= 12; visit++) {
      const start = first + day * DAY + Math.floor((8 + rand() * 12) * 3_600_000);
      if (start > now - 3_600_000) break;
      const reach = lesson + Math.floor(rand() * 3);
      add('learn', userId, hex(u + 1000), start, plan, lesson, Math.min(12, reach));
      lesson = reach + 1;
      if (rand() < 0.25) break;
      day += 1 + Math.floor(rand() * 9);
    }
  }
  for (let v = 0; v < visitors; v++) {
    const day = Math.floor(rand() * days);
    const start = first + day * DAY + Math.floor(rand() * 20 * 3_600_000);
    if (start > now - 3_600_000) continue;
    add(v % 4 === 0 ? 'demo' : 'learn', null, hex(v + 1), start, null, 1, 1 + Math.floor(rand() * 2));
  }
  // Active right now: two learners and one anonymous visitor on the course.
  add('learn', 'learner-01', hex(1000), now, 'free', 3, 4, true);
  add('learn', 'learner-02', hex(1001), now, 'pro', 1, 1, true);
  add('learn', null, hex(77), now, null, 1, 2, true);
  return { sessions, alerts, start: iso(first).slice(0, 10), end: iso(today).slice(0, 10) };
}

/** Batches that stay under the collector's 64 KiB body limit. */
export function batches(records: WireRecord[], maxBytes = 48_000): WireRecord[][] {
  const out: WireRecord[][] = [];
  let current: WireRecord[] = [];
  let size = 2;
  for (const r of records) {
    const bytes = JSON.stringify(r).length + 1;
    if (current.length && size + bytes > maxBytes) {
      out.push(current);
      current = [];
      size = 2;
    }
    current.push(r);
    size += bytes;
  }
  if (current.length) out.push(current);
  return out;
}
