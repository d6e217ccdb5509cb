/**
 * session-metrics: measure how long people really engage with a page or a learning session.
 * See docs/semantics.md for what every number means.
 */
export { createTracker } from './browser/tracker';
export type { Tracker, TrackerEvents, TrackerDeps } from './browser/tracker';
export type { TrackerOptions, ThresholdOption } from './core/options';
export type { AlertRecord, BreakStats, Meta, PageStats, SessionRecord, WireRecord } from './core/records';
export type { SendOptions, Transport } from './transports/transport';
export { DeliveryError } from './transports/transport';
