/**
 * When a threshold alert fires and with which time (docs/semantics.md, "Thresholds and alerts").
 * Only a sampled-in session alerts: the tracker asks only for one that keeps pages.
 */
import type { AlertRecord } from './records';
import { lastActive, type SessionState } from './session';
import { toAlertRecord, type RecordContext } from './snapshot';
import { unionMs } from './timeline';

type Context = Pick<RecordContext, 'siteId' | 'thresholds'>;

/**
 * The `above` alerts of the thresholds that the engaged time of `s` has reached and that `s` has not
 * alerted yet, smallest first, each at the instant it was crossed: (engaged - threshold) of engaged
 * time before the last engaged instant. Marks them alerted in `s` (`s.a`, shared by every tab), so each
 * fires once per session.
 */
export const above = (c: Context, s: SessionState): AlertRecord[] => {
  const engaged = unionMs(s.t);
  return c.thresholds
    .filter((t) => engaged >= t.ms && !s.a.includes(t.name))
    .sort((a, b) => a.ms - b.ms)
    .map((t) => (s.a.push(t.name), toAlertRecord(s, t.name, 'above', lastActive(s) - engaged + t.ms, c.siteId)));
};

/** When `s` ends: the `below` alerts of the thresholds marked `below` that it missed, at its last engaged instant. */
export const below = (c: Context, s: SessionState): AlertRecord[] =>
  c.thresholds.filter((t) => t.below && unionMs(s.t) < t.ms).map((t) => toAlertRecord(s, t.name, 'below', lastActive(s), c.siteId));
