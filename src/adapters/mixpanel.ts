/**
 * `session-metrics/adapters/mixpanel`: one final `sm_session` event per session into Mixpanel through
 * mixpanel-browser, with a `$insert_id` derived from site, session and kind and a fixed `time`, so
 * that Mixpanel counts the copies from tabs, reloads and retries once.
 */
import { adapterTransport, vendorGlobal, type AdapterOptions } from './base';
import { toMixpanelEvent } from './map/mixpanel';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

/** What the adapter uses of mixpanel-browser. */
export interface MixpanelLike {
  track(event: string, properties: object): unknown;
}

export interface MixpanelAdapterOptions extends AdapterOptions {
  /** @defaultValue `window.mixpanel`, looked up at send time (records wait in the queue until it is there) */
  mixpanel?: MixpanelLike;
}

export const mixpanelAdapter = (options: MixpanelAdapterOptions = {}): Transport =>
  adapterTransport('mixpanel', options, 'final', (reports, c) => {
    const mixpanel = vendorGlobal('mixpanel', options.mixpanel);
    for (const report of reports) {
      const { event, properties } = toMixpanelEvent(report, c);
      mixpanel.track(event, properties);
    }
  });
