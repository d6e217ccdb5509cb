/**
 * The tracker: DOM events in, core transitions, records out to the delivery layer.
 *
 * Each tab realizes its own engagement (core/engagement.ts) and commits it into the session state that
 * all tabs of the site share in localStorage (core/session.ts) by read-merge-write. One timer waits for
 * the next moment that matters (engagement running out, a snapshot due, a threshold about to be
 * crossed, the session expiring); nothing ticks.
 */
import type { AlertRecord, SessionRecord, WireRecord } from '../core/records';
import { createEmitter } from '../core/emitter';
import { advance, createEngagement, engagedUntil, setMedia, setVisible, signal, take, type Engagement, type Interval } from '../core/engagement';
import { resolveOptions, type TrackerOptions } from '../core/options';
import { pageMatcher, pathOf } from '../core/pages';
import { isSampled } from '../core/sampling';
import { commit, lastActive, mergeInterval, type SessionState } from '../core/session';
import { toAlertRecord, toSessionRecord } from '../core/snapshot';
import { crossed, missed, untilNext } from '../core/thresholds';
import { unionMs } from '../core/timeline';
import { createDelivery, type DeliveryOptions } from '../delivery';
import type { Delivery } from '../delivery/types';
import { onActivity } from './onActivity';
import { onMedia } from './onMedia';
import { onNavigation } from './onNavigation';
import { onStorageChange } from './onStorageChange';
import { onVisibility } from './onVisibility';
import { optedOut } from './privacy';
import { randomId as defaultRandomId } from './randomId';
import { anonymousId, defaultStorage, readSession, safeStorage } from './storage';

export interface TrackerEvents {
  /** A session started (in this tab's commit). */
  sessionstart: { id: string; startedAt: string };
  /** A session ended: its final record. */
  sessionend: SessionRecord;
  /** The current page of this tab changed. */
  pagechange: { path: string; from: string };
  /** A threshold alert (`above` when crossed, `below` when a session ends short of it). */
  threshold: AlertRecord;
  /** A record handed to delivery. */
  record: WireRecord;
}

export interface Tracker {
  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof TrackerEvents>(event: K, listener: (data: TrackerEvents[K]) => void): () => void;
  /** The current session record as it would be sent now; `null` without a measured session. */
  snapshot(): SessionRecord | null;
  /** An activity signal from the host (an iframe player, a canvas app). */
  activity(): void;
  /** Sets the user id of the session (`null` clears it). */
  identify(userId: string | null): void;
  /** Ends the session now; the next activity starts a new one. */
  endSession(): void;
  /** Snapshots what changed and sends everything queued. */
  flush(): Promise<void>;
  /** With `consent: "pending"`: starts measuring. */
  grantConsent(): void;
  /** Removes every listener and timer the tracker added, after a last snapshot. */
  stop(): void;
}

/** What the tracker depends on; tests swap these, hosts normally pass nothing. */
export interface TrackerDeps {
  /** @defaultValue `Date.now` (wall time: tabs compare it through storage) */
  now?: () => number;
  /** @defaultValue `localStorage`, `null` when blocked */
  storage?: Storage | null;
  /** @defaultValue `createDelivery` */
  delivery?: (options: DeliveryOptions) => Delivery;
  /** @defaultValue 128 random bits in hex */
  randomId?: () => string;
  /** The page's window (events, location, visibility, navigator). @defaultValue `window` */
  window?: Window;
}

const PREFIX = '[session-metrics]';

