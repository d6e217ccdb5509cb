/**
 * session-metrics/plugin: `definePlugin`, which hosts a plugin on a tracker (src/plugin/host.ts).
 */
export { definePlugin, MAX_PLUGIN_BYTES } from './host';
export type { HostedPlugin, PluginContext, PluginPage, PluginSession, TrackerPlugin } from './host';
