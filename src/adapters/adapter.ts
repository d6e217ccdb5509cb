/**
 * What every adapter shares: a transport that turns records into reports through the exactly-once
 * ledger (kept in storage shared by the site's tabs) and hands them to a vendor.
 *
 * The ledger is read afresh on every send (another tab may have reported since) and written only once
 * the vendor took the reports: when the vendor's SDK is not loaded yet, or its endpoint fails, the
 * send fails, the delivery layer keeps the records and retries, and the retry reports the same
 * things under the same keys. The write accounts the records again into the ledger as stored then,
 * so what another tab wrote meanwhile is kept. Normal sends of one transport are serialized across
 * tabs by the delivery layer's Web Lock.
 */
import type { SendOptions, Transport } from '../transports/transport';
import type { WireRecord } from '../core/records';
import { safeStorage, type KeyValue } from '../browser/storage';
import { PREFIX } from '../browser/warn';
import type { MapContext } from './map/properties';
import { account, parseLedger, type Forward, type Report } from './ledger';

export type { Forward, Report } from './ledger';
export type { MapContext } from './map/properties';
export type { KeyValue } from '../browser/storage';

/** Options every adapter takes. */
export interface AdapterOptions {
  /**
   * Which records become vendor events: `final` (one event per session when it ends, the whole
   * engaged time) or `deltas` (an event whenever engaged time grew, with the growth).
   * @defaultValue `'deltas'` for GA4, `'final'` for every other adapter
   */
  forward?: Forward;
  /** Also one event per page (its dwell time), beside the session's. @defaultValue `false` */
  pages?: boolean;
  /** Prefix of every property (and parameter) name the adapter sets. @defaultValue `'sm_'` */
  prefix?: string;
  /** The session event's name. @defaultValue `'sm_session'` */
  sessionEvent?: string;
  /** The page event's name (with `pages: true`). @defaultValue `'sm_page'` */
  pageEvent?: string;
  /** Names the transport (its queue position and its ledger). @defaultValue the adapter's name */
  name?: string;
  /** Where the ledger lives. @defaultValue `localStorage`, shared by the site's tabs (memory where it is blocked) */
  storage?: KeyValue;
  /** `true` logs to the console what was trimmed to fit the vendor's limits; or your own logger. @defaultValue `false` */
  debug?: boolean | ((message: string) => void);
}

/** Hands reports to the vendor; throws (or rejects) when the vendor cannot take them now. */
export type Deliver = (reports: Report[], context: MapContext, options: SendOptions) => unknown;

/** `localStorage`, shared by the site's tabs; memory where it is missing, blocked or full. */
export const defaultStorage = (): KeyValue => safeStorage(() => localStorage);

export function adapterTransport(adapter: string, o: AdapterOptions, forward: Forward, deliver: Deliver): Transport {
  const { name = adapter, storage = defaultStorage(), debug } = o;
  const key = 'session-metrics:adapter:' + name;
  const context: MapContext = {
    prefix: 'sm_',
    sessionEvent: 'sm_session',
    pageEvent: 'sm_page',
    ...(o as Partial<MapContext>),
    say: (m) => debug && (debug === true ? console.debug(PREFIX, name, m) : debug(m)),
  };
  const options = { forward: o.forward || forward, pages: !!o.pages };
  /** The reports `records` call for against the ledger as stored now; `write` stores the ledger with them accounted. */
  const accounted = (records: readonly WireRecord[], write?: 1) => {
    const ledger = parseLedger(storage.get(key));
    const reports = account(ledger, records, options);
    if (write) storage.set(key, JSON.stringify(ledger));
    return reports;
  };
  // Sends run one after another. A hide sends the page's newest records at once (delivery/lane.ts),
  // beside a normal send of the same records the vendor has not answered yet: accounted against the
  // same unwritten ledger, both would report them (a second Plausible event, a delta summed twice).
  // Chained, the later send accounts after the earlier one's write (or failure); if the page is gone
  // first, the records stay in the delivery layer's store for the site's next load. A send with
  // nothing before it runs in a microtask of the calling task: still within the hide's own task,
  // before the page's next event listener.
  let busy: Promise<unknown> = Promise.resolve();
  return {
    name,
    send(records, sendOptions) {
      const run = busy
        .then(() => {
          const reports = accounted(records);
          return reports.length && deliver(reports, context, sendOptions);
        })
        .then(() => void accounted(records, 1));
      busy = run.catch(() => 0);
      return run;
    },
  };
}

/** The vendor's global (`window.posthog`), or a failure that keeps the records queued until it loads. */
export const vendorGlobal = <T>(name: string, given: T | undefined): T => {
  const found = given || (globalThis as any)[name];
  if (!found) throw new Error(name + ' is not loaded');
  return found;
};
