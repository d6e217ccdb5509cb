/**
 * The tracker: DOM events in, core transitions, records out to the delivery layer.
 *
 * Each tab realizes its own engagement (core/engagement.ts) and commits it into the session state that
 * all tabs of the site share in localStorage (core/session.ts) by read-merge-write. One timer waits for
 * the next moment that matters (engagement running out, a snapshot due, a threshold about to be
 * crossed, the session expiring); nothing ticks.
 */
import { above, below } from '../core/alerts';
import type { AlertRecord, SessionRecord, WireRecord } from '../core/records';
import { advance, createEngagement, engagedUntil, pendingMs, setMedia, setVisible, signal, take, type Engagement } from '../core/engagement';
import { resolveOptions } from '../core/options';
import { pageMatcher, pathOf } from '../core/pages';
import { isSampled } from '../core/sampling';
import { commit, mendWith, remember, type OwnTime, type SessionState } from '../core/session';
import { iso, toSessionRecord } from '../core/snapshot';
import { answerWrite } from '../core/crossTab';
import { ANSWER, FLUSH, HIDDEN, type Reason } from '../core/reasons';
import { nextWake } from '../core/schedule';
import { createDelivery } from '../delivery';
import { PLUGINS } from '../features';
import type { Delivery } from '../delivery/types';
import type { Tracker, TrackerDeps, TrackerEvents, TrackerOptions } from './api';
import { listen } from './listen';
import type { HostedPlugin, PluginPage, PluginPort } from './plugins';
import { wrapHistory } from './wrapHistory';
import { optedOut } from './privacy';
import { randomId as defaultRandomId } from './randomId';
import { safeStorage } from './storage';
import { PREFIX, warn } from './warn';

export type { Tracker, TrackerDeps, TrackerEvents, TrackerOptions } from './api';

