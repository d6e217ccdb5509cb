/**
 * `session-metrics/adapters/matomo`: one final event per session into Matomo through its JavaScript
 * tracker's command queue, `_paq.push(['trackEvent', 'session-metrics', 'sm_session', band, seconds])`:
 * Matomo's Events report then shows the sessions' engaged time as the events' total and average value.
 */
import { adapterTransport, type AdapterOptions } from './base';
import { toMatomoCommand } from './map/matomo';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

export interface MatomoAdapterOptions extends AdapterOptions {
  /** The event category. @defaultValue `'session-metrics'` */
  category?: string;
  /** @defaultValue `window._paq` (created when missing, as Matomo's snippet does), looked up at send time */
  paq?: { push(command: unknown[]): unknown };
}

export const matomoAdapter = (options: MatomoAdapterOptions = {}): Transport =>
  adapterTransport('matomo', options, 'final', (reports, c) => {
    const paq = options.paq || ((globalThis as any)._paq ||= []);
    for (const report of reports) paq.push(toMatomoCommand(report, { ...c, category: options.category || 'session-metrics' }));
  });
