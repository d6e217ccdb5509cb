// @vitest-environment node
// When the tracker's one timer fires next (src/core/schedule.ts). Each row pins one branch: removing
// it (or its condition) fails at least one row.
import { describe, expect, it } from 'vitest';
import { nextWake, type Rhythm } from '../../../src/core/schedule';
import { mergeInterval, startSession, type SessionState } from '../../../src/core/session';
import type { Threshold } from '../../../src/core/thresholds';

const SEC = 1_000;
const MIN = 60 * SEC;
const NOW = Date.UTC(2026, 0, 1, 9);
const casual: Threshold = { name: 'casual', ms: 30 * SEC, below: false };
const engaged: Threshold = { name: 'engaged', ms: 300 * SEC, below: true };
/** The defaults: 30 min expiry, a snapshot every 30 s. */
const usual: Rhythm = { _expiryMs: 30 * MIN, _flushMs: 30 * SEC, thresholds: [casual, engaged] };
/** A snapshot rarely: the other moments show. */
const rare: Rhythm = { ...usual, _flushMs: 10 * MIN };
/** An expiry of one minute: half of it comes before the snapshot. */
const short: Rhythm = { ...usual, _expiryMs: MIN, _flushMs: MIN };

/** A session whose last engaged instant is `lastActive`, with `engagedMs` of engaged time ending there. */
const session = (lastActive: number, engagedMs: number, fired: string[] = [], ended = false): SessionState => {
  const s = startSession('s1', lastActive - engagedMs, null, true);
  mergeInterval(s, '/a', [lastActive - engagedMs, lastActive]);
  s.a = fired;
  if (ended) s.x = 1;
  return s;
};
const all = ['casual', 'engaged'];

// [case, rhythm, engaged until, session, last snapshot at, expected]
const rows: [string, Rhythm, number, SessionState | undefined, number, number][] = [
  ['no session, not engaged: no timer', usual, NOW - 1, undefined, NOW, Infinity],
  ['no session, engagement ending right now: no timer (it is over, not due)', usual, NOW, undefined, NOW, Infinity],
  ['no session, engaged: a second from now, to start one', usual, NOW + MIN, undefined, NOW, NOW + SEC],
  ['no session, engagement running out within the second: then', usual, NOW + 500, undefined, NOW, NOW + 500],
  ['live session, not engaged: its expiry', usual, -Infinity, session(NOW - MIN, 10 * SEC), NOW, NOW - MIN + 30 * MIN],
  ['ended session, not engaged: no timer', usual, -Infinity, session(NOW - MIN, 10 * SEC, [], true), NOW, Infinity],
  ['ended session, engaged: a second from now, as without one', usual, NOW + MIN, session(NOW - MIN, 10 * SEC, [], true), NOW, NOW + SEC],
  ['live, engagement running out first: then', usual, NOW + 5 * SEC, session(NOW, 40 * SEC, all), NOW, NOW + 5 * SEC],
  ['live, engaged, the next snapshot first', usual, Infinity, session(NOW, 40 * SEC, all), NOW - 10 * SEC, NOW + 20 * SEC],
  ['live, engaged, half the expiry first (other tabs must not see it expire)', short, Infinity, session(NOW, 40 * SEC, all), NOW, NOW + 30 * SEC],
  ['live, engaged, the next threshold first', rare, Infinity, session(NOW, 25 * SEC), NOW, NOW + 5 * SEC],
  ['live, engaged, a threshold already alerted is not next', rare, Infinity, session(NOW, 10 * SEC, ['casual']), NOW, NOW + 290 * SEC],
  ['live, engaged again after a long gap: the expiry of the last engaged instant first', rare, NOW + MIN, session(NOW - 29 * MIN - 54 * SEC, 10 * SEC, all), NOW, NOW + 6 * SEC],
];

describe('nextWake', () => {
  it.each(rows)('%s', (_case, rhythm, until, s, lastSnapAt, expected) => {
    expect(nextWake(rhythm, NOW, until, s, lastSnapAt)).toBe(expected);
  });
});
