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
import { iso, toAlertRecord, toSessionRecord } from '../core/snapshot';
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
import { safeStorage } from './storage';
import { PREFIX, warn } from './warn';

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

export function createTracker(input?: TrackerOptions, deps: TrackerDeps = {}): Tracker {
  const { now = Date.now, delivery: makeDelivery = createDelivery, randomId = defaultRandomId, window: win = window } = deps;
  const doc = win.document;
  const { options: o, problems } = resolveOptions(input, win.location.hostname);
  problems.map((p) => warn(p));
  const log = (...a: unknown[]) => o.debugMode && console.debug(PREFIX, ...a);
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

  const kv = safeStorage(() => (deps.storage === undefined ? win.localStorage : deps.storage));
  const key = 'sm:' + o.siteId;
  /** The shared session state; anything unreadable (corrupt, foreign, old) counts as none. */
  const load = (): SessionState | undefined => {
    try {
      const s = JSON.parse(kv.get(key)!);
      if (typeof s.id == 'string' && s.t.i.map && s.a.map) return s;
    } catch {}
  };
  const save = (s: SessionState) => kv.set(key, JSON.stringify(s));
  const buffer = o.bufferTimeBeforeEnd * 1e3;
  const expiry = o.sessionExpirationThreshold * 6e4;
  const every = o.flushInterval * 1e3;
  const thresholds = o.thresholds;
  const tracked = pageMatcher(o.trackSpecificPages);
  const keeps = (id: string) => isSampled(id, o.samplingRate);
  let anonId: string;
  let running = 0;
  let stopped = 0;
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
  /** This tab, as the writer of a seq in the shared state. */
  const me = Math.random();

  const pageOf = (): string => {
    const url = new URL(win.location.href);
    try {
      if (o.pageName) return String(o.pageName(url));
    } catch (error) {
      warn('pageName threw', error);
    }
    return pathOf(url);
  };
  // Never below a seq this tab used: another tab's stale write may have taken the stored one back.
  const record = (s: SessionState) => toSessionRecord(s, Math.max(s.seq, s.id == ownId ? ownSeq : 0) + 1, o, anonId);

  /** A snapshot of `s` if it changed since this tab's last one (or `force`); bumps the shared seq. */
  const snap = (s: SessionState, out: WireRecord[], force?: boolean | 1) => {
    const r = record(s);
    const same = JSON.stringify({ ...r, seq: 0 });
    if (force || same != lastSent) {
      s.seq = r.seq;
      s.w = me;
      if (s.id == ownId) ownSeq = s.seq;
      lastSent = same;
      out.push(r);
      log('record', r.seq, r.engagedMs);
    }
    return r;
  };

  const alert = (s: SessionState, name: string, direction: 'above' | 'below', at: number, out: WireRecord[]) => {
    const a = toAlertRecord(s, name, direction, at, o.siteId);
    log('alert', direction, name);
    events.emit('threshold', a);
    if (o.sendAlerts) out.push(a);
  };

  const end = (s: SessionState, out: WireRecord[]) => {
    log('session end', s.id);
    if (keeps(s.id)) {
      events.emit('sessionend', snap(s, out, 1));
      missed(thresholds, unionMs(s.t)).map((t) => alert(s, t.name, 'below', lastActive(s), out));
    }
  };

  const send = (out: WireRecord[]) => {
    if (out.length) delivery.enqueue(out);
    out.map((r) => events.emit('record', r));
  };

  /**
   * Merges this tab's recent intervals and seq back into `s`, which another tab may have written without
   * them (localStorage reaches other processes asynchronously: both read the same state, the last write
   * wins). A union, so it changes `s` only when something of this tab's was missing; returns whether.
   */
  const mend = (s?: SessionState) => {
    if (s && !s.x && s.id == ownId) {
      const was = JSON.stringify(s);
      own.map(([p, iv]) => mergeInterval(s, p, iv));
      s.seq = Math.max(s.seq, ownSeq);
      return JSON.stringify(s) != was;
    }
  };

  /**
   * Realizes this tab's engagement up to `t`, commits it to the shared session and sends what that
   * changed. `reason` asks for a snapshot now (hidden, flush) instead of at the flush interval.
   */
  const update = (t = now(), reason?: 'hide' | 'flush', force?: boolean) => {
    advance(eng, t, buffer);
    const stored = load();
    const page = tracked(path) ? path : null;
    const intervals = take(eng);
    const out: WireRecord[] = [];
    mend(stored);
    const [s, viewPending] = commit(stored, intervals, page, viewAt, t, expiry, userId, randomId, keeps, (s) => end(s, out), (s) => {
      log('session start', s.id, keeps(s.id) ? '' : '(sampled out)');
      if (keeps(s.id)) events.emit('sessionstart', { id: s.id, startedAt: iso(s.s) });
    });
    if (!viewPending) viewAt = null;
    if (s && !s.x) {
      // A tab that joins a session has snapshotted no seq of it yet (which `onShared` relies on).
      if (s.id != ownId) [ownId, own, ownSeq] = [s.id, [], 0];
      own = [...own, ...intervals.filter((iv) => iv[0] >= s.s).map((iv): [string | null, Interval] => [page, iv])].slice(-8);
      if (keeps(s.id)) {
        const engaged = unionMs(s.t);
        const hits = crossed(thresholds, engaged, s.a);
        hits.map((h) => {
          s.a.push(h.name);
          // The crossing happened (engaged - h.ms) of engaged time before the last engaged instant.
          alert(s, h.name, 'above', lastActive(s) - engaged + h.ms, out);
        });
        if (hits.length || reason || t - lastSnapAt >= every) {
          lastSnapAt = t;
          snap(s, out, force);
        }
      }
    }
    if (s) save(s);
    send(out);
    if (reason == 'hide') void delivery.flush({ unloading: true });
    schedule(t, s);
    return s;
  };

  /** One timer, for the next moment that matters. */
  const schedule = (t: number, s = load()) => {
    clearTimeout(timer);
    const live = s && !s.x;
    const until = engagedUntil(eng, buffer);
    // While engaged: when engagement runs out, the next snapshot, the next threshold, and often
    // enough that other tabs never see this session expire under it. Without a session yet, soon.
    const next = Math.min(
      live ? lastActive(s) + expiry : Infinity,
      until > t
        ? Math.min(until, live ? Math.min(lastSnapAt + every, t + expiry / 2, t + untilNext(thresholds, unionMs(s.t), s.a)) : t + 1e3)
        : Infinity,
    );
    if (running && next < Infinity) timer = setTimeout(guard(() => update()), Math.min(Math.max(next - t, 0), 2 ** 31 - 1));
  };

  /** A change of visibility or media: realizes engagement up to now, then applies the change. */
  const change =
    (apply: typeof setVisible, current: () => boolean, on: string, off: string, isVisibility?: 1) =>
    (value: boolean) => {
      if (value == current()) return;
      const t = now();
      log(value ? on : off);
      apply(eng, value, t, buffer);
      update(t, isVisibility && !value ? 'hide' : undefined);
    };

  const onSignal = guard(() => {
    const t = now();
    // The hot path (pointermove, scroll): while engaged, a signal only moves the end of engagement.
    if (t < engagedUntil(eng, buffer)) eng._sig = Math.max(eng._sig, t);
    else {
      log('signal');
      signal(eng, t, buffer);
      update(t);
    }
  });

  /**
   * Another tab wrote the shared state. A write that dropped something this tab had committed (both read
   * the same state, the other wrote last) is mended at once and snapshotted, so a record with a higher seq
   * carries the union; only such a write causes one, so tabs converge instead of answering each other.
   *
   * A hidden tab may be closing, so it also answers at once what a visible tab leaves to its next
   * snapshot. The receiver keeps, per session, the record with the highest seq, and the first to arrive
   * of two with the same seq (two tabs that hid at once from the same state both snapshot the same seq):
   * - when the other tab's snapshot may be the one kept and lacked something of this tab's, or
   * - when both snapshotted the same seq and this tab's record lacks something the other's state has,
   * it sends a snapshot of the union under a higher seq, as on a hide. Each tab answers only what it saw
   * missing, so two tabs that each lacked something send one equal union each and stop. Any other write
   * only moves the timer (the session may have been ended or renewed elsewhere).
   */
  const onShared = () => {
    const s = load();
    if (s && !s.x && s.id == ownId) {
      // The receiver's top record of the session is this tab's, unless the other tab snapshotted a seq as high.
      const mine = s.w == me || s.seq < ownSeq;
      const tie = s.seq == ownSeq;
      const mended = mend(s);
      const differs = JSON.stringify({ ...record(s), seq: 0 }) != lastSent;
      const hidden = !eng._vis;
      if (hidden ? (mine ? mended && differs : mended || (tie && differs)) : mended) return update(now(), hidden ? 'hide' : 'flush', hidden);
    }
    schedule(now());
  };

  const onRoute = () => {
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
  };

  const start = () => {
    if (running || stopped) return;
    running = 1;
    anonId = kv.get(key + ':a') || randomId();
    kv.set(key + ':a', anonId);
    delivery = makeDelivery({
      siteId: o.siteId,
      endpoint: o.endpoint,
      transports: o.transport,
      log: o.debugMode ? warn : undefined,
    });
    const t = now();
    eng = createEngagement(t, doc.visibilityState == 'visible');
    path = pageOf();
    viewAt = lastSnapAt = t;
    log('start', path, eng._vis ? 'visible' : 'hidden');
    removers = [
      onActivity(onSignal, doc),
      onVisibility(guard(change(setVisible, () => eng._vis, 'visible', 'hidden', 1)), doc, win),
      onNavigation(guard(onRoute), win),
      // Every other tab, hidden or not, sees each write land: one that dropped this tab's last commit is
      // mended at once and snapshotted, so a record with a higher seq carries the union. Only a write
      // that lost something of ours causes one, so tabs converge instead of answering each other.
      onStorageChange(key, guard(onShared), win),
      // Last: it reports media already playing at once.
      onMedia(guard(change(setMedia, () => eng._media, 'media playing', 'media stopped')), doc),
    ];
    // Notices a session that expired while no page of the site was open.
    update(t);
  };

  const tracker: Tracker = {
    on: events.on,
    snapshot: () =>
      (running &&
        guard(() => {
          const s = update();
          return s && keeps(s.id) ? record(s) : null;
        })()) ||
      null,
    activity: () => running && onSignal(),
    identify: guard((id: string | null) => {
      if (id !== null && (typeof id != 'string' || !id)) return warn('identify: not a string', id);
      userId = id;
      const s = load();
      if (s && !s.x) save({ ...s, u: id });
    }),
    endSession: guard(() => {
      if (!running) return;
      const s = update();
      if (s && !s.x) {
        s.x = 1;
        const out: WireRecord[] = [];
        end(s, out);
        save(s);
        send(out);
      }
      // What follows belongs to the next session, which the next activity starts.
      eng._sig = -Infinity;
      schedule(now(), s);
    }),
    flush: () => {
      if (!running) return Promise.resolve();
      guard(update)(now(), 'flush');
      return delivery.flush({ unloading: false });
    },
    grantConsent: guard(() => o.consent == 'pending' && o.enabled && start()),
    stop: guard(() => {
      if (running) {
        update(now(), 'flush');
        running = 0;
        clearTimeout(timer);
        removers.map((remove) => remove());
        const d = delivery;
        void d.flush({ unloading: false }).then(() => d.stop());
      }
      stopped = 1;
    }),
  };

  if (!o.enabled) log('disabled');
  else if (o.respectDoNotTrack && optedOut(win.navigator)) log('off: Do Not Track');
  else if (o.consent == 'pending') log('consent pending');
  else guard(start)();
  return tracker;
}
