/**
 * `data-adapters="ga4,posthog"` on the session-metrics script tag, or `adapters: ['ga4', 'posthog']` in
 * `sessionMetrics('init', …)`, with no code for it in session-metrics.min.js (which has 2 B of its
 * budget left): `dist/adapters/base.min.js` runs first and gives that init the one transport that
 * hands records to the named adapter files at send time (src/adapters/script/register.ts).
 *
 * The tracker's transports are fixed when it starts (src/delivery/index.ts makes one queue lane per
 * transport), so this has to happen before session-metrics.min.js runs: load every file `defer`, with
 * base.min.js (and the adapter files) before session-metrics.min.js (docs/adapters.md, "Script tag").
 * - `init` calls wait in the pre-load stub's queue (`sessionMetrics.q`, src/script.ts): their
 *   options get the transport, and later calls through the stub are handled the same way.
 * - A tag with `data-endpoint` starts the tracker from its data attributes: its `data-endpoint` is
 *   moved into an `init` at the head of the queue, read as the tag would read it
 *   (src/browser/dataset.ts), with the transport; the tag then starts nothing itself.
 * When session-metrics.min.js ran first (its global `SessionMetrics` is there), it is too late: said
 * once on the console; the tracker itself says `unknown option adapters` for an `init` with them.
 */
import { fromDataset } from '../../browser/dataset';
import { warn } from '../../browser/warn';
import type { SendOptions, Transport } from '../../transports/transport';
import type { WireRecord } from '../../core/records';

type Stub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

/** Options with `adapters` get the adapters transport beside their own (and lose `adapters`, which the tracker does not know). */
const withAdapters = (w: any, o: any) => {
  if (o && o.adapters) {
    const names = '' + o.adapters;
    const adapters: Transport = {
      name: 'adapters',
      send: (records: readonly WireRecord[], options: SendOptions) => w.sessionMetricsAdapters(names, records, options),
    };
    o.transport = [o.transport || [], adapters].flat();
    delete o.adapters;
  }
  return o;
};

export function wire(w: any, doc: Document): void {
  const tag = doc.querySelector<HTMLScriptElement>('script[data-adapters]');
  if (w.SessionMetrics) {
    if (tag) warn('data-adapters: dist/adapters/base.min.js must run before session-metrics.min.js (load both defer, base.min.js first)');
    return;
  }
  const queue: ArrayLike<unknown>[] & unknown[][] = (w.sessionMetrics?.q || []) as never;
  for (const args of queue) if (args[0] == 'init') withAdapters(w, args[1]);
  if (tag?.dataset.endpoint) {
    const options = fromDataset(tag.dataset);
    delete tag.dataset.endpoint;
    queue.unshift(['init', withAdapters(w, options)]);
  }
  const stub: Stub = function () {
    // Queued as `arguments` objects, like the inline stub does.
    if (arguments[0] == 'init') withAdapters(w, arguments[1]);
    queue.push(arguments as never);
  };
  stub.q = queue;
  w.sessionMetrics = stub;
}
