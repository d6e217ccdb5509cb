import { MAX_BODY_BYTES } from '../core/records';

/**
 * Splits items into request bodies whose JSON array stays under `maxBytes` (docs/semantics.md: the
 * browser's keepalive and beacon budget is 64 KiB for all in-flight bodies together, so one body
 * keeps under 60 KiB). Order is kept. A single item above the budget goes alone: a plain fetch can
 * still carry it, and dropping an accepted record is never an option.
 */
export function splitBodies<T>(items: readonly T[], toJson: (item: T) => unknown, maxBytes = MAX_BODY_BYTES): T[][] {
  const bodies: T[][] = [];
  let body: T[] = [];
  // Bytes of the open body; none is open yet. `[` and `]` cost 2 bytes, each item its JSON plus one
  // comma (one too many, a safe margin).
  let size = Infinity;
  const encoder = new TextEncoder();
  for (const item of items) {
    // The budget counts UTF-8 bytes on the wire, not UTF-16 code units: TextEncoder measures them
    // exactly. (Not `new Blob([json]).size`: each Blob is registered with the browser's blob registry,
    // 1 to 10 ms of a page hide's handler in Chromium, the first one the most: test/bench/hide.mjs.)
    const bytes = encoder.encode(JSON.stringify(toJson(item))).length + 1;
    if ((size += bytes) > maxBytes) {
      bodies.push((body = []));
      size = bytes + 2;
    }
    body.push(item);
  }
  return bodies;
}
