/**
 * Deterministic idempotency keys: the same (site, session, kind) always gives the same key, in every
 * tab, after a reload and on every retry, so that a vendor that de-duplicates by key (PostHog `uuid`,
 * Segment `messageId`, Amplitude `insert_id`, Mixpanel `$insert_id`) keeps one event however often
 * it is sent. Pure: the browser adapters and a server-side relay compute the same keys.
 */

/** The text a key is derived from: `site`, `session` and `kind` (`session`, `page:/path`, or either with `@fromMs` for a delta). */
export const keySource = (siteId: string, sessionId: string, kind: string): string => siteId + '\n' + sessionId + '\n' + kind;

/**
 * A UUID derived from `text`: four 32-bit hashes of it (MurmurHash2's mixing, seeds 1 to 4) laid out
 * as RFC 9562 version 8 ("custom"), variant `a`: 120 bits of the text's hash. Not a secret and not
 * random: equal texts give equal UUIDs, which is the point. 36 characters of hex digits and `-`,
 * within Mixpanel's `$insert_id` rule (at most 36, alphanumeric and `-`).
 */
export const uuidFrom = (text: string): string => {
  let hex = '';
  for (let seed = 1; seed < 5; seed++) {
    let h = seed;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15);
    hex += (Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0).toString(16).padStart(8, '0');
  }
  return hex.replace(/(.{8})(.{4}).(.{3}).(.{3})/, '$1-$2-8$3-a$4-');
};
