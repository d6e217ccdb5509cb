/**
 * The default script tag's hook for adapters by name (`data-adapters="ga4,posthog"`, or
 * `sessionMetrics('init', { adapters: ['ga4', { name: 'otlp', endpoint }] })`): one transport,
 * `adapters`, whose sends go to `window.sessionMetricsAdapters.send`, which the adapter files
 * (`dist/adapters/<name>.min.js`) define when they load (src/adapters/script/register.ts) and which
 * hands the records to each named adapter. The files may load before or after this one: until they
 * have, the sends fail, and the delivery layer keeps the records queued and retries them.
 * This is all the adapter code in the default bundle: kept to a few bytes on purpose.
 */
declare const sessionMetricsAdapters: { send(adapters: unknown, records: unknown, options: unknown): unknown };

export const withNamedAdapters = (options: any, adapters: unknown = options?.adapters) => (
  adapters &&
    (
    (options.transport = [
      options.transport || [],
      { name: 'adapters', send: (records: unknown, o: unknown) => sessionMetricsAdapters.send(adapters, records, o) },
    ].flat())),
  options
);
