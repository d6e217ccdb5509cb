/**
 * Follows `GET /api/live` (Server-Sent Events) and hands every `active` snapshot to `onSnapshot`.
 * Read with `fetch` and a stream reader because `EventSource` cannot send the bearer token
 * (whatwg/html#2177). Reconnects after drops with exponential backoff and jitter, and treats a
 * stream that stays silent past three heartbeats (the collector sends one every 15 s) as dead: a
 * proxy or a sleeping laptop can leave a socket open that will never deliver again.
 * Returns the function that stops it.
 */
import { ReportError, reportUrl } from 'session-metrics/react';
import { createEventStreamParser } from './parseEventStream';

export interface LiveSession {
  session_id: string;
  site_id?: string;
  user_id: string | null;
  started_at: string;
  last_active_at: string;
  engaged_seconds: number;
  duration_seconds: number;
  page: string | null;
  meta?: Record<string, string>;
}

export interface LiveSnapshot {
  /** ISO 8601: when the collector took the snapshot. */
  at: string;
  sessions: LiveSession[];
}

export type LiveStatus = 'connecting' | 'open' | 'retrying' | 'stopped';

export interface WatchLiveOptions {
  token: string;
  /** Only this site's sessions, and only those whose meta has this value (the view's filters), when given. */
  site?: string | undefined;
  meta?: { key: string; value: string } | undefined;
  onSnapshot: (snapshot: LiveSnapshot) => void;
  onStatus?: (status: LiveStatus, detail?: string) => void;
  /** The collector refused the token: the stream stops, the caller asks for a new one. */
  onUnauthorized?: (error: ReportError) => void;
  /** @defaultValue `''` (same origin) */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** First retry delay; doubles up to `maxRetryMs`. @defaultValue 1000 */
  retryMs?: number;
  /** @defaultValue 30000 */
  maxRetryMs?: number;
  /** Silence after which the stream counts as dead. @defaultValue 45000 (three heartbeats) */
  silenceMs?: number;
  random?: () => number;
}

export function watchLive({
  token,
  site,
  meta,
  onSnapshot,
  onStatus,
  onUnauthorized,
  baseUrl = '',
  fetch: fetchImpl = globalThis.fetch,
  retryMs = 1000,
  maxRetryMs = 30_000,
  silenceMs = 45_000,
  random = Math.random,
}: WatchLiveOptions): () => void {
  let stopped = false;
  let attempt = 0;
  let controller: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  let reader: ReadableStreamDefaultReader<string> | undefined;
  const filters = new URLSearchParams([...(site === undefined ? [] : [['site', site]]), ...(meta ? [['meta_key', meta.key], ['meta_value', meta.value]] : [])]).toString();
  const url = reportUrl(baseUrl, `/api/live${filters ? `?${filters}` : ''}`);

  const armSilence = () => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => {
      controller?.abort();
      // Cancelling the reader too ends a pending read() at once, whatever the fetch does with the abort.
      void reader?.cancel().catch(() => {});
    }, silenceMs);
  };

  const retry = (detail: string) => {
    clearTimeout(silenceTimer);
    if (stopped) return;
    // Full jitter on the upper half: reconnecting dashboards do not arrive in lockstep.
    const delay = Math.min(maxRetryMs, retryMs * 2 ** attempt) * (0.5 + random() / 2);
    attempt += 1;
    onStatus?.('retrying', detail);
    retryTimer = setTimeout(connect, delay);
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    controller = new AbortController();
    onStatus?.('connecting');
    armSilence();
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch (error) {
      return retry(stopped ? '' : `Could not reach ${url}: ${(error as Error)?.message ?? error}`);
    }
    if (response.status === 401) {
      clearTimeout(silenceTimer);
      const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      stopped = true;
      onStatus?.('stopped', body?.error?.message ?? 'The collector refused the token.');
      onUnauthorized?.(new ReportError(body?.error?.code ?? 'SM_UNAUTHORIZED', body?.error?.message ?? 'The collector refused the token.', 401));
      return;
    }
    if (!response.ok || !response.body) {
      void response.body?.cancel().catch(() => {});
      return retry(`The live stream answered ${response.status}.`);
    }

    onStatus?.('open');
    attempt = 0;
    const parse = createEventStreamParser();
    reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armSilence();
        for (const event of parse(value)) {
          if (event.event !== 'active') continue;
          try {
            const snapshot = JSON.parse(event.data) as LiveSnapshot;
            if (Array.isArray(snapshot.sessions)) onSnapshot(snapshot);
          } catch {
            // One malformed event must not end the stream; the next snapshot replaces it anyway.
          }
        }
      }
      retry('The live stream ended.');
    } catch {
      retry(stopped ? '' : 'The live stream was interrupted.');
    }
  }

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(silenceTimer);
    controller?.abort();
    void reader?.cancel().catch(() => {});
    onStatus?.('stopped');
  };
}
