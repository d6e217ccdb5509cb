/**
 * What every store accepts, checked on a parsed record before any schema or store sees it:
 * - no string or key holds U+0000 (PostgreSQL's text and jsonb refuse it, and the whole batch failed);
 * - no string or key holds a lone surrogate (not Unicode: PostgreSQL's driver would store U+FFFD in its
 *   place, so an id would differ between the stores);
 * - no value is nested deeper than MAX_RECORD_DEPTH (unknown fields are kept in the raw record, and a
 *   10,000-deep one overflowed the stack of JSON.stringify).
 * Such a record is rejected, not mended (docs/collector-input.md): stripping would change ids silently
 * and merge sessions that the sender kept apart. Pure; the walk never goes deeper than the bound.
 */

/** Levels of arrays and objects a record may hold, the record itself being level 1 (the SDK's deepest is 6). */
export const MAX_RECORD_DEPTH = 16;

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

function stringProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains U+0000 (NUL), which the collector refuses in any string';
  const m = LONE_SURROGATE.exec(s);
  return m ? `contains a lone surrogate (${hex(m[0])}), which is not Unicode text` : null;
}

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

/** The first problem of `value` as a message naming its field (`pages.0.path ...`), or null. */
export function wellFormedProblem(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') {
    const p = stringProblem(value);
    return p && `${path || 'record'} ${p}`;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth + 1 > MAX_RECORD_DEPTH) return `${path || 'record'} is nested deeper than ${MAX_RECORD_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = wellFormedProblem(value[i], join(path, i), depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const k = stringProblem(key);
    if (k) return `a key in ${path || 'record'} ${k}`;
    const p = wellFormedProblem(v, join(path, key), depth + 1);
    if (p) return p;
  }
  return null;
}
