/**
 * Engagement of one tab, as data (SEMANTICS.md, "Engaged time").
 *
 * At instant t the tab is engaged when it is visible and either media is playing or the last activity
 * signal is less than the buffer before t. Between two events nothing of that changes, so engagement
 * is realized as whole intervals when the next event (or timer) arrives, never by counting ticks:
 * a sleeping laptop or a frozen page simply realizes `[at, sig + buffer]` when it wakes up.
 *
 * These functions update the given state in place and read no clock: callers pass `now`.
 */

/** `[start, end)` in epoch ms. */
export type Interval = [start: number, end: number];

export interface Engagement {
  /** The page is visible. */
  vis: boolean;
  /** A `<video>`/`<audio>` is playing. */
  media: boolean;
  /** Last activity signal (epoch ms); `-Infinity` before the first. */
  sig: number;
  /** Engagement is realized up to here. */
  at: number;
  /** Realized engaged intervals not yet committed to the session: sorted, disjoint. */
  out: Interval[];
}

/** A tab that just loaded: loading while visible is an activity signal; loading hidden is not. */
export const createEngagement = (now: number, visible: boolean): Engagement => ({
  vis: visible,
  media: false,
  sig: visible ? now : -Infinity,
  at: now,
  out: [],
});

/** When engagement ends if nothing else happens: never while media plays, `-Infinity` while hidden. */
export const engagedUntil = (e: Engagement, bufferMs: number): number =>
  e.vis ? (e.media ? Infinity : e.sig + bufferMs) : -Infinity;

/** Realizes the engaged part of `[e.at, now]`. A clock that went backwards realizes nothing. */
export function advance(e: Engagement, now: number, bufferMs: number): void {
  const end = Math.min(now, engagedUntil(e, bufferMs));
  const last = e.out[e.out.length - 1];
  if (end > e.at) last && last[1] >= e.at ? (last[1] = end) : e.out.push([e.at, end]);
  e.at = Math.max(e.at, now);
}

/** An activity signal at `now`. */
export function signal(e: Engagement, now: number, bufferMs: number): void {
  advance(e, now, bufferMs);
  e.sig = Math.max(e.sig, now);
}

/** The page became visible (itself a signal) or hidden (credit stops at once). */
export function setVisible(e: Engagement, visible: boolean, now: number, bufferMs: number): void {
  advance(e, now, bufferMs);
  if ((e.vis = visible)) signal(e, now, bufferMs);
}

/**
 * Media started or stopped. Playing media is activity at every instant, so the moment it stops is
 * the last activity signal: the buffer runs from there, as after any other signal. (Counting the
 * start as a signal too changes nothing: while media plays, `sig` does not matter, and the stop
 * moves it again.)
 */
export function setMedia(e: Engagement, playing: boolean, now: number, bufferMs: number): void {
  signal(e, now, bufferMs);
  e.media = playing;
}

/** Hands over the realized intervals, leaving none pending. */
export function take(e: Engagement): Interval[] {
  const out = e.out;
  e.out = [];
  return out;
}
