/**
 * OTLP in Chromium: the built dist/adapters/otlp.min.js (with metrics) sending to a real local
 * OTLP/HTTP receiver that answers the first request to each of /v1/metrics and /v1/logs 503 with
 * Retry-After, then 200. Through the
 * session of scenario.ts (a hide, a reload, a second tab, its end) the receiver must accept one log
 * record for the session, equal to what @opentelemetry/otlp-transformer writes for it, and a
 * cumulative metric whose points are the session's page times: nothing lost, nothing doubled.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '../fixtures';
import { referenceLogs, referenceMetrics } from './otlp-reference';
import { runSession, flushBoth } from './scenario';

interface Received {
  path: string;
  status: number;
  body: any;
}

/** An OTLP/HTTP JSON receiver: 503 (Retry-After: 1) to the first POST of each path, 200 to the rest; CORS for the page. */
async function otlpReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
    if (req.method == 'OPTIONS') return void res.writeHead(204, cors).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = received.some((r) => r.path == req.url) ? 200 : 503;
      received.push({ path: req.url!, status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(status, { ...cors, 'content-type': 'application/json', ...(status == 503 && { 'retry-after': '1' }) }).end(status == 200 ? '{}' : '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((ok) => server.close(ok)) };
}

test('OTLP: one log record per session and its page times as a cumulative sum, through a 503 and its retry', async ({ context, server }) => {
  test.setTimeout(90_000);
  const otlp = await otlpReceiver();
  try {
    const page = `${server.url}/test/e2e/pages/adapters/vendor.html?vendor=otlp&metrics=true&otlp=${encodeURIComponent(otlp.url)}`;
    const { a, b, final } = await runSession(context, server, page);
    const accepted = (path: string) => otlp.received.filter((r) => r.status == 200 && r.path == path);
    await expect.poll(() => accepted('/v1/logs').length, { timeout: 30_000 }).toBeGreaterThan(0);
    await flushBoth(a, b);
    await a.waitForTimeout(3_000);

    // Metrics go first: 503; the retry: metrics 200, logs 503; the next: metrics again (a cumulative
    // point twice says the same), logs 200.
    expect(otlp.received.slice(0, 4).map((r) => [r.path, r.status])).toEqual([
      ['/v1/metrics', 503],
      ['/v1/metrics', 200],
      ['/v1/logs', 503],
      ['/v1/metrics', 200],
    ]);
    const logs = accepted('/v1/logs');
    expect(logs).toHaveLength(1);
    const observed = Number(BigInt(logs[0]!.body.resourceLogs[0].scopeLogs[0].logRecords[0].observedTimeUnixNano) / 1_000_000n);
    expect(logs[0]!.body).toEqual(referenceLogs([final], observed));

    // Every copy of the metric says the same totals; the last is checked.
    const metrics = accepted('/v1/metrics');
    expect(metrics.length).toBeGreaterThan(0);
    const last = metrics.at(-1)!.body;
    const sum = last.resourceMetrics[0].scopeMetrics[0].metrics[0].sum;
    const ns = (s: string) => Number(BigInt(s) / 1_000_000n);
    const totals = Object.fromEntries(final.pages.map((p) => [p.path, p.engagedMs]));
    expect(last).toEqual(referenceMetrics(totals, ns(sum.dataPoints[0].startTimeUnixNano), ns(sum.dataPoints[0].timeUnixNano), final.anonymousId));
    expect(JSON.stringify(last)).not.toContain('session.id');
    const points = (m: Received) => m.body.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints.map((p: any) => [p.attributes[0].value.stringValue, p.asInt]);
    for (const m of metrics) expect(points(m)).toEqual(Object.entries(totals));
  } finally {
    await otlp.close();
  }
});
