/**
 * The open /api/live streams: how many each token holds, and each stream's backpressure. A snapshot is
 * the whole state, so a client that reads slowly loses nothing by skipping one: while its socket has not
 * drained, only the newest snapshot is kept (not queued), and it is written on 'drain'. So a stream holds
 * at most Node's high-water mark and one snapshot. A snapshot that comes while a stream is still undrained
 * drops the stream when its unsent bytes pass `maxUnsentBytes` or it has not drained for `maxStallMs`. Without this, three clients that never read grew the collector by 500 MiB in 30 s
 * (issue 10, point 5): every snapshot piled up in Node's buffer of their sockets.
 */
import type { ServerResponse } from 'node:http';

export interface LiveStreamBounds {
  /** Open streams per token (by its name in SM_TOKENS, or the one admin token). @defaultValue 10 */
  maxPerToken?: number;
  /**
   * Bytes written to a stream and not yet taken by its client, beyond which it is dropped (checked when the
   * next snapshot comes). Above the largest snapshot (500 sessions of at most about 3 KB). @defaultValue 4 MiB
   */
  maxUnsentBytes?: number;
  /** How long a stream may stay undrained (its client reads nothing) before it is dropped. @defaultValue 60 s */
  maxStallMs?: number;
}

export interface LiveStream {
  /** Writes `message`, or keeps it as the newest while the client has not read what it was sent. */
  send(message: string): void;
}

export function createLiveStreams({ maxPerToken = 10, maxUnsentBytes = 4 << 20, maxStallMs = 60_000 }: LiveStreamBounds = {}, now = Date.now) {
  const open = new Map<ServerResponse, string>();
  let dropped = 0;

  const perToken = (token: string) => {
    let n = 0;
    for (const t of open.values()) if (t === token) n++;
    return n;
  };

  function drop(res: ServerResponse) {
    dropped++;
    open.delete(res);
    res.destroy();
  }

  let ended = false;
  return {
    maxPerToken,
    /** Whether `token` may open one more stream. */
    allows: (token: string) => perToken(token) < maxPerToken,
    /** Registers an opened response; the caller has written its headers. */
    add(res: ServerResponse, token: string): LiveStream {
      // After endAll (shutting down), a client that reconnected before the server stopped listening gets
      // a stream that ends at once: one left open would hold the close up for good.
      if (ended) {
        res.end();
        return { send() {} };
      }
      open.set(res, token);
      let newest: string | undefined;
      let stalledSince: number | undefined;
      res.on('close', () => open.delete(res));
      res.on('drain', () => {
        stalledSince = undefined;
        const message = newest;
        newest = undefined;
        if (message !== undefined) send(message);
      });
      function send(message: string) {
        if (!open.has(res)) return;
        if (!res.writableNeedDrain) {
          res.write(message);
          if (res.writableNeedDrain) stalledSince ??= now();
          return;
        }
        if (res.writableLength > maxUnsentBytes || now() - stalledSince! > maxStallMs) return drop(res);
        newest = message;
      }
      return { send };
    },
    get size() {
      return open.size;
    },
    /** Bytes written to every stream and not yet taken by its client (Node's buffer and the socket's). */
    unsentBytes() {
      let n = 0;
      for (const res of open.keys()) n += res.writableLength;
      return n;
    },
    /** Streams disconnected for reading too slowly, since start. */
    get dropped() {
      return dropped;
    },
    /** Ends every stream (shutdown: an event stream never finishes by itself). */
    endAll() {
      ended = true;
      for (const res of open.keys()) res.end();
      open.clear();
    },
  };
}

export type LiveStreams = ReturnType<typeof createLiveStreams>;