export function createTracker(input?: TrackerOptions, deps: TrackerDeps = {}): Tracker {
  const { now = Date.now, delivery: makeDelivery = createDelivery, randomId = defaultRandomId, window: win = window } = deps;
  const doc = win.document;
  const warn = (...a: unknown[]) => console.warn(PREFIX, ...a);
  const { options: o, problems } = resolveOptions(input, win.location.hostname);
  problems.forEach((p) => warn(p));
  const log = o.debugMode ? (...a: unknown[]) => console.debug(PREFIX, ...a) : () => {};
  const events = createEmitter<TrackerEvents>(warn);
  /** Runs `fn` so that nothing it throws reaches the host page. */
  const guard =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    (...a: A): R | undefined => {
      try {
        return fn(...a);
      } catch (error) {
        warn(error);
      }
    };

  const kv = safeStorage(deps.storage === undefined ? defaultStorage(win) : deps.storage);
  const key = 'sm:' + o.siteId;
  const buffer = o.bufferTimeBeforeEnd * 1e3;
  const expiry = o.sessionExpirationThreshold * 6e4;
  const every = o.flushInterval * 1e3;
  const tracked = pageMatcher(o.trackSpecificPages);
  const keeps = (id: string) => isSampled(id, o.samplingRate);
  let anonId: string;
  let running = false;
  let stopped = false;
  let eng: Engagement;
  let delivery: Delivery;
  let path: string;
  /** When the current page became current, while its view is not counted in a session yet. */
  let viewAt: number | null;
  let userId: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSnapAt = 0;
  /** The last record this tab sent, without its seq: a snapshot goes out only when it differs. */
  let lastSent = '';
  let removers: (() => unknown)[] = [];
  /** This tab's recent intervals in session `ownId`, with their page. */
  let own: [string | null, Interval][] = [];
  let ownId = '';
  let ownSeq = 0;

  const pageOf = (): string => {
    const url = new URL(win.location.href);
    try {
      if (o.pageName) return String(o.pageName(url));
    } catch (error) {
      warn('pageName threw; using the path', error);
    }
    return pathOf(url);
  };
  const nextSeq = (s: SessionState) => Math.max(s.seq, s.id == ownId ? ownSeq : 0) + 1;
  const ctx = () => ({ siteId: o.siteId, anonymousId: anonId, sampleRate: o.samplingRate, thresholds: o.thresholds, meta: o.meta });

  /** A snapshot of `s` if it changed since this tab's last one (or `force`); bumps the shared seq. */
  const snap = (s: SessionState, out: WireRecord[], force?: boolean) => {
    // Never below a seq this tab used: another tab's stale write may have taken the stored one back.
    const record = toSessionRecord(s, nextSeq(s), ctx());
    const same = JSON.stringify({ ...record, seq: 0 });
    if (force || same != lastSent) {
      s.seq = record.seq;
      if (s.id == ownId) ownSeq = s.seq;
      lastSent = same;
      out.push(record);
      log('record', record.seq, record.engagedMs);
    }
    return record;
  };

  const alert = (s: SessionState, name: string, direction: 'above' | 'below', at: number, out: WireRecord[]) => {
    const a = toAlertRecord(s, name, direction, at, unionMs(s.t), o.siteId);
    log('alert', direction, name);
    events.emit('threshold', a);
    if (o.sendAlerts) out.push(a);
  };

  const end = (s: SessionState, out: WireRecord[]) => {
    log('session end', s.id);
    if (!keeps(s.id)) return;
    events.emit('sessionend', snap(s, out, true));
    for (const t of missed(o.thresholds, unionMs(s.t))) alert(s, t.name, 'below', lastActive(s), out);
  };

  const send = (out: WireRecord[]) => {
    if (!out.length) return;
    delivery.enqueue(out);
    out.forEach((r) => events.emit('record', r));
  };

  /**
   * Realizes this tab's engagement up to `t`, commits it to the shared session and sends what that
   * changed. `reason` asks for a snapshot now (hidden, flush) instead of at the flush interval.
   */
  const update = (t = now(), reason?: 'hide' | 'flush') => {
    advance(eng, t, buffer);
    const stored = readSession(kv, key);
    const page = tracked(path) ? path : null;
    const intervals = take(eng);
    // Repairs a commit of this tab that another tab's simultaneous write may have overwritten.
    if (stored && !stored.x && stored.id == ownId) own.forEach(([p, iv]) => mergeInterval(stored, p, iv));
    const r = commit(stored, {
      intervals,
      path: page,
      viewAt,
      now: t,
      thresholdMs: expiry,
      userId,
      newId: randomId,
      keeps,
    });
    if (!r.viewPending) viewAt = null;
    const out: WireRecord[] = [];
    r.ended.forEach((s) => end(s, out));
    r.started.forEach((s) => {
      log('session start', s.id, keeps(s.id) ? '' : '(sampled out)');
      if (keeps(s.id)) events.emit('sessionstart', { id: s.id, startedAt: new Date(s.s).toISOString() });
    });
    const s = r.state;
    if (s && !s.x) {
      if (s.id != ownId) [ownId, own, ownSeq] = [s.id, [], s.seq];
      own = [...own, ...intervals.filter((iv) => iv[0] >= s.s).map((iv): [string | null, Interval] => [page, iv])].slice(-8);
    }
    if (s && !s.x && keeps(s.id)) {
      const engaged = unionMs(s.t);
      const hits = crossed(o.thresholds, engaged, s.a);
      for (const h of hits) {
        s.a.push(h.name);
        // The crossing happened (engaged - h.ms) of engaged time before the last engaged instant.
        alert(s, h.name, 'above', lastActive(s) - engaged + h.ms, out);
      }
      if (hits.length || reason || t - lastSnapAt >= every) {
        lastSnapAt = t;
        snap(s, out);
      }
    }
    if (s) kv.set(key, JSON.stringify(s));
    send(out);
    if (reason == 'hide') void delivery.flush({ unloading: true });
    schedule(t, s);
    return s;
  };

  /** One timer, for the next moment that matters. */
  const schedule = (t: number, s = readSession(kv, key)) => {
    clearTimeout(timer);
    if (!running) return;
    const live = s && !s.x;
    let next = live ? lastActive(s) + expiry : Infinity;
    const until = engagedUntil(eng, buffer);
    if (until > t) {
      // While engaged: when engagement runs out, the next snapshot, the next threshold, and often
      // enough that other tabs never see this session expire under it. Without a session yet, soon.
      next = Math.min(
        next,
        until,
        live ? Math.min(lastSnapAt + every, t + expiry / 2, t + untilNext(o.thresholds, unionMs(s.t), s.a)) : t + 1e3,
      );
    }
    if (next < Infinity) timer = setTimeout(guard(() => update()), Math.min(Math.max(next - t, 0), 2 ** 31 - 1));
  };

  const onSignal = guard(() => {
    const t = now();
    // The hot path (pointermove, scroll): while engaged, a signal only moves the end of engagement.
    if (t < engagedUntil(eng, buffer)) eng.sig = Math.max(eng.sig, t);
    else {
      log('signal');
      signal(eng, t, buffer);
      update(t);
    }
  });

  const onVisible = guard((visible: boolean) => {
    if (visible == eng.vis) return;
    const t = now();
    log(visible ? 'visible' : 'hidden');
    setVisible(eng, visible, t, buffer);
    update(t, visible ? undefined : 'hide');
  });

  const onPlaying = guard((playing: boolean) => {
    if (playing == eng.media) return;
    const t = now();
    log(playing ? 'media playing' : 'media stopped');
    setMedia(eng, playing, t, buffer);
    update(t);
  });

  const onRoute = guard(() => {
    const next = pageOf();
    if (next == path) return;
    const t = now();
    update(t);
    const from = path;
    path = next;
    viewAt = t;
    log('page', next);
    update(t);
    events.emit('pagechange', { path: next, from });
  });

  const start = () => {
    if (running || stopped) return;
    running = true;
    anonId = anonymousId(kv, key + ':a', randomId);
    delivery = makeDelivery({
      siteId: o.siteId,
      endpoint: o.endpoint,
      transports: o.transport,
      clock: now,
      log: o.debugMode ? (m) => warn(m) : undefined,
    });
    const t = now();
    eng = createEngagement(t, doc.visibilityState == 'visible');
    path = pageOf();
    viewAt = lastSnapAt = t;
    log('start', path, eng.vis ? 'visible' : 'hidden');
    removers = [
      onActivity(onSignal, doc),
      onVisibility(onVisible, doc, win),
      onNavigation(onRoute, win),
      onStorageChange(key, guard(() => schedule(now())), win),
      // Last: it reports media already playing at once.
      onMedia(onPlaying, doc),
    ];
    // Notices a session that expired while no page of the site was open.
    update(t);
  };

  const tracker: Tracker = {
    on: (event, listener) => events.on(event, listener),
    snapshot: () =>
      (running &&
        guard(() => {
          const s = update();
          return s && keeps(s.id) ? toSessionRecord(s, nextSeq(s), ctx()) : null;
        })()) ||
      null,
    activity: () => running && onSignal(),
    identify: guard((id: string | null) => {
      if (id !== null && (typeof id != 'string' || !id)) return warn('identify needs a non-empty string or null, got', id);
      userId = id;
      const s = readSession(kv, key);
      if (s && !s.x) {
        s.u = id;
        kv.set(key, JSON.stringify(s));
      }
    }),
    endSession: guard(() => {
      if (!running) return;
      const s = update();
      if (s && !s.x) {
        s.x = 1;
        const out: WireRecord[] = [];
        end(s, out);
        kv.set(key, JSON.stringify(s));
        send(out);
      }
      // What follows belongs to the next session, which the next activity starts.
      eng.sig = -Infinity;
      schedule(now(), s);
    }),
    flush: () => {
      if (!running) return Promise.resolve();
      guard(update)(now(), 'flush');
      return delivery.flush({ unloading: false });
    },
    grantConsent: guard(() => {
      if (o.consent == 'pending' && o.enabled && !stopped) start();
    }),
    stop: guard(() => {
      if (running) {
        update(now(), 'flush');
        running = false;
        clearTimeout(timer);
        removers.forEach((remove) => remove());
        const d = delivery;
        void d.flush({ unloading: false }).then(() => d.stop());
      }
      stopped = true;
    }),
  };

  if (!o.enabled) log('disabled');
  else if (o.respectDoNotTrack && optedOut(win.navigator)) log('Do Not Track or Global Privacy Control: measuring nothing');
  else if (o.consent == 'pending') log('waiting for consent');
  else guard(start)();
  return tracker;
}
