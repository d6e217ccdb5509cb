/**
 * The session as a pure state machine (SEMANTICS.md, "Session").
 *
 * The state is plain JSON: the tracker keeps it in first-party storage where every tab of the site
 * reads, merges into and writes it back, so all tabs share one id, one `seq` and one union of engaged
 * time. `commit` is the only transition: it folds a tab's realized intervals into the session,
 * ending it and starting the next one when a gap reaches the expiry threshold.
 */
import type { Interval } from './engagement';
import { addGap, createBreakTally, type BreakTally } from './breaks';
import { addInterval, createTimeline, type Timeline } from './timeline';

/** What a session and each of its pages keep: one shape, so that both are extended alike. */
export interface Span {
  /** First instant (epoch ms): a session's first engaged instant, a page's first view. */
  f: number;
  /** Last instant: a session's last engaged instant, a page's last view or engaged instant. */
  l: number;
  /** Engaged time (a page's: while it was current). */
  t: Timeline;
  /** Fields that plugins set (src/plugin/host.ts), absent while none. */
  e?: Record<string, unknown>;
}

export interface PageState extends Span {
  /** Views. */
  v: number;
}

/** `f` is `startedAt` and `l` is `lastActiveAt`. */
export interface SessionState extends Span {
  id: string;
  /** Last `seq` used by a snapshot. */
  seq: number;
  /** User id from `identify()`. */
  u: string | null;
  b: BreakTally;
  /** Pages by name; `null` when the session is sampled out and keeps only what expiry needs. */
  p: Record<string, PageState> | null;
  /** Thresholds already alerted `above`. */
  a: string[];
  /** The tab that snapshotted `seq` (each tab draws a random number), so tabs can tell a tie from a carried seq. */
  w?: number;
  /** Set once the session has ended. */
  x?: 1;
}

export const startSession = (id: string, at: number, userId: string | null, keepPages: boolean): SessionState => ({
  id,
  seq: 0,
  u: userId,
  f: at,
  l: at,
  t: createTimeline(),
  b: createBreakTally(),
  p: keepPages ? {} : null,
  a: [],
});

/** End of the last engaged interval: `lastActiveAt`. */
export const lastActive = (s: SessionState): number => s.l;

/** A live session whose last engaged instant is `thresholdMs` or more before `now` has expired. */
export const isExpired = (s: SessionState, now: number, thresholdMs: number): boolean =>
  !s.x && now - lastActive(s) >= thresholdMs;

/**
 * Most pages per session. Beyond it new pages count as `(other)`, so that one record stays far under
 * the 60 KiB body budget (about 200 bytes a page) while no engaged time is dropped.
 */
export const MAX_PAGES = 100;

/** The page state of `path` (created when `at` is given), `undefined` without page records. */
const pageOf = (s: SessionState, path: string | null, at?: number) => {
  const p = s.p;
  if (p && path !== null) {
    const k = path in p || Object.keys(p).length < MAX_PAGES ? path : '(other)';
    return at === undefined ? p[k] : (p[k] ??= { v: 0, f: at, l: at, t: createTimeline() });
  }
};

/** Adds `iv` to the span's engaged time; its last instant moves to the interval's end. */
const extend = (x: Span, iv: Interval, onFold?: (gap: number | null) => void) => {
  addInterval(x.t, iv, onFold);
  x.l = Math.max(x.l, iv[1]);
};

/**
 * Adds one engaged interval of the page `path` (`null`: no page record) to the session. Adding an
 * interval already there changes nothing (a union), which lets a tab add its recent intervals again:
 * localStorage reaches other processes asynchronously, so a tab writing at the same moment as
 * another may overwrite its commit, and the next commit of the overwritten tab repairs it.
 */
export function mergeInterval(s: SessionState, path: string | null, iv: Interval): void {
  if (!s.t.f) s.f = Math.min(s.f, iv[0]);
  extend(s, iv, (gap) => gap !== null && addGap(s.b, gap));
  const page = pageOf(s, path);
  if (page) extend(page, iv);
}

/**
 * Merges a tab's intervals (sorted) into the shared session. A gap of `thresholdMs` or more since the
 * session's last engaged instant ends it (the run of gaps shorter than the threshold is over) and starts
 * a new session at that interval; with nothing left to merge, a session whose expiry has passed at `now`
 * ends. `path` is the page current while the intervals were realized (after `pageName`, `null` when it
 * gets no page record) and `viewAt` the time it became current, when that view is not counted yet; a
 * new session counts the current page as viewed. `keeps(id)`: whether a session is sampled in (keeps
 * pages). `onEnd` and `onStart` see each session that ends or starts, in order.
 *
 * Mutates `state`; returns the session to store (live or ended), if any, and whether the view at
 * `viewAt` is still to be counted (no live session took it).
 */
export function commit(
  state: SessionState | undefined,
  intervals: readonly Interval[],
  path: string | null,
  viewAt: number | null,
  now: number,
  thresholdMs: number,
  userId: string | null,
  newId: () => string,
  keeps: (id: string) => boolean,
  onEnd: (s: SessionState) => void,
  onStart: (s: SessionState) => void,
): [state: SessionState | undefined, viewPending: boolean] {
  const end = (s: SessionState) => onEnd(((s.x = 1), s));
  const view = (s: SessionState) => {
    if (path !== null && viewAt !== null) {
      const p = pageOf(s, path, viewAt);
      if (p) {
        p.v++;
        p.f = Math.min(p.f, viewAt);
        p.l = Math.max(p.l, viewAt);
      }
      viewAt = null;
    }
  };
  for (const iv of intervals) {
    if (!state || state.x || iv[0] - lastActive(state) >= thresholdMs) {
      if (state && !state.x) end(state);
      const id = newId();
      onStart((state = startSession(id, iv[0], state ? state.u : userId, keeps(id))));
      viewAt = iv[0];
    }
    view(state);
    mergeInterval(state, path, iv);
  }
  if (state && isExpired(state, now, thresholdMs)) end(state);
  if (state && !state.x) view(state);
  return [state, viewAt !== null && path !== null];
}

/**
 * A tab's own engaged time in its session, per page (`null`: no page record), which it merges back
 * (`mendWith`) into a state another tab wrote without it. Each page's is a timeline, so a run of
 * touching intervals stays one interval: a tab realizes an unbroken stretch of engagement in as many
 * pieces as it commits, and all of that stretch must survive an overwrite, not only its last pieces.
 * Beyond the timeline's tail the oldest intervals fold and are no longer mended.
 */
export type OwnTime = Map<string | null, Timeline>;

/** Adds a tab's newest intervals on `page` to `own`; those before `from` (the session's start) belong to an earlier session. */
export function remember(own: OwnTime, page: string | null, intervals: readonly Interval[], from: number): void {
  for (const iv of intervals) if (iv[0] >= from) addInterval(own.get(page) || own.set(page, createTimeline()).get(page)!, iv);
}

/** Merges `own` into `s` (a union: it changes `s` only where something of it was missing). */
export const mendWith = (s: SessionState, own: OwnTime): void =>
  own.forEach((t, page) => t.i.map((iv) => mergeInterval(s, page, iv)));
