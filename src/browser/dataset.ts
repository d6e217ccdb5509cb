/**
 * A script tag's data attributes as tracker options. Data attributes are strings: numbers and
 * booleans are read back, page lists split on commas. One definition for the two readers: the
 * script-tag build (src/script.ts, a tag with `data-endpoint` starts a tracker) and the adapters'
 * base file (src/adapters/script/wire.ts, which starts that tracker with its adapters instead).
 */
export const fromDataset = (data: DOMStringMap): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const k in data) {
    const v = data[k]!;
    o[k] =
      k == 'trackSpecificPages'
        ? v.split(',').map((p) => p.trim()).filter(Boolean)
        : v == 'true' || (v != 'false' && (/^(siteId|endpoint|consent)$/.test(k) || isNaN(+v) || !v ? v : +v));
  }
  return o;
};
