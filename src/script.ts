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
 * - `data-adapters="ga4,posthog"` wires the adapters whose files (`dist/adapters/<name>.min.js`)
 *   load, before or after this one (docs/adapters.md).
 */
import { createTracker } from './browser/tracker';
import { warn } from './browser/warn';

export { createTracker };

type Call = [name: string, ...args: unknown[]];

/** Defined by the adapter files when they load (src/adapters/script/register.ts): hands records to the named adapters. */
declare const sessionMetricsAdapters: (adapters: string, records: unknown, options: unknown) => unknown;

const script = document.currentScript as HTMLScriptElement | null;
const w = window as unknown as { sessionMetrics?: { q?: ArrayLike<unknown>[] } | typeof call };
let tracker: Record<string, (...a: unknown[]) => unknown> | undefined;
let waiting: Call[] = [];

/**
 * Data attributes are strings: numbers and booleans are read back, page lists split on commas, and
 * `data-adapters` becomes the transport that feeds the adapter files.
 */
const fromDataset = (data: DOMStringMap) => {
  const o: Record<string, unknown> = {};
  for (const k in data) {
    const v = data[k]!;
    o[k == 'adapters' ? 'transport' : k] =
      k == 'adapters'
        ? // One transport whose sends go to the adapter files, which may load before or after this one: until
          // they have, the send fails (sessionMetricsAdapters is not defined), and delivery keeps the records
          // and retries. This is the default bundle's only adapter code (docs/adapters.md, "Script tag").
          { name: k, send: (records: unknown, options: unknown) => sessionMetricsAdapters(v, records, options) }
        : k == 'trackSpecificPages'
        ? v.match(/[^,\s]+/g) || []
        : v == 'true' || (v != 'false' && (/^(siteId|endpoint|consent)$/.test(k) || isNaN(+v) || !v ? v : +v));
  }
  return o;
};

const call = (...[name, ...args]: Call): unknown =>
  name == 'init'
    ? tracker
      ? warn('already started')
      : ((tracker = createTracker(args[0] as never) as never), waiting.splice(0).map((c) => call(...c)), undefined)
    : !tracker
      ? void waiting.push([name, ...args])
      : tracker[name]
        ? tracker[name]!(...args)
        : warn('unknown call', name);

if (script?.dataset.endpoint) call('init', fromDataset(script.dataset));
const queue = (w.sessionMetrics as { q?: ArrayLike<unknown>[] } | undefined)?.q;
w.sessionMetrics = call;
// Queued `arguments` objects are iterable, so they spread as they are.
if (queue) Array.from(queue, (args) => call(...(args as unknown as Call)));
