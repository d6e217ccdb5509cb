/**
 * `session-metrics/adapters/ga4`: engaged time into Google Analytics 4 through gtag.js, as deltas
 * (GA4 sums): `gtag('event', 'sm_session', { sm_engaged_ms, … })` whenever a session's engaged time
 * grew, so that the sum of `sm_engaged_ms` over a session's events is its engaged time, once.
 * Without `window.gtag` it queues the command in `window.dataLayer` the way gtag's own snippet does,
 * for gtag.js to run when it loads.
 */
import { adapterTransport, type AdapterOptions } from './base';
import { toGa4Event } from './map/ga4';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

export interface Ga4AdapterOptions extends AdapterOptions {
  /** @defaultValue `window.gtag`, else a function that pushes its `arguments` to `window.dataLayer`, looked up at send time */
  gtag?: (...command: unknown[]) => void;
}

function queueInDataLayer() {
  // gtag.js runs only `arguments` objects from the dataLayer, never arrays: the snippet's own function.
  ((globalThis as any).dataLayer ||= []).push(arguments);
}

export const ga4Adapter = (options: Ga4AdapterOptions = {}): Transport =>
  adapterTransport('ga4', options, 'deltas', (reports, c) => {
    const gtag = options.gtag || (globalThis as any).gtag || queueInDataLayer;
    for (const report of reports) {
      const { name, params } = toGa4Event(report, c);
      gtag('event', name, params);
    }
  });
