/**
 * The tracker's public types: its options, events, methods and injected dependencies
 * (src/browser/tracker.ts builds it).
 */
import type { AlertRecord, SessionRecord, WireRecord } from '../core/records';
import type { TrackerOptions as CoreOptions } from '../core/options';
import type { DeliveryOptions } from '../delivery';
import type { Delivery } from '../delivery/types';
import type { HostedPlugin } from './plugins';

/** The tracker's options (src/core/options.ts), with the plugins to set up when it starts. */
export type TrackerOptions = CoreOptions<HostedPlugin>;

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
  /**
   * The current session record as it would be sent now; `null` without a measured session: sampled
   * out, or before any engaged time (a session begins with the first engaged interval, so a signal
   * and a snapshot in the same millisecond find none yet).
   */
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
  /**
   * Sets up a plugin made with `definePlugin` (session-metrics/plugin): now when the tracker runs, else
   * when it starts.
   */
  use(plugin: HostedPlugin): void;
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
