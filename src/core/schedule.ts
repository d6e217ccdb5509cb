/**
 * When the tracker's one timer fires next (docs/semantics.md, "Time and signals"): nothing ticks, so
 * the tracker wakes only at the next moment that matters.
 */
import type { ResolvedOptions } from './options';
import { lastActive, type SessionState } from './session';
import { untilNext } from './thresholds';
import { unionMs } from './timeline';

/** What the timer depends on of the options. */
export type Rhythm = Pick<ResolvedOptions, '_expiryMs' | '_flushMs' | 'thresholds'>;

/**
 * The next moment (epoch ms) the tracker must wake after `now`, `Infinity` for none. `until` is when
 * this tab's engagement runs out (`engagedUntil`, core/engagement.ts), `s` the stored session,
 * `lastSnapAt` when this tab last snapshotted.
 *
 * - A live session expires `_expiryMs` after its last engaged instant, engaged or not.
 * - While engaged: when engagement runs out; with a live session also the next snapshot, the next
 *   threshold, and often enough (half the expiry) that other tabs never see this session expire under
 *   it; without one yet, a second from now (a session starts with the first engaged interval).
 */
export const nextWake = (r: Rhythm, now: number, until: number, s: SessionState | undefined, lastSnapAt: number): number =>
  Math.min(
    s && !s.x ? lastActive(s) + r._expiryMs : Infinity,
    until > now
      ? Math.min(
          until,
          s && !s.x
            ? Math.min(lastSnapAt + r._flushMs, now + r._expiryMs / 2, now + untilNext(r.thresholds, unionMs(s.t), s.a))
            : now + 1e3,
        )
      : Infinity,
  );
