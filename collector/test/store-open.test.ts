import { describe, expect, it } from 'vitest';
import { storeKind } from '../src/store/open';

const CH = 'http://127.0.0.1:8123';

describe('storeKind: which store the environment selects', () => {
  it.each([
    [{}, 'sqlite'],
    [{ DATABASE_URL: 'postgres://x' }, 'postgres'],
    [{ SM_CLICKHOUSE_URL: CH }, 'clickhouse'],
    [{ SM_CLICKHOUSE_URL: CH, SM_CLICKHOUSE_QUERY_MEMORY: String(64 * 2 ** 20) }, 'clickhouse'],
    [{ SM_CLICKHOUSE_URL: CH, SM_CLICKHOUSE_QUERY_MEMORY: '' }, 'clickhouse'],
  ])('%j → %s', (env, kind) => {
    expect(storeKind(env)).toBe(kind);
  });

  it.each([
    [{ SM_CLICKHOUSE_URL: CH, DATABASE_URL: 'postgres://x' }, /not both/],
    [{ SM_CLICKHOUSE_CLUSTER: 'c' }, /SM_CLICKHOUSE_CLUSTER needs SM_CLICKHOUSE_URL/],
    [{ SM_CLICKHOUSE_URL: 'localhost:8123' }, /SM_CLICKHOUSE_URL must be/],
    [{ SM_CLICKHOUSE_URL: 'ftp://h' }, /must be an http\(s\) URL/],
    [{ SM_CLICKHOUSE_URL: CH, SM_CLICKHOUSE_QUERY_MEMORY: '8GB' }, /SM_CLICKHOUSE_QUERY_MEMORY must be a whole number of bytes.*"8GB"/],
    [{ SM_CLICKHOUSE_URL: CH, SM_CLICKHOUSE_QUERY_MEMORY: '1000' }, /at least 67108864/],
    [{ SM_CLICKHOUSE_URL: CH, SM_CLICKHOUSE_QUERY_MEMORY: '1e12' }, /whole number/],
  ])('%j is refused, naming the variable', (env, message) => {
    expect(() => storeKind(env)).toThrow(message);
  });
});
