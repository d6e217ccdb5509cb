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
import { addInterval, createTimeline, lastEnd, type Timeline } from './timeline';

export interface PageState {
  /** Views. */
  v: number;
  /** First and last seen (epoch ms). */
  f: number;
  l: number;
  /** Engaged time while current. */
  t: Timeline;
}

export interface SessionState {
  id: string;
  /** Last `seq` used by a snapshot. */
  seq: number;
  /** User id from `identify()`. */
  u: string | null;
  /** Start of the first engaged interval. */
  s: number;
  t: Timeline;
  b: BreakTally;
  /** Pages by name; `null` when the session is sampled out and keeps only what expiry needs. */
  p: Record<string, PageState> | null;
  /** Thresholds already alerted `above`. */
  a: string[];
  /** Set once the session has ended. */
  x?: 1;
}

export const startSession = (id: string, at: number, userId: string | null, keepPages: boolean): SessionState => ({
  id,
  seq: 0,
  u: userId,
  s: at,
  t: createTimeline(),
  b: createBreakTally(),
  p: keepPages ? {} : null,
  a: [],
});

/** End of the last engaged interval: `lastActiveAt`. */
export const lastActive = (s: SessionState): number => lastEnd(s.t) || s.s;

/** A live session whose last engaged instant is `thresholdMs` or more before `now` has expired. */
export const isExpired = (s: SessionState, now: number, thresholdMs: number): boolean =>
  !s.x && now - lastActive(s) >= thresholdMs;

/**
 * Most pages per session. Beyond it new pages count as `(other)`, so that one record stays far under
 * the 60 KiB body budget (about 200 bytes a page) while no engaged time is dropped.
 */
export const MAX_PAGES = 100;

const pageKey = (pages: Record<string, PageState>, path: string) =>
  path in pages || Object.keys(pages).length < MAX_PAGES ? path : '(other)';

/** Counts a view of `path` at `at`. */
export function viewPage(s: SessionState, path: string, at: number): void {
  if (!s.p) return;
  const p = (s.p[pageKey(s.p, path)] ??= { v: 0, f: at, l: at, t: createTimeline() });
  p.v++;
  p.f = Math.min(p.f, at);
  p.l = Math.max(p.l, at);
}

/**
 * Adds one engaged interval of the page `path` (`null`: no page record) to the session. Adding an
 * interval already there changes nothing (a union), which lets a tab add its recent intervals again:
 * localStorage reaches other processes asynchronously, so a tab writing at the same moment as
 * another may overwrite its commit, and the next commit of the overwritten tab repairs it.
 */
export function mergeInterval(s: SessionState, path: string | null, iv: Interval): void {
  if (!s.t.f) s.s = Math.min(s.s, iv[0]);
  addInterval(s.t, iv, (gap) => gap !== null && addGap(s.b, gap));
  const page = path !== null && s.p?.[pageKey(s.p, path)];
  if (page) {
    addInterval(page.t, iv);
    page.l = Math.max(page.l, iv[1]);
  }
}

/** What one tab brings to a commit. */
export interface CommitInput {
  /** The tab's realized intervals, sorted. */
  intervals: readonly Interval[];
  /** The page current while they were realized (after `pageName`), `null` when it gets no page record. */
  path: string | null;
  /** Time this page became current, when that view is not yet counted. */
  viewAt: number | null;
  now: number;
  thresholdMs: number;
  userId: string | null;
  newId: () => string;
  /** Whether a session with this id is sampled in (keeps pages). */
  keeps: (id: string) => boolean;
}

export interface CommitResult {
  /** The session to store (live or ended), if any. */
  state: SessionState | undefined;
  /** Sessions that ended during this commit, in order. */
  ended: SessionState[];
  /** Sessions that started during this commit. */
  started: SessionState[];
  /** Whether the view at `viewAt` is still to be counted (no live session took it). */
  viewPending: boolean;
}

/**
 * Merges a tab's intervals into the shared session. A gap of `thresholdMs` or more since the session's
 * last engaged instant ends it (the run of gaps shorter than the threshold is over) and starts a new
 * session at that interval; with nothing left to merge, a session whose expiry has passed at `now` ends.
 * The new session counts the current page as viewed. Mutates and returns `state`.
 */
export function commit(state: SessionState | undefined, c: CommitInput): CommitResult {
  const ended: SessionState[] = [];
  const started: SessionState[] = [];
  let viewAt = c.viewAt;
  const end = (s: SessionState) => {
    s.x = 1;
    ended.push(s);
  };
  for (const iv of c.intervals) {
    if (!state || state.x || iv[0] - lastActive(state) >= c.thresholdMs) {
      if (state && !state.x) end(state);
      const id = c.newId();
      state = startSession(id, iv[0], state ? state.u : c.userId, c.keeps(id));
      started.push(state);
      viewAt = iv[0];
    }
    if (c.path !== null && viewAt !== null) {
      viewPage(state, c.path, viewAt);
      viewAt = null;
    }
    mergeInterval(state, c.path, iv);
  }
  if (state && isExpired(state, c.now, c.thresholdMs)) end(state);
  if (state && !state.x && viewAt !== null && c.path !== null) {
    viewPage(state, c.path, viewAt);
    viewAt = null;
  }
  return { state, ended, started, viewPending: viewAt !== null && c.path !== null };
}
