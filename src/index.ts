/**
 * session-metrics: measure how long people really engage with a page or a learning session.
 * See docs/semantics.md for what every number means.
 */
export { createTracker } from './browser/tracker';
export type { Tracker, TrackerEvents, TrackerDeps, TrackerOptions } from './browser/tracker';
export type { ThresholdOption } from './core/options';
export type { HostedPlugin, PluginContext, PluginPage, PluginPort, PluginSession, TrackerPlugin } from './browser/plugins';
export type { AlertRecord, BreakStats, Meta, PageStats, SessionRecord, WireRecord } from './core/records';
export type { SendOptions, Transport } from './transports/transport';
export { DeliveryError } from './transports/transport';
