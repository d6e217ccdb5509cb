/**
 * Engagement of one tab, as data (SEMANTICS.md, "Engaged time").
 *
 * At instant t the tab is engaged when it is visible and either media is playing or the last activity
 * signal is less than the buffer before t. Between two events nothing of that changes, so engagement
 * is realized as whole intervals when the next event (or timer) arrives, never by counting ticks:
 * a sleeping laptop or a frozen page simply realizes `[_at, _sig + buffer]` when it wakes up.
 *
 * These functions update the given state in place and read no clock: callers pass `now`.
 */

/** `[start, end)` in epoch ms. */
export type Interval = [start: number, end: number];

/** In memory only: `_` names are shortened in the bundle. */
export interface Engagement {
  /** The page is visible. */
  _vis: boolean;
  /** A `<video>`/`<audio>` is playing. */
  _media: boolean;
  /** Last activity signal (epoch ms); `-Infinity` before the first. */
  _sig: number;
  /** Engagement is realized up to here. */
  _at: number;
  /** Realized engaged intervals not yet committed to the session: sorted, disjoint. */
  _out: Interval[];
}

/** A tab that just loaded: loading while visible is an activity signal; loading hidden is not. */
export const createEngagement = (now: number, visible: boolean): Engagement => ({
  _vis: visible,
  _media: false,
  _sig: visible ? now : -Infinity,
  _at: now,
  _out: [],
});

/** When engagement ends if nothing else happens: never while media plays, `-Infinity` while hidden. */
export const engagedUntil = (e: Engagement, bufferMs: number): number =>
  e._vis ? (e._media ? Infinity : e._sig + bufferMs) : -Infinity;

/** Realizes the engaged part of `[e._at, now]`. A clock that went backwards realizes nothing. */
export function advance(e: Engagement, now: number, bufferMs: number): void {
  const end = Math.min(now, engagedUntil(e, bufferMs));
  const last = e._out[e._out.length - 1];
  if (end > e._at) last && last[1] >= e._at ? (last[1] = end) : e._out.push([e._at, end]);
  e._at = Math.max(e._at, now);
}

/** An activity signal at `now`. */
export function signal(e: Engagement, now: number, bufferMs: number): void {
  advance(e, now, bufferMs);
  e._sig = Math.max(e._sig, now);
}

/** The page became visible (itself a signal) or hidden (credit stops at once). */
export function setVisible(e: Engagement, visible: boolean, now: number, bufferMs: number): void {
  advance(e, now, bufferMs);
  if ((e._vis = visible)) signal(e, now, bufferMs);
}

/**
 * Media started or stopped. Playing media is activity at every instant, so the moment it stops is
 * the last activity signal: the buffer runs from there, as after any other signal. (Counting the
 * start as a signal too changes nothing: while media plays, `sig` does not matter, and the stop
 * moves it again.)
 */
export function setMedia(e: Engagement, playing: boolean, now: number, bufferMs: number): void {
  signal(e, now, bufferMs);
  e._media = playing;
}

/** Engaged ms realized and not taken yet, plus what realizing up to `now` would add. */
export const pendingMs = (e: Engagement, now: number, bufferMs: number): number =>
  e._out.reduce((ms, [start, end]) => ms + end - start, Math.max(0, Math.min(now, engagedUntil(e, bufferMs)) - e._at));

/** Hands over the realized intervals, leaving none pending. */
export function take(e: Engagement): Interval[] {
  const out = e._out;
  e._out = [];
  return out;
}
