/**
 * Every report over HTTP, as the dashboard asks for it: request, answer, transfer and JSON parsing are
 * all in the figure. 2 warm-up requests, then BENCH_REPORT_RUNS (20) timed ones; p50 and p95.
 */
import { TOKEN } from './spawn';

export interface ReportRequest {
  report: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const year = 'start=2025-01-01&end=2025-12-31';

/** The reports over a year of the benchmark's data (2025), and session-duration over shorter ranges too. */
export const REPORTS: ReportRequest[] = [
  { report: 'session-duration, year', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-01-01', end_date: '2025-12-31' } },
  { report: 'session-duration, 45 days across months', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-06-10', end_date: '2025-07-24' } },
  { report: 'session-duration, month', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-06-01', end_date: '2025-06-30' } },
  { report: 'session-duration, week', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-06-02', end_date: '2025-06-08' } },
  // What the dashboard asks for: one page of the table, ordered on the server (the whole answer stays available above, and as CSV).
  { report: 'session-duration, year, page of 50 by average duration', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-01-01', end_date: '2025-12-31', limit: 50 } },
  { report: 'session-duration, year, page of 50 by sessions, offset 10,000', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-01-01', end_date: '2025-12-31', limit: 50, offset: 10_000, order: { by: 'sessions' } } },
  { report: 'session-duration, Feb 10 to Nov 20, search "user-1", page of 50', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-02-10', end_date: '2025-11-20', search: 'user-1', limit: 50 } },
  { report: 'session-duration, month, page of 50 by user id', method: 'POST', path: '/api/session-duration', body: { start_date: '2025-06-01', end_date: '2025-06-30', limit: 50, order: { by: 'user_id' } } },
  { report: 'summary, year', method: 'GET', path: `/api/reports/summary?${year}` },
  { report: 'summary, year, one site', method: 'GET', path: `/api/reports/summary?${year}&site=bench` },
  { report: 'summary, 45 days across months', method: 'GET', path: '/api/reports/summary?start=2025-06-10&end=2025-07-24' },
  { report: 'daily, year', method: 'GET', path: `/api/reports/daily?${year}` },
  { report: 'durations, year', method: 'GET', path: `/api/reports/durations?${year}` },
  { report: 'breaks, year', method: 'GET', path: `/api/reports/breaks?${year}` },
  { report: 'bands, year', method: 'GET', path: `/api/reports/bands?${year}` },
  { report: 'pages, year', method: 'GET', path: `/api/reports/pages?${year}` },
  { report: 'inactive-users, 30 days', method: 'GET', path: '/api/reports/inactive-users?days=30' },
];

const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 20);

export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function once(url: string, r: ReportRequest): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}${r.path}`, {
    method: r.method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(r.body ? { 'content-type': 'application/json' } : {}) },
    body: r.body ? JSON.stringify(r.body) : undefined,
  });
  const text = await res.text();
  JSON.parse(text);
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${r.report} answered ${res.status}: ${text.slice(0, 200)}`);
  return { ms, bytes: text.length };
}

export async function timeReports(store: string, url: string) {
  const rows = [];
  for (const r of REPORTS) {
    const ms: number[] = [];
    let bytes = 0;
    try {
      for (let i = 0; i < 2; i++) await once(url, r);
      for (let i = 0; i < RUNS; i++) {
        const x = await once(url, r);
        ms.push(x.ms);
        bytes = x.bytes;
      }
    } catch (e) {
      // A report that fails (a store's timeout at this size, say) is a finding of the run, not its end.
      rows.push({ store, report: r.report, 'answer kB': '', 'p50 ms': '', 'p95 ms': '', error: String((e as Error).message).slice(0, 160) });
      continue;
    }
    ms.sort((a, b) => a - b);
    rows.push({ store, report: r.report, 'answer kB': Math.round(bytes / 100) / 10, 'p50 ms': Math.round(percentile(ms, 50)), 'p95 ms': Math.round(percentile(ms, 95)) });
  }
  return rows;
}
