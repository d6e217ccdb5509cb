/**
 * `session-metrics/adapters/amplitude`: one final `sm_session` event per session into Amplitude
 * through `@amplitude/analytics-browser`, with an `insert_id` derived from site, session and kind
 * (Amplitude de-duplicates by it) and `session_id` the ms of the session's `startedAt`.
 */
import { adapterTransport, vendorGlobal, type AdapterOptions } from './base';
import { toAmplitudeEvent } from './map/amplitude';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

/** What the adapter uses of `@amplitude/analytics-browser`. */
export interface AmplitudeLike {
  track(eventType: string, eventProperties: object, eventOptions: { insert_id: string; session_id: number; time: number }): unknown;
}

export interface AmplitudeAdapterOptions extends AdapterOptions {
  /** @defaultValue `window.amplitude`, looked up at send time (records wait in the queue until it is there) */
  amplitude?: AmplitudeLike;
}

export const amplitudeAdapter = (options: AmplitudeAdapterOptions = {}): Transport =>
  adapterTransport('amplitude', options, 'final', (reports, c) => {
    const amplitude = vendorGlobal('amplitude', options.amplitude);
    for (const report of reports) {
      const { event_type, event_properties, ...eventOptions } = toAmplitudeEvent(report, c);
      amplitude.track(event_type, event_properties, eventOptions);
    }
  });
