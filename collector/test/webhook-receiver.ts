/**
 * A local webhook receiver that fails on purpose: each request is answered as `behave` says (a status, a
 * delay, no answer at all, a Retry-After), and every request is kept with whether its Standard Webhooks
 * signature verifies (the `standardwebhooks` package, not our signing code). `down()` stops listening
 * (connections refused) and `up()` listens again on the same port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export const SECRET = `whsec_${Buffer.from('a test secret of 32 bytes, ok!!!').toString('base64')}`;

export interface Behaviour {
  status?: number;
  delayMs?: number;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
  retryAfter?: string;
}

export interface Received {
  id: string;
  timestamp: string;
  body: string;
  /** The answer it got (null: none yet, or never). */
  answered: number | null;
  verified: boolean;
  /** The verified body, parsed. */
  event: { type: string; timestamp: string; data: Record<string, unknown> } | null;
}

/** `attempt` counts this event id's requests, from 1. */
export type Behave = (attempt: number, id: string) => Behaviour;

export async function startReceiver(behave: Behave = () => ({}), secret = SECRET) {
  const received: Received[] = [];
  const perId = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const wh = new Webhook(secret);
  let current = behave;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      let event: Received['event'] = null;
      try {
        event = wh.verify(body, req.headers as Record<string, string>) as Received['event'];
      } catch {
        event = null;
      }
      const r: Received = { id, timestamp: String(req.headers['webhook-timestamp']), body, answered: null, verified: event !== null, event };
      received.push(r);
      const attempt = (perId.get(id) ?? 0) + 1;
      perId.set(id, attempt);
      const b = current(attempt, id);
      if (b.hang) return void hanging.add(res);
      setTimeout(() => {
        r.answered = b.status ?? 200;
        if (b.retryAfter) res.setHeader('retry-after', b.retryAfter);
        res.writeHead(r.answered).end('ok');
      }, b.delayMs ?? 0);
    });
  };

  let server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async () => {
    for (const res of hanging) res.destroy();
    hanging.clear();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };

  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    behave(b: Behave) {
      current = b;
    },
    /** Distinct event ids that arrived with a valid signature and were answered 2xx. */
    delivered(): Set<string> {
      return new Set(received.filter((r) => r.verified && r.answered !== null && r.answered < 300).map((r) => r.id));
    },
    down: close,
    async up() {
      server = createServer(handle);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close,
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
