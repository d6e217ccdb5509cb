import { MAX_BODY_BYTES } from '../core/records';

/**
 * An upper bound of the UTF-8 length: the budget counts bytes on the wire, not UTF-16 code units.
 * A unit above U+007F takes at most 3 bytes (a surrogate pair, 2 units, takes 4), so adding 2 per
 * such unit never undercounts, and costs one regex scan instead of encoding every record.
 */
const utf8Bound = (s: string): number => s.length + 2 * (s.match(/[^\0-\x7f]/g) || '').length;

/**
 * Splits items into request bodies whose JSON array stays under `maxBytes` (SEMANTICS.md: the
 * browser's keepalive and beacon budget is 64 KiB for all in-flight bodies together, so one body
 * keeps under 60 KiB). Order is kept. A single item above the budget goes alone: a plain fetch can
 * still carry it, and dropping an accepted record is never an option.
 */
export function splitBodies<T>(items: readonly T[], toJson: (item: T) => unknown, maxBytes = MAX_BODY_BYTES): T[][] {
  const bodies: T[][] = [];
  let body: T[] = [];
  // `[` and `]` cost 2 bytes; each item costs its JSON plus one comma (one too many, a safe margin).
  let size = 2;
  for (const item of items) {
    const bytes = utf8Bound(JSON.stringify(toJson(item))) + 1;
    if (body.length && size + bytes > maxBytes) {
      bodies.push(body);
      body = [];
      size = 2;
    }
    body.push(item);
    size += bytes;
  }
  if (body.length) bodies.push(body);
  return bodies;
}
