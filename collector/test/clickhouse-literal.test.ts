/**
 * literal() is the only way a value enters a ClickHouse statement (18.16 has no query parameters), so
 * it is held to the server itself: any string, number or array written as a literal reads back as
 * the same value, and no string can end the literal early.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { identifier, literal, sql } from '../src/store/clickhouse/literal';
import { clickhouseUrl } from './clickhouse-fixtures';

const http = () => clickHouseHttp({ url: clickhouseUrl(), database: 'default' });

describe('ClickHouse literals', () => {
  it('read back from the server as the same string, whatever the string (quotes, backslashes, NUL, controls, any code point)', async () => {
    const h = http();
    // Well-formed strings only: the collector refuses lone surrogates before any store sees them.
    const strings = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }));
    const tricky = fc.constantFrom("'", "\\'", '\\', "';DROP TABLE x;--", '\0', '\x7f', '\n\r\t\b\f', '\\x41', "''", '\u2028', '😀');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(strings, tricky), { minLength: 1, maxLength: 8 }), async (values) => {
        const [row] = await h.rows<Record<string, string>>(`SELECT ${values.map((v, i) => `${literal(v)} AS c${i}`).join(', ')}`);
        expect(values.map((_, i) => row![`c${i}`])).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });

  it('read back numbers, booleans, NULL and arrays as written', async () => {
    const [row] = await http().rows<Record<string, unknown>>(
      sql`SELECT ${42} AS i, ${-7} AS neg, ${0.25} AS f, ${1e-7} AS tiny, ${2 ** 53 - 1} AS big, ${true} AS t, ${null} AS n, ${['a', "b'c"]} AS arr`,
    );
    expect(row).toMatchObject({ i: 42, neg: -7, f: 0.25, tiny: 1e-7, t: 1, n: null, arr: ['a', "b'c"] });
    expect(Number(row!.big)).toBe(2 ** 53 - 1);
  });

  it('refuses what no literal can hold, and identifiers that would need quoting', () => {
    expect(() => literal(Number.NaN)).toThrow(/finite number, got NaN/);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(/finite number, got Infinity/);
    expect(() => literal({} as never)).toThrow(/no ClickHouse literal for a value of type object/);
    expect(identifier('session_metrics')).toBe('session_metrics');
    expect(() => identifier('x; DROP DATABASE y', 'ClickHouse database')).toThrow(/ClickHouse database 'x; DROP DATABASE y' must be a plain identifier/);
    expect(() => identifier('1abc')).toThrow(/must be a plain identifier/);
  });
});
