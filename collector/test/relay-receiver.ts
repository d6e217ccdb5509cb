/**
 * A local vendor endpoint for the relay tests: keeps every request (URL with its query, headers, body
 * parsed) and answers each as `behave` says, by its number from 1 (a status, a Retry-After).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorRequest {
  url: URL;
  headers: IncomingHttpHeaders;
  /** Bytes of the body as sent. */
  bytes: number;
  body: any;
  answered: number;
}

export type VendorBehave = (n: number) => { status?: number; retryAfter?: string };

export async function startVendor(path: string, behave: VendorBehave = () => ({})) {
  const requests: VendorRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const b = behave(requests.length + 1);
      const answered = b.status ?? 200;
      requests.push({ url: new URL(req.url!, 'http://vendor.test'), headers: req.headers, bytes: raw.length, body: JSON.parse(raw.toString('utf8')), answered });
      if (b.retryAfter) res.setHeader('retry-after', b.retryAfter);
      res.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    /** The requests answered 2xx. */
    accepted: () => requests.filter((r) => r.answered < 300),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type Vendor = Awaited<ReturnType<typeof startVendor>>;
