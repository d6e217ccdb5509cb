/**
 * SQL literals for ClickHouse. Debian's ClickHouse (18.16) has no query parameters (they came in
 * 19.11), so every value a statement carries is written into it as a literal, and only through this
 * one function: strings are quoted with every byte that could end or bend the literal escaped
 * (backslash, quote, NUL, control characters), numbers must be finite, and anything else is refused.
 * Inserts never go through here: their rows travel as JSONEachRow, which ClickHouse parses as JSON.
 */

export type LiteralValue = string | number | bigint | boolean | null | readonly LiteralValue[];

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\b': '\\b', '\f': '\\f', '\r': '\\r', '\n': '\\n', '\t': '\\t' };

/** One value as a ClickHouse literal. Throws on a value no literal can hold (NaN, Infinity, objects). */
export function literal(value: LiteralValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') {
    // Other C0 controls are written as \xHH so that no byte of the statement is a raw control.
    return `'${value.replace(/[\\'\0\b\f\r\n\t]|[\x01-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`a ClickHouse literal must be a finite number, got ${value}`);
    return Number.isInteger(value) ? value.toFixed(0) : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  throw new TypeError(`no ClickHouse literal for a value of type ${typeof value}`);
}

/**
 * A tagged template that writes each interpolated value as a literal:
 * sql`SELECT 1 FROM t WHERE id = ${id}`. Identifiers never come from values; use {@link identifier}.
 */
export function sql(strings: TemplateStringsArray, ...values: LiteralValue[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? literal(values[i]!) : ''), '');
}

/** A database, table or cluster name: only plain identifiers are accepted, so none needs quoting. */
export function identifier(name: string, what = 'identifier'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`${what} '${name}' must be a plain identifier (letters, digits, _; not starting with a digit)`);
  return name;
}
