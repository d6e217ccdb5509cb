/**
 * Shutdown and the live streams, on a real HTTP server: once endAll has run (Fastify's preClose), a
 * client that reconnects before the server stops listening gets a stream that ends at once. Left open,
 * it held app.close() up until the test's teardown timed out (seen once in the dashboard's browser tests,
 * whose live panel reconnects 20-40 ms after losing its stream).
 */
import { createServer } from 'node:http';
import { expect, it } from 'vitest';
import { createLiveStreams } from '../src/live-streams';

it('a stream opened after endAll ends at once, and one opened before it is ended by it', async () => {
  const streams = createLiveStreams();
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': hello\n\n');
    streams.add(res, 'ops').send('event: active\ndata: {}\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const read = async () => (await fetch(url)).text();

  const before = read();
  await expect.poll(() => streams.size).toBe(1);
  streams.endAll();
  expect(await before).toBe(': hello\n\nevent: active\ndata: {}\n\n');

  // Reconnected during the shutdown: answered and ended, never held open.
  expect(await read()).toBe(': hello\n\n');
  expect(streams.size).toBe(0);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
