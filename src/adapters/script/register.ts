/**
 * How the adapters' script-tag files make themselves known. `dist/adapters/base.min.js` defines
 * `window.sessionMetricsAdapters(names, records, options)` (`createRegistry`), which the tracker's
 * one adapters transport calls at send time (docs/adapters.md, "Script tag"): it makes each named
 * adapter once and hands it the records. Each adapter file puts its factory on that function under
 * its name (`register`). A name whose file has not loaded yet fails the send, so the delivery layer
 * keeps the records and retries; the adapters that took them already have them in their ledgers
 * and report nothing twice.
 *
 * The adapter's own script tag may carry its options as data attributes (`data-endpoint`,
 * `data-forward`, `data-pages`, `data-prefix`, …; `true`/`false` read back as booleans). For a
 * tracker you make yourself, `sessionMetricsAdapters.<name>(options)` returns the transport.
 */
import type { SendOptions, Transport } from '../../transports/transport';
import type { WireRecord } from '../../core/records';

export interface Registry {
  (names: string, records: readonly WireRecord[], options: SendOptions): Promise<unknown>;
  [name: string]: (options?: object) => Transport;
}

export function createRegistry(): Registry {
  const made: Record<string, Transport> = {};
  const registry = ((names, records, options) =>
    Promise.all(
      names
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((n) => {
          if (!made[n] && !registry[n]) throw new Error(`adapter ${n}: dist/adapters/${n}.min.js is not loaded`);
          return (made[n] ||= registry[n]!()).send(records, options);
        }),
    )) as Registry;
  return registry;
}

/** Run by an adapter's file as it loads (its script tag is `document.currentScript`), after base.min.js. */
export function register(name: string, factory: (options: any) => Transport): void {
  const data = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
  const fromTag: Record<string, unknown> = {};
  for (const k in data) fromTag[k] = data[k] == 'true' || (data[k] != 'false' && data[k]);
  (window as any).sessionMetricsAdapters[name] = (options?: object) => factory({ ...fromTag, ...options });
}
