/**
 * Bulk-loads N sessions into the ClickHouse store, generated inside ClickHouse (`numbers(N)`) in one
 * INSERT ... SELECT: the same sessions, pages and raw records as bench/load.ts generates for SQLite
 * and PostgreSQL (same formulas of the row number), so the stores are compared on the same data.
 */
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { USERS, YEAR_START } from './load';

/** Page paths: 50 lessons, 7 courses and 20 quizzes, one of each per session (as bench/load.ts). */
const PAGE_KINDS = [['lesson', 50], ['course', 7], ['quiz', 20]] as const;

export async function loadClickHouse(url: string, database: string, n: number): Promise<void> {
  const http = clickHouseHttp({ url, database, timeoutMs: 3_600_000 });
  const iso = (col: string) => `concat(replaceOne(toString(toDateTime(intDiv(${col}, 1000), 'UTC')), ' ', 'T'), '.', leftPad3(${col} % 1000), 'Z')`;
  const pagesJson = `concat('[', arrayStringConcat(arrayMap(k -> concat('{"path":"', page_paths[k], '","views":', toString(page_views[k]), ',"engagedMs":', toString(page_engaged_ms[k]),
    ',"firstSeenAt":"', ${iso('started_at')}, '","lastSeenAt":"', ${iso('last_active_at')}, '","band":null}'), arrayEnumerate(page_paths)), ','), ']')`;
  // 18.16 has no leftPad: three digits of milliseconds by hand.
  const withPad = (s: string) => s.replaceAll(/leftPad3\(([^)]+)\)/g, (_, x) => `substring(toString(1000 + (${x})), 2, 3)`);
  const kinds = PAGE_KINDS.map(([kind, paths]) => `concat('/${kind}/', toString(i % ${paths}))`).join(', ');
  await http.exec(`
    INSERT INTO sessions (site_id, id, seq, received_at, user_id, anonymous_id, user_key, started_at, start_day, last_active_at, duration_ms, engaged_ms,
      break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight_micro, break_total_ms_weighted,
      final, current_page, record, page_paths, page_views, page_engaged_ms, page_first_seen_at, page_last_seen_at, page_bands)
    SELECT site_id, id, seq, received_at, user_id, anonymous_id, user_key, started_at, start_day, last_active_at, duration_ms, engaged_ms,
      break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight_micro, break_total_ms_weighted,
      final, current_page,
      ${withPad(`concat('{"v":1,"type":"session","siteId":"bench","id":"', id, '","seq":1,"userId":"', assumeNotNull(user_id), '","anonymousId":"', anonymous_id,
        '","startedAt":"', ${iso('started_at')}, '","lastActiveAt":"', ${iso('last_active_at')}, '","durationMs":', toString(duration_ms), ',"engagedMs":', toString(engaged_ms),
        ',"breaks":{"count":1,"totalMs":', toString(break_total_ms), ',"longestMs":', toString(break_longest_ms), ',"histogram":{"<30s":0,"30s-2m":0,"2m-10m":1,">=10m":0}},"pages":',
        ${pagesJson}, ',"band":', if(isNull(band), 'null', concat('"', assumeNotNull(band), '"')), ',"sampleRate":1,"final":true}')`)} AS record,
      page_paths, page_views, page_engaged_ms, page_first_seen_at, page_last_seen_at, page_bands
    FROM (
      SELECT i, 'bench' AS site_id, concat('s', toString(i)) AS id, toUInt64(1) AS seq, t + d AS received_at,
        CAST(concat('user-', toString((i * 7919) % ${USERS})) AS Nullable(String)) AS user_id, concat('anon-', toString(i)) AS anonymous_id,
        concat('user-', toString((i * 7919) % ${USERS})) AS user_key, t AS started_at, toDate(intDiv(t, 1000)) AS start_day, t + d AS last_active_at,
        d AS duration_ms, intDiv(d * 6, 10) AS engaged_ms, toUInt32(1) AS break_count, d - intDiv(d * 6, 10) AS break_total_ms, d - intDiv(d * 6, 10) AS break_longest_ms,
        toUInt32(0) AS break_lt30s, toUInt32(0) AS break_30s_2m, toUInt32(1) AS break_2m_10m, toUInt32(0) AS break_ge10m,
        CAST(multiIf(intDiv(d * 6, 10) >= 300000, 'engaged', intDiv(d * 6, 10) >= 30000, 'casual', NULL) AS Nullable(String)) AS band,
        toInt64(1000000) AS weight_micro, d - intDiv(d * 6, 10) AS break_total_ms_weighted, toUInt8(1) AS final,
        CAST(concat('/lesson/', toString(i % 50)) AS Nullable(String)) AS current_page,
        [${kinds}] AS page_paths, [toUInt32(1), toUInt32(2), toUInt32(3)] AS page_views,
        arrayMap(x -> intDiv(intDiv(d * 6, 10), ${PAGE_KINDS.length}), range(${PAGE_KINDS.length})) AS page_engaged_ms,
        arrayMap(x -> t, range(${PAGE_KINDS.length})) AS page_first_seen_at, arrayMap(x -> t + d, range(${PAGE_KINDS.length})) AS page_last_seen_at,
        arrayMap(x -> CAST(NULL AS Nullable(String)), range(${PAGE_KINDS.length})) AS page_bands
      FROM (SELECT number + 1 AS i, toInt64(${YEAR_START}) + ((number + 1) % 365) * 86400000 + ((number + 1) * 104729) % 86400000 AS t,
        toInt64(((number + 1) * 31337) % 3600000) AS d FROM numbers(${n}))
    )`);
  await http.exec(`INSERT INTO session_seq (site_id, id, seq) SELECT 'bench', concat('s', toString(number + 1)), 1 FROM numbers(${n})`);
}

/** Bytes on disk of the database's active parts (every table, compressed as stored). */
export async function clickhouseBytes(url: string, database: string): Promise<number> {
  const http = clickHouseHttp({ url, database });
  const [row] = await http.rows<{ bytes: string }>(`SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = '${database}'`);
  return Number(row?.bytes ?? 0);
}
