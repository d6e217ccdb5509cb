/**
 * The script-tag build (`dist/session-metrics.min.js`, an IIFE exposing the global `SessionMetrics`).
 *
 * - `SessionMetrics.createTracker(options)` works as the npm import does.
 * - A script tag with `data-endpoint` starts a tracker by itself, with options from its data
 *   attributes (`data-site-id`, `data-sampling-rate`, `data-buffer-time-before-end`,
 *   `data-session-expiration-threshold`, `data-track-specific-pages` comma-separated, `data-debug-mode`, ...).
 * - Calls made before the script loaded, through the stub
 *   `window.sessionMetrics = window.sessionMetrics || function () { (sessionMetrics.q = sessionMetrics.q || []).push(arguments) }`,
 *   are replayed in order: `sessionMetrics('init', options)` starts a tracker (when no `data-endpoint`
 *   did), any other name calls that tracker method (`sessionMetrics('identify', 'u1')`,
 *   `sessionMetrics('on', 'threshold', fn)`). Afterwards `window.sessionMetrics` calls the tracker at once.
 */
import type { HostedPlugin, TrackerPlugin } from './browser/plugins';
import { fromDataset } from './browser/dataset';
import { createTracker } from './browser/tracker';
import { warn } from './browser/warn';
import { PLUGINS } from './features';
import { definePlugin } from './plugin/host';

export { createTracker };

type Call = [name: string, ...args: unknown[]];

const script = document.currentScript as HTMLScriptElement | null;
const w = window as unknown as { sessionMetrics?: { q?: ArrayLike<unknown>[] } | typeof call };
let tracker: Record<string, (...a: unknown[]) => unknown> | undefined;
let waiting: Call[] = [];

/**
 * With the plugin seam, plugin files hand over plugins unhosted (src/plugins/use.ts) and this file hosts
 * them: one host per page, however many plugin files it loads. A hosted plugin passes as it is.
 */
const hosted = (plugin: unknown) => ((plugin as HostedPlugin)?.attach ? plugin : definePlugin(plugin as TrackerPlugin));

const call = (...[name, ...args]: Call): unknown =>
  name == 'init'
    ? tracker
      ? warn('already started')
      : ((tracker = createTracker(args[0] as never) as never), waiting.splice(0).map((c) => call(...c)), undefined)
    : !tracker
      ? void waiting.push([name, ...args])
      : // Only the tracker's own methods: `__proto__` or `toString` name nothing to call.
        tracker.hasOwnProperty(name)
        ? tracker[name]!(...(PLUGINS && name == 'use' ? args.map(hosted) : args))
        : warn('unknown call', name);

if (script?.dataset.endpoint) call('init', fromDataset(script.dataset));
const queue = (w.sessionMetrics as { q?: ArrayLike<unknown>[] } | undefined)?.q;
w.sessionMetrics = call;
// Queued `arguments` objects are iterable, so they spread as they are.
if (queue) Array.from(queue, (args) => call(...(args as unknown as Call)));