export function createTracker(input?: TrackerOptions, deps: TrackerDeps = {}): Tracker {
  const { now = Date.now, delivery: makeDelivery = createDelivery, randomId = defaultRandomId, window: win = window } = deps;
  const doc = win.document;
  const o = resolveOptions(input, win.location.hostname, warn);
  const log = (...a: unknown[]) => o.debugMode && console.debug(PREFIX, ...a);
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
  // The event emitter (the nanoevents shape: `on` returns its own unsubscribe function). A listener
  // that throws is reported and stops neither the others nor the tracker.
  // A Map, so that any event name a host passes (`__proto__` too) is only a key.
  const listeners = new Map<string, Set<(data: any) => void>>();
  const emit = <K extends keyof TrackerEvents>(event: K, data: TrackerEvents[K]) =>
    listeners.get(event)?.forEach((listener) => guard(listener)(data));

  const kv = safeStorage(() => (deps.storage === undefined ? win.localStorage : deps.storage));
  const key = 'sm:' + o.siteId;
  /** The shared session state; anything unreadable (corrupt, foreign, old) counts as none. */
  const load = (json = kv.get(key)): SessionState | undefined => {
    try {
      const s = JSON.parse(json!);
      if (typeof s.id == 'string' && s.t.i.map && s.a.map && s.b.map) return s;
    } catch {}
  };
  const save = (s: SessionState) => kv.set(key, JSON.stringify(s));
  const tracked = pageMatcher(o.trackSpecificPages);
  /** Sampling is decided once, when a session starts; a sampled-out session keeps no pages (`p: null`). */
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
  /** Records to hand to delivery at the end of this turn (`send`). */
  let out: WireRecord[] = [];
  /** This tab's engaged time in session `ownId`, per page. */
  let own: OwnTime = new Map();
  let ownId = '';
  let ownSeq = 0;
  /** This tab, as the writer of a seq in the shared state. */
  const me = Math.random();
  /** The state a record is being built from, while plugins hear `beforerecord`. */
  let held: SessionState | undefined;
  /** The current page view, for plugins. */
  let view: PluginPage | null = null;
  /** This tab's engaged ms on the current page view that `take` handed over. */
  let viewMs = 0;
  /** Plugins given before the tracker runs, set up when it starts. */
  const plugins = (PLUGINS ? [...o.plugins] : []) as HostedPlugin[];
  /** Plugin removers: they run first at `stop()`, so plugins may write fields into the last record. */
  let detach: (() => void)[] = [];
  const attach = (plugin: HostedPlugin) => detach.push(guard(plugin.attach(port) || Object));

  /** The current page's name: `pageName(url)`, else the path (a `pageName` that throws counts as none). */
  const pageOf = (url = new URL(win.location.href)): string =>
    String((o.pageName && guard(o.pageName)(url)) || pathOf(url));
  // `s` has been mended first (update), so its seq is never below one this tab used, even after
  // another tab's stale write took the stored one back.
  const record = (s: SessionState) => {
    if (PLUGINS) {
      held = s;
      emit('beforerecord' as never, s as never);
      held = undefined;
    }
    return toSessionRecord(s, s.seq + 1, o, anonId);
  };
  /** What a record says, its seq aside: a snapshot goes out only when this differs from `lastSent`. */
  const content = (r: SessionRecord) => JSON.stringify({ ...r, seq: 0 });

  /** A snapshot of `s` if it changed since this tab's last one (or `force`); bumps the shared seq. */
  const snap = (s: SessionState, force?: boolean) => {
    const r = record(s);
    const same = content(r);
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

  /** A threshold alert that fired (core/alerts.ts). */
  const alert = (a: AlertRecord) => {
    log('alert', a.direction, a.threshold);
    emit('threshold', a);
    if (o.sendAlerts) out.push(a);
  };

  const end = (s: SessionState) => {
    log('session end', s.id);
    if (s.p) {
      emit('sessionend', snap(s, true));
      below(o, s).map(alert);
    }
  };

  /** Hands the records of this turn to delivery. */
  const send = () => {
    const records = out;
    out = [];
    if (records.length) delivery.enqueue(records);
    records.map((r) => emit('record', r));
  };

  /**
   * Merges this tab's recent intervals and seq back into `s`, which another tab may have written without
   * them (localStorage reaches other processes asynchronously: both read the same state, the last write
   * wins). A union, so it changes `s` only when something of this tab's was missing.
   */
  const mend = (s?: SessionState) => {
    if (s && !s.x && s.id == ownId) {
      mendWith(s, own);
      s.seq = Math.max(s.seq, ownSeq);
    }
  };

  /**
   * Realizes this tab's engagement up to `t`, commits it to the shared session and sends what that
   * changed. `reason` asks for a snapshot now instead of at the flush interval (core/reasons.ts; a
   * falsy one asks nothing). `ending` ends the live session (`endSession()`). `stored`: the shared
   * state to commit into (another tab's write).
   */
  const update = (t = now(), reason?: Reason | 0 | false, ending?: 1, stored = load()) => {
    advance(eng, t, o._bufferMs);
    // What follows an ended session belongs to the next one, which the next activity starts.
    if (ending) eng._sig = -Infinity;
    const page = tracked(path) ? path : null;
    const intervals = take(eng);
    if (PLUGINS) intervals.map(([a, b]) => (viewMs += b - a));
    mend(stored);
    const [s, viewPending] = commit(stored, intervals, page, viewAt, t, o._expiryMs, userId, randomId, keeps, end, (s) => {
      log('session start', s.id, s.p ? '' : '(sampled out)');
      if (s.p) emit('sessionstart', { id: s.id, startedAt: iso(s.f) });
    });
    if (!viewPending) viewAt = null;
    if (s && !s.x) {
      // A tab that joins a session has snapshotted no seq of it yet (which `onShared` relies on).
      if (s.id != ownId) {
        ownId = s.id;
        own = new Map();
        ownSeq = 0;
      }
      remember(own, page, intervals, s.f);
      if (s.p) {
        const hits = above(o, s);
        hits.map(alert);
        if (hits.length || reason || t - lastSnapAt >= o._flushMs) {
          lastSnapAt = t;
          snap(s, reason == ANSWER);
        }
      }
      if (ending) end(((s.x = 1), s));
    }
    if (s) save(s);
    send();
    if ((reason as number) > FLUSH) void delivery.flush({ unloading: true });
    schedule(t, s);
    return s;
  };

  /** One timer, for the next moment that matters (core/schedule.ts). */
  const schedule = (t: number, s = load()) => {
    clearTimeout(timer);
    const until = engagedUntil(eng, o._bufferMs);
    const next = nextWake(o, t, until, s, lastSnapAt);
    // A past moment waits 0 ms: setTimeout clamps a negative delay to 0 (HTML, timer initialization steps).
    // When the buffer after the last signal is what runs out, the timer marks the tab idle.
    if (running && next < Infinity)
      timer = setTimeout(guard(() => (next == until && log('idle'), update())), Math.min(next - t, 2 ** 31 - 1));
  };

  /** A change of visibility or media: realizes engagement up to now, then applies the change. */
  const change = (apply: typeof setVisible, value: boolean, current: boolean, what: string, reason?: typeof HIDDEN | false) => {
    if (value != current) {
      const t = now();
      log(what);
      apply(eng, value, t, o._bufferMs);
      update(t, reason);
    }
  };

  /** A signal that may start engagement: realized, committed, scheduled (guarded: it does real work). */
  const wake = guard((t: number) => {
    log('signal');
    signal(eng, t, o._bufferMs);
    update(t);
  });
  /**
   * The activity listener: the hot path (every pointermove, scroll and key). While engaged, a signal only
   * moves the end of engagement: no allocation, no wrapper, nothing that can throw. Otherwise `wake`.
   */
  const onSignal = () => {
    const t = now();
    if (t >= engagedUntil(eng, o._bufferMs)) wake(t);
    else if (t > eng._sig) eng._sig = t;
  };


  /**
   * Visible or hidden, including the back/forward cache. `visibilitychange` to hidden is the last moment
   * browsers reliably run code, on desktop and mobile (https://developer.chrome.com/docs/web-platform/page-lifecycle-api);
   * `pagehide` covers browsers that skip it when navigating away (older Safari,
   * https://bugs.webkit.org/show_bug.cgi?id=151234). `unload` is never used: it keeps pages out of the
   * bfcache. A `pageshow` with `persisted` is a restore from the bfcache, where the page resumes without loading.
   */
  const onVisibility = (e: Event) => {
    const leaving = e.type == 'pagehide';
    if (e.type != 'pageshow' || (e as PageTransitionEvent).persisted) {
      const visible = !leaving && doc.visibilityState == 'visible';
      // A `pagehide` counts even in a tab hidden already (a reload or a navigation of a background tab):
      // the page is going away, and what delivery holds in memory may not have reached IndexedDB yet.
      change(setVisible, visible, eng._vis || leaving, visible ? 'visible' : 'hidden', !visible && HIDDEN);
    }
  };

  /**
   * Whether any `<video>` or `<audio>` of the document plays (SEMANTICS.md, "Media"). Checking every
   * media element after each media event also covers several players at once. Media inside shadow
   * roots or iframes is not seen: such hosts call `tracker.activity()`.
   */
  const onMedia = () => {
    const playing = [...doc.querySelectorAll<HTMLMediaElement>('video,audio')].some((m) => !m.paused && !m.ended);
    change(setMedia, playing, eng._media, playing ? 'media playing' : 'media stopped');
  };

  /**
   * Another tab wrote the shared state; every other tab, hidden or not, sees each write land. A write of
   * this tab's live session is mended with this tab's own time, and answered with a snapshot where
   * core/crossTab.ts says so (a write that dropped something of this tab's, a same-seq tie). Any other
   * write only moves the timer (the session may have been ended or renewed elsewhere).
   */
  const onShared = (json: string | null) => {
    // The written state itself: this tab's own copy may still hold its own write, on its way to the
    // others (Chromium keeps a tab's pending write over the others' until it lands), and then neither
    // of two tabs that wrote at once would see the other's numbers.
    const s = load(json);
    // Whether the write dropped something of this tab's (only here is it asked, so only here compared).
    const was = JSON.stringify(s);
    const reason =
      s && !s.x && s.id == ownId && (mend(s), answerWrite(s, me, ownSeq, eng._vis, JSON.stringify(s) != was, () => content(record(s)) != lastSent));
    // Else only the timer moves; the written state is the stored one: no need to read it back.
    reason ? update(now(), reason, undefined, s) : schedule(now(), s);
  };

  /** For plugins: the page `path` became current at `t`. */
  const begin = (t: number) => {
    view = { name: path, url: win.location.href, startedAt: t };
    viewMs = 0;
  };

  /** Route changes in single-page apps: the page changes only when its name does. */
  const onRoute = () => {
    const next = pageOf();
    if (next == path) return;
    const t = now();
    update(t);
    // Plugins hear the page end while its view is still current: its engaged time is still readable.
    if (PLUGINS) emit('pageleave' as never, 0 as never);
    const from = path;
    path = next;
    viewAt = t;
    if (PLUGINS) begin(t);
    log('page', next);
    update(t);
    emit('pagechange', { path: next, from });
  };

  const start = () => {
    if (running || stopped) return;
    running = 1;
    kv.set(key + ':a', (anonId = kv.get(key + ':a') || randomId()));
    // The options carry `siteId` and `endpoint` under delivery's names; none of the others is one of its.
    delivery = makeDelivery({ ...o, transports: o.transport, log: o.debugMode ? warn : undefined });
    const t = now();
    eng = createEngagement(t, doc.visibilityState == 'visible');
    path = pageOf();
    viewAt = lastSnapAt = t;
    if (PLUGINS) begin(t);
    log('start', path, eng._vis ? 'visible' : 'hidden');
    if (PLUGINS) plugins.map(guard(attach));
    // Every listener is on the window, capturing: events at the document and its elements pass the
    // window first (https://dom.spec.whatwg.org/#concept-event-path), including those that do not
    // bubble (`scroll` of any element, media events) and those the page stops.
    const on = (types: string, listener: (e: any) => unknown) => removers.push(listen(win, types, listener));
    const route = guard(onRoute);
    removers = [wrapHistory(win, route)];
    // Activity signals (SEMANTICS.md, "Time and signals"): unguarded, onSignal guards its own slow path.
    on('pointerdown pointermove keydown wheel scroll touchstart focusin', onSignal);
    on('visibilitychange pagehide pageshow', guard(onVisibility));
    on('popstate hashchange', route);
    // Another tab wrote the shared state (the `storage` event fires only in the other tabs,
    // https://html.spec.whatwg.org/multipage/webstorage.html#the-storage-event).
    on('storage', guard((e: StorageEvent) => e.key === key && onShared(e.newValue)));
    on('play pause ended', guard(onMedia));
    // Media already playing (autoplay) before the tracker started.
    onMedia();
    // Notices a session that expired while no page of the site was open.
    update(t);
  };

  const tracker = {
    on: (event: string, listener: (data: any) => void, set = listeners.get(event) || new Set()) => (
      listeners.set(event, set.add(listener)), () => set.delete(listener)
    ),
    // `s` is a default argument: the guarded function is called without one.
    snapshot: () => (running && guard((s: SessionState | undefined = update()) => s?.p && record(s))()) || null,
    activity: () => running && onSignal(),
    identify: guard((id: string | null) => {
      if (id !== null && (typeof id != 'string' || !id)) return warn('identify: not a string', id);
      userId = id;
      const s = load();
      if (s && !s.x) save(((s.u = id), s));
    }),
    endSession: () => running && guard(update)(now(), 0, 1),
    async flush() {
      if (running) {
        guard(update)(now(), FLUSH);
        await delivery.flush({ unloading: false });
      }
    },
    grantConsent: guard(() => o.consent == 'pending' && o.enabled && start()),
    stop: guard(() => {
      if (running) {
        if (PLUGINS) detach.map((remove) => remove());
        update(now(), FLUSH);
        running = 0;
        clearTimeout(timer);
        removers.map((remove) => remove());
        // A stopped tracker never starts again: `delivery` stays this one.
        void delivery.flush({ unloading: false }).then(() => delivery.stop());
      }
      stopped = 1;
    }),
  } as Omit<Tracker, 'use'> as Tracker;

  if (PLUGINS) tracker.use = guard((plugin: HostedPlugin) => void (running ? attach(plugin) : plugins.push(plugin)));
  const port: PluginPort = {
    now,
    window: win,
    tracker,
    page: () => view,
    engagement: (t = now()) => [viewMs + pendingMs(eng, t, o._bufferMs), t < engagedUntil(eng, o._bufferMs)],
    edit(edit) {
      const s = held || load();
      if (s && !s.x) edit(s), held || save(s);
    },
    debug: o.debugMode,
  };
  if (!o.enabled) log('disabled');
  else if (o.respectDoNotTrack && optedOut(win.navigator)) log('off: Do Not Track');
  else if (o.consent == 'pending') log('consent pending');
  else guard(start)();
  return tracker;
}
