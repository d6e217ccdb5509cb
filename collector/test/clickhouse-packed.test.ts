/**
 * Arrays carried through the GROUP BY as one String (reads.ts PACKED) come back exactly, on the real
 * server: empty arrays and empty elements apart, separators inside text, integers at their limits.
 */
import { describe, expect, it } from 'vitest';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { literal } from '../src/store/clickhouse/literal';
import { packArray, unpackArray } from '../src/store/clickhouse/reads';
import { clickhouseUrl } from './clickhouse-fixtures';

const roundTrip = async (column: string, type: string, values: unknown[]) => {
  const http = clickHouseHttp({ url: clickhouseUrl(), database: 'default' });
  // Each value as text, typed on the server: an array literal of mixed signs has no common type in 18.16.
  const texts = `CAST([${values.map((v) => literal(String(v))).join(', ')}] AS Array(String))`;
  const typed = type === 'String' ? texts : `arrayMap(x -> to${type}(x), ${texts})`;
  const rows = await http.rows<{ back: unknown[]; same: number }>(
    `SELECT ${unpackArray(column, 'packed')} AS back, back = ${column} AS same FROM (SELECT ${typed} AS ${column}, ${packArray(column)} AS packed)`,
  );
  return rows[0]!;
};

describe('packed arrays', () => {
  it.each([
    [[]],
    [['']],
    [['', '']],
    [['/a', '', '/b,c']],
    [['/курс/1', 'a\\tb']],
  ])('text %j comes back as it was', async (values) => {
    expect(await roundTrip('page_paths', 'String', values)).toEqual({ back: values, same: 1 });
  });

  it.each([
    ['page_engaged_ms', 'Int64', [], []],
    ['page_engaged_ms', 'Int64', [0], ['0']],
    ['page_engaged_ms', 'Int64', [-1, 9007199254740991, -9007199254740991], ['-1', '9007199254740991', '-9007199254740991']],
    ['page_views', 'UInt32', [0, 4294967295], [0, 4294967295]],
    ['media_ended', 'UInt8', [0, 1, 1], [0, 1, 1]],
  ])('%s %j comes back as it was', async (column, type, values, json) => {
    expect(await roundTrip(column, type, values)).toEqual({ back: json, same: 1 });
  });
});
