// One local HTTP server (127.0.0.1 only) for every tracker: it serves the benchmark page and the
// bundles, and receives whatever each tracker sends. Each page gets its own run id, and every
// tracker is pointed at `<origin>/r/<run>` (our `endpoint`, Snowplow's collector URL, plausible's
// `apiHost`, posthog's `api_host`), so the server can group what arrives by run. Pages and receiver
// share one origin: no CORS, the same for everyone.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The page every tracker is measured on: a long article to scroll, optional video, one bundle. */
function page({ bundle, run, idleSeconds, video }) {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i + 1}. ${'Reading text for the benchmark. '.repeat(12)}</p>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script>
  window.BENCH = { base: location.origin + '/r/${run}', idleSeconds: ${idleSeconds} };
  // Counts what the storm really delivered; every page has it, so its cost cancels out.
  window.delivered = { pointermove: 0, mousemove: 0, wheel: 0, scroll: 0, keydown: 0 };
  for (const type of Object.keys(window.delivered))
    addEventListener(type, () => window.delivered[type]++, { passive: true, capture: true });
</script>
${bundle ? `<script src="/bundles/${bundle}.js"></script>` : ''}
<script>performance.mark('tracker-ready');</script>
</head><body>
${video ? `<video id="video" muted playsinline width="160" height="90"></video><button id="play" style="position:fixed;top:0;right:0">play</button>` : ''}
<main>${paragraphs.join('\n')}</main>
${video ? `<script>
  // A real, playing <video>: fed by a canvas stream, so no media file or codec is needed.
  const video = document.getElementById('video');
  const canvas = Object.assign(document.createElement('canvas'), { width: 16, height: 9 });
  canvas.getContext('2d').fillRect(0, 0, 16, 9);
  video.srcObject = canvas.captureStream(1);
  document.getElementById('play').addEventListener('click', () => video.play());
</script>` : ''}
</body></html>`;
}

/** Parses one request body the way each tracker encodes it: JSON, gzip'd JSON, or a form field. */
function parseBody(buffer) {
  if (buffer.length === 0) return null;
  let text = buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipSync(buffer).toString('utf8') : buffer.toString('utf8');
  if (text.startsWith('data=')) text = Buffer.from(decodeURIComponent(text.slice(5)), 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Starts the server. `bundleDir` holds `<id>.js` for each tracker.
 * Returns `{ origin, pageFor(tracker, opts), received(run), setDown(run, down), close() }`;
 * `received(run)` lists `{ method, path, body, dest }` of every request the run's trackers sent,
 * in arrival order.
 */
export async function startServer({ bundleDir }) {
  const runs = new Map();
  const down = new Set();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/');
    // A receiver that is down: the connection drops without an answer.
    if (parts[1] === 'r' && down.has(parts[2])) return void req.socket.destroy();
    if (parts[1] === 'r') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const run = parts[2];
      if (!runs.has(run)) runs.set(run, []);
      runs.get(run).push({
        method: req.method,
        path: '/' + parts.slice(3).join('/'),
        body: parseBody(Buffer.concat(chunks)),
        dest: req.headers['sec-fetch-dest'],
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
      return;
    }
    if (parts[1] === 'page') {
      const html = page({
        bundle: url.searchParams.get('tracker') || null,
        run: url.searchParams.get('run') ?? 'none',
        idleSeconds: Number(url.searchParams.get('idle') ?? 60),
        video: url.searchParams.has('video'),
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (parts[1] === 'bundles' && /^[\w.-]+\.js$/.test(parts[2] ?? '')) {
      try {
        const body = await readFile(join(bundleDir, parts[2]));
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  let nextRun = 0;
  return {
    origin,
    /** A fresh page URL for `tracker` (null: no tracker); returns `{ url, run }`. */
    pageFor(tracker, { idleSeconds = 60, video = false } = {}) {
      const run = `run${++nextRun}`;
      const q = new URLSearchParams({ run, idle: String(idleSeconds) });
      if (tracker) q.set('tracker', tracker);
      if (video) q.set('video', '1');
      return { url: `${origin}/page/?${q}`, run };
    },
    received: (run) => runs.get(run) ?? [],
    /** Takes the receiver of `run` down (every request dropped) or back up. */
    setDown: (run, isDown) => void (isDown ? down.add(run) : down.delete(run)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
