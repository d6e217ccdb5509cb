/**
 * Sends the outbox (migration 012) to the endpoints: claims due events under a lease, posts each one
 * signed (sign.ts), or as its relay's vendor request with the secret added (relays/request.ts), and records the attempt: delivered on a 2xx, else due again after a backoff or the
 * receiver's Retry-After (backoff.ts), or dead once it has failed for the endpoint's deadAfterHours.
 * At least once: an event is marked delivered only after its 2xx, so a process killed in between (or a
 * receiver that answers after the timeout) leads to a second delivery with the same webhook-id; the
 * lease (longer than any attempt's timeout) keeps every other process off it meanwhile.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ClaimedEvent, Outbox } from '../store/outbox';
import { backoffMs, retryAfterMs, type BackoffOptions } from './backoff';
import type { Webhooks } from './config';
import type { Relays } from '../relays/config';
import { relayTarget } from '../relays/request';
import { webhookTarget, type Target } from './target';

export interface DispatcherLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DispatcherOptions {
  outbox: Outbox;
  webhooks: Webhooks;
  /** Relays (SM_RELAYS), sent from the same outbox. @defaultValue [] */
  relays?: Relays;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  log?: DispatcherLog;
  /** This process's name in leases and the attempt log. @defaultValue host:pid:random */
  owner?: string;
  /** Pause between claims when nothing was due. @defaultValue 1000 */
  pollMs?: number;
  /** Events claimed and sent together. @defaultValue 20 */
  batch?: number;
  backoff?: BackoffOptions;
  /** Told of every attempt's outcome (the /metrics counter). */
  onAttempt?: (endpoint: string, outcome: 'delivered' | 'failed' | 'dead') => void;
}

/** Twice the longest attempt timeout and 5 s: room for the claim and the finish around an attempt, and some clock skew. */
export const leaseFor = (targets: ReadonlyArray<{ timeoutMs: number }>) => 2 * Math.max(0, ...targets.map((w) => w.timeoutMs)) + 5_000;

const silent: DispatcherLog = { info() {}, warn() {} };

/** Why an attempt failed, in a line. */
function describe(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

export function createDispatcher(opts: DispatcherOptions) {
  const { outbox, webhooks, now = Date.now, fetch: send = globalThis.fetch, log = silent, pollMs = 1_000, batch = 20 } = opts;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const targets = [...webhooks.map(webhookTarget), ...(opts.relays ?? []).map(relayTarget)];
  const byKey = new Map(targets.map((t) => [t.key, t]));
  // Longer than any attempt can take (its timeout, the claim and the finish), so a lease runs out only when
  // its holder died; then the event is claimed again after at most this long.
  const leaseMs = leaseFor(targets);
  // Aborted by stop() once its grace is over: cuts the attempts still in flight short.
  const stopping = new AbortController();

  async function attempt(w: Target, e: ClaimedEvent): Promise<{ httpStatus: number | null; error: string | null; retryInMs: number | null }> {
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(w.timeoutMs), stopping.signal]);
      const { url, headers, body } = w.request(e.id, e.payload, now());
      const res = await send(url, { method: 'POST', headers, body, redirect: 'manual', signal });
      await res.body?.cancel().catch(() => {});
      const ok = res.status >= 200 && res.status < 300;
      return { httpStatus: res.status, error: ok ? null : `HTTP ${res.status}`, retryInMs: retryAfterMs(res.headers.get('retry-after'), now(), opts.backoff) };
    } catch (err) {
      // Cut short by stop(): due again at once, for the next collector (or this one after its restart).
      if (stopping.signal.aborted) return { httpStatus: null, error: 'the collector stopped during the attempt', retryInMs: 0 };
      return { httpStatus: null, error: describe(err, w.timeoutMs), retryInMs: null };
    }
  }

  async function deliver(e: ClaimedEvent) {
    const w = byKey.get(e.endpoint);
    const started = now();
    const r = w ? await attempt(w, e) : { httpStatus: null, error: `endpoint '${e.endpoint}' is no longer in SM_WEBHOOKS or SM_RELAYS`, retryInMs: null };
    const at = now();
    const attempts = e.attempts + 1;
    let status: 'delivered' | 'pending' | 'dead' = 'delivered';
    let nextAttemptAt = at;
    if (r.error !== null) {
      const wait = r.retryInMs ?? backoffMs(attempts, opts.backoff);
      nextAttemptAt = at + wait;
      status = !w || at - e.retryFrom >= w.deadAfterMs ? 'dead' : 'pending';
    }
    const held = await outbox.finish(e.id, owner, { at, durationMs: at - started, httpStatus: r.httpStatus, error: r.error, status, nextAttemptAt });
    const line = {
      webhookId: e.id, endpoint: e.endpoint, type: e.type, attempt: attempts, httpStatus: r.httpStatus, durationMs: at - started, outcome: status,
      ...(r.error ? { error: r.error } : {}),
      ...(status === 'pending' ? { nextAttemptAt: new Date(nextAttemptAt).toISOString() } : {}),
      // Another process claimed it after this one's lease ran out: its outcome is the one recorded.
      ...(held ? {} : { leaseLost: true }),
    };
    opts.onAttempt?.(e.endpoint, status === 'pending' ? 'failed' : status);
    // A relay's attempts are logged as such; an endpoint no longer configured is named by what its rows were.
    const kind = w?.kind ?? 'webhook';
    if (r.error === null) log.info(line, `${kind} delivered`);
    else log.warn(line, status === 'dead' ? `${kind} dead-lettered` : `${kind} attempt failed`);
  }

  /** Claims the events due now and sends them; resolves to how many were claimed. */
  async function tick(): Promise<number> {
    const claimed = await outbox.claim(now(), leaseMs, owner, batch);
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  const loop = () => {
    running = tick().then(
      (n) => n,
      (e) => (log.warn({ err: e }, 'webhook dispatch failed; trying again'), 0),
    ).then((n) => {
      if (!stopped) timer = setTimeout(loop, n === batch ? 0 : pollMs);
    });
  };

  return {
    owner,
    tick,
    /** Claims and sends until stop(). */
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    /**
     * Stops claiming; waits up to `graceMs` for the attempts in flight, then cuts them short (recorded as
     * failed and due at once), so a shutdown is not held up by an endpoint's long timeout.
     */
    async stop(graceMs = 3_000) {
      stopped = true;
      clearTimeout(timer);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((r) => (grace = setTimeout(r, graceMs)))]);
      clearTimeout(grace);
      stopping.abort();
      await running;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
