/**
 * `session-metrics/adapters/plausible`: one final `sm_session` event per session into Plausible, with
 * the engaged time as a bucket (`sm_engaged: "2-5m"`), non-interactive. Plausible neither
 * de-duplicates nor retries, so the send waits for the tracker's callback: a failed request leaves
 * the records queued, the delivery layer retries, and the ledger makes sure one event gets through.
 */
import { adapterTransport, vendorGlobal, type AdapterOptions } from './base';
import { toPlausibleEvent } from './map/plausible';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

type Result = { status: number } | { error: unknown } | undefined;

/** `track` of `@plausible-analytics/tracker`, or `window.plausible` of Plausible's script. */
export type PlausibleTrack = (
  eventName: string,
  options: { props: Record<string, string>; interactive: false; callback: (result?: Result) => void },
) => unknown;

export interface PlausibleAdapterOptions extends AdapterOptions {
  /** @defaultValue `window.plausible`, looked up at send time (records wait in the queue until it is there) */
  track?: PlausibleTrack;
}

export const plausibleAdapter = (options: PlausibleAdapterOptions = {}): Transport =>
  adapterTransport('plausible', options, 'final', (reports, c) => {
    const track = vendorGlobal('plausible', options.track);
    return Promise.all(
      reports.map(
        (report) =>
          new Promise((sent, failed) => {
            const { name, props } = toPlausibleEvent(report, c);
            track(name, {
              props,
              interactive: false,
              // An ignored event (localhost, a bot, an exclusion) is not a failure: retrying would not change it.
              callback: (result) => ((result as { status?: number })?.status ?? 200) < 300 ? sent(0) : failed(new Error('plausible: ' + JSON.stringify(result))),
            });
          }),
      ),
    );
  });
