/**
 * `session-metrics/adapters/posthog`: one final `sm_session` event per session into PostHog through
 * posthog-js, with a `uuid` derived from site, session and kind, so that PostHog keeps one event
 * however many tabs, reloads and retries sent it. PostHog's own `$session_id` is left alone.
 */
import { adapterTransport, vendorGlobal, type AdapterOptions } from './base';
import { toPosthogEvent } from './map/posthog';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

/** What the adapter uses of posthog-js. */
export interface PosthogLike {
  capture(event: string, properties: object, options: { uuid: string; timestamp: Date }): unknown;
}

export interface PosthogAdapterOptions extends AdapterOptions {
  /** @defaultValue `window.posthog`, looked up at send time (records wait in the queue until it is there) */
  posthog?: PosthogLike;
}

export const posthogAdapter = (options: PosthogAdapterOptions = {}): Transport =>
  adapterTransport('posthog', options, 'final', (reports, c) => {
    const posthog = vendorGlobal('posthog', options.posthog);
    for (const report of reports) {
      const { event, properties, uuid, timestamp } = toPosthogEvent(report, c);
      posthog.capture(event, properties, { uuid, timestamp: new Date(timestamp) });
    }
  });
