/**
 * What the adapters share, in one place: the transport with its exactly-once ledger and storage
 * (`adapter.ts`, `ledger.ts`), the property mapping and trimming (`map/properties.ts`) and the keys
 * (`key.ts`). A page with several adapters loads it once: the npm entries import it from
 * `dist/adapters/base.js`, and the script-tag files find it in `dist/adapters/base.min.js` as
 * `window.sessionMetricsAdapters._` (src/adapters/script/base.ts). Each adapter's own bytes are
 * its vendor mapping and call (docs/adapters.md, "Size").
 */
export { adapterTransport, defaultStorage, vendorGlobal } from './adapter';
export { account, parseLedger } from './ledger';
export { eventName, nameOf, reportProps, withinLimits } from './map/properties';
export { keySource, uuidFrom } from './key';
export type { AdapterOptions, Deliver, Forward, KeyValue, MapContext, Report } from './adapter';
