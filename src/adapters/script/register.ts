/**
 * How an adapter's script-tag file (`dist/adapters/<name>.min.js`) makes itself known: it puts its
 * factory in `window.sessionMetricsAdapters` under its name, and (the first file to load) the
 * registry's `send`, which the default script tag's `adapters` transport calls
 * (src/adapters/named.ts) with the names from `data-adapters` or `init`'s `adapters`: it makes each
 * named adapter once and hands it the records. A name whose file has not loaded fails the send, so
 * the delivery layer keeps the records and retries; the adapters that took them already have them
 * in their ledgers and report nothing twice.
 *
 * The adapter's own script tag may carry its options as data attributes (`data-endpoint`,
 * `data-forward`, `data-pages`, `data-prefix`, …; `true`/`false` read back as booleans); options
 * given as `{ name, ...options }` in `init`'s `adapters` win.
 */
import type { SendOptions, Transport } from '../../transports/transport';
import type { WireRecord } from '../../core/records';

type Named = string | ({ name: string } & Record<string, unknown>);
interface Registry {
  [name: string]: unknown;
  send(adapters: string | Named[], records: readonly WireRecord[], options: SendOptions): Promise<unknown>;
}

export function register(name: string, factory: (options: any) => Transport): void {
  const data = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
  const fromTag: Record<string, unknown> = {};
  for (const k in data) fromTag[k] = data[k] == 'true' || (data[k] != 'false' && data[k]);
  const registry: Registry = ((window as any).sessionMetricsAdapters ||= {});
  registry[name] = (options?: object) => factory({ ...fromTag, ...options });
  const made: Record<string, Transport> = {};
  registry.send ||= (adapters, records, options) =>
    Promise.all(
      (typeof adapters == 'string' ? adapters.split(/[\s,]+/).filter(Boolean) : adapters).map((a) => {
        const n = typeof a == 'string' ? a : a.name;
        const make = registry[n] as ((o: object) => Transport) | undefined;
        if (!make && !made[n]) throw new Error(`adapter ${n}: dist/adapters/${n}.min.js is not loaded`);
        return (made[n] ||= make!(typeof a == 'string' ? {} : a)).send(records, options);
      }),
    );
}
