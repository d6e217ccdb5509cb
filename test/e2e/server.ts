/**
 * The real HTTP side of the browser tests: serves the repository's files (dist/, examples/,
 * test/e2e/pages/) and receives records at POST /collect the way a collector would, keeping the
 * record with the highest `seq` per (siteId, session id). Its failure modes are switchable so that
 * delivery tests can take the receiver down, answer errors, or fail every second request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlertRecord, SessionRecord, WireRecord } from '../../src/core/records';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SERVED = ['dist/', 'examples/', 'test/e2e/pages/'];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** How the receiver answers POST /collect. */
export type ReceiverMode =
  | { kind: 'ok' }
  /** Connection refused-like: the socket is destroyed without a response. */
  | { kind: 'down' }
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Every second request (2nd, 4th, ...) answers 500. */
  | { kind: 'fail-every-second' };

export interface ReceivedRequest {
  at: number;
  contentType: string | undefined;
  /** `ping` for sendBeacon, as the Sec-Fetch-Dest header says; `empty` for fetch. */
  dest: string | undefined;
  status: number;
  records: WireRecord[];
}

export interface TestServer {
  url: string;
  mode: ReceiverMode;
  /** Every request to /collect, accepted or not, in arrival order. */
  requests: ReceivedRequest[];
  /** Accepted session records: per `${siteId}/${id}` the one with the highest seq. */
  sessions: Map<string, SessionRecord>;
  /** Accepted alerts, once per (siteId, sessionId, threshold, direction). */
  alerts: Map<string, AlertRecord>;
  /** Resolves once `predicate` holds, checking after each accepted request; rejects after `timeoutMs`. */
  waitFor(predicate: (server: TestServer) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  let postCount = 0;
  const waiters = new Set<() => void>();
  const state: Omit<TestServer, 'url' | 'close' | 'waitFor'> = {
    mode: { kind: 'ok' },
    requests: [],
    sessions: new Map(),
    alerts: new Map(),
  };

  const accept = (records: WireRecord[]) => {
    for (const r of records) {
      if (r.type === 'session') {
        const key = `${r.siteId}/${r.id}`;
        const prev = state.sessions.get(key);
        if (!prev || r.seq > prev.seq) state.sessions.set(key, r);
      } else if (r.type === 'alert') {
        state.alerts.set(`${r.siteId}/${r.sessionId}/${r.threshold}/${r.direction}`, r);
      }
    }
  };

  const collect = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const mode = state.mode;
    postCount++;
    if (mode.kind === 'down') {
      req.socket.destroy();
      return;
    }
    let status = 204;
    if (mode.kind === 'status') status = mode.status;
    if (mode.kind === 'fail-every-second' && postCount % 2 === 0) status = 500;
    let records: WireRecord[] = [];
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!Array.isArray(parsed)) throw new Error('body is not an array');
      records = parsed;
    } catch {
      status = 400;
    }
    state.requests.push({
      at: Date.now(),
      contentType: req.headers['content-type'],
      dest: req.headers['sec-fetch-dest'] as string | undefined,
      status,
      records,
    });
    if (status >= 200 && status < 300) accept(records);
    const headers: Record<string, string> = { 'access-control-allow-origin': '*' };
    if (mode.kind === 'status' && mode.retryAfter) headers['retry-after'] = mode.retryAfter;
    res.writeHead(status, headers).end();
    for (const w of [...waiters]) w();
  };

  const serveFile = async (pathname: string, res: ServerResponse) => {
    const rel = normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
    if (!SERVED.some((p) => rel.startsWith(p))) return res.writeHead(404).end();
    let file = join(ROOT, rel);
    if (file.endsWith('/')) file = join(file, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      });
      return res.end();
    }
    if (url.pathname === '/collect' && req.method === 'POST') return void collect(req, res);
    if (req.method === 'GET') return void serveFile(url.pathname, res);
    res.writeHead(405).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };

  const self: TestServer = Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    waitFor(predicate: (s: TestServer) => boolean, timeoutMs = 15_000) {
      return new Promise<void>((resolvePromise, reject) => {
        if (predicate(self)) return resolvePromise();
        const check = () => {
          if (!predicate(self)) return;
          cleanup();
          resolvePromise();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${self.requests.length} requests)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return self;
}
