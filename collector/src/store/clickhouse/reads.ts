/**
 * The report statements of the ClickHouse store. Each reads the latest snapshot of every session it
 * needs with argMax by seq: the highest seq wins. The store writes a snapshot only when its seq is
 * above the stored one (clickhouse.ts), so one collector never stores two rows of one seq; two
 * collectors storing the same seq of one session at the same instant both keep a row, and a report
 * then takes one of them whole (every argMax of a group compares the same seqs, so all its columns
 * come from one row). Merges of the ReplacingMergeTree only make this cheaper; nothing waits for them.
 *
 * The version is the plain UInt64 seq, not the tuple (seq, -received_at) this store used before:
 * 18.16 keeps an argMax by a tuple as generic Fields, and over 10,000,000 sessions the year's
 * session-duration took 36.6 s and 5.8 GiB with the tuple and 11.1 s and 3.5 GiB by seq (with the
 * hashed IN below).
 *
 * A range keeps the sessions whose latest snapshot starts inside it. The inner filter (any snapshot
 * starting inside it) only narrows what is read: the latest snapshot of a session in range is itself
 * such a snapshot, so no session in range is missed. It narrows by a hash of (site, id), which
 * 18.16 looks up in a set of UInt64 instead of a set of string pairs (13.8 → 1.5 s over 10,000,000
 * sessions); a hash that collides only reads another session's rows too, and that session is then
 * kept or dropped by its own latest snapshot, so the answer stays exact.
 */
import type { DayRange } from '../types';
import { BREAK_BUCKETS, DURATION_BOUNDS_MS } from '../buckets';
import type { SiteFilter } from '../queries/index';
import { literal, sql } from './literal';

/** `site_id = 'a'` for one site, `site_id IN (...)` for a scoped token's sites (none: nothing matches). */
export function siteCondition(siteId: SiteFilter, column = 'site_id'): string {
  if (typeof siteId === 'string') return `${column} = ${literal(siteId)}`;
  return siteId.length === 0 ? '0' : `${column} IN (${siteId.map(literal).join(', ')})`;
}

const V = 'seq';
/** A session's identity, hashed: only ever used to narrow what is read, never to group. */
const SESSION_HASH = 'cityHash64(site_id, id)';

const NULLABLE = new Set<string>(['user_id', 'band', 'current_page']);

/** A column of the sessions table. */
type Column = string;

/** Which sessions a statement reads: a range of start days, a site, one value of a `meta` key. */
export interface Scope {
  days?: readonly [start: string, end: string] | undefined;
  siteId?: SiteFilter | undefined;
  meta?: { key: string; value: string } | undefined;
  /** `AND ...` on any snapshot, to narrow what is read (never what is kept). */
  alsoAny?: string | undefined;
  /** `AND ...` on the latest snapshot's `l_` columns. */
  alsoLatest?: string | undefined;
}

/**
 * The array columns whose latest value is carried through the GROUP BY as one String: 18.16 keeps an
 * argMax of an array as generic Fields, and over 10,000,000 sessions a year's pages report took 42 s
 * that way and 18 s as strings. Each element is written after a separator that no element holds (NUL
 * for text, which ingest refuses in any string; a comma for integers), so [] is '' and [''] is '\0',
 * and the first, empty piece of the split is dropped. Float and Nullable arrays stay as they are: text
 * would not give their values back exactly in 18.16.
 */
const PACKED: Record<string, 'String' | 'UInt8' | 'UInt32' | 'Int64'> = {
  meta_keys: 'String', meta_values: 'String',
  page_paths: 'String', page_views: 'UInt32', page_engaged_ms: 'Int64', page_first_seen_at: 'Int64', page_last_seen_at: 'Int64',
  vital_paths: 'String', vital_names: 'String',
  scroll_paths: 'String', scroll_reached_25_ms: 'Int64', scroll_reached_50_ms: 'Int64', scroll_reached_75_ms: 'Int64', scroll_reached_100_ms: 'Int64',
  section_paths: 'String', section_names: 'String', section_engaged_ms: 'Int64', section_first_seen_ms: 'Int64',
  media_paths: 'String', media_names: 'String', media_watched_ms: 'Int64', media_duration_ms: 'Int64', media_ended: 'UInt8',
};

/** The column as one String (see PACKED). */
export function packArray(column: string): string {
  return PACKED[column] === 'String'
    ? `arrayStringConcat(arrayMap(x -> concat('\\0', x), ${column}))`
    : `arrayStringConcat(arrayMap(x -> concat(',', toString(x)), ${column}))`;
}

/** The array back from packArray's String. */
export function unpackArray(column: string, packed: string): string {
  return PACKED[column] === 'String'
    ? `arrayPopFront(splitByChar('\\0', ${packed}))`
    : `arrayMap(x -> to${PACKED[column]}(x), arrayPopFront(splitByChar(',', ${packed})))`;
}

/**
 * Figures of a snapshot that are not columns, read like one. `identified`: whether the latest snapshot
 * names a user, one UInt8 state where the user id itself would take two (NULLABLE below).
 */
const DERIVED: Record<string, string> = { identified: 'isNotNull(user_id)' };

/** The latest value of a column by seq, as `l_<name>` (packed arrays as `p_<name>`). */
function latestColumn(c: Column): string {
  if (c in DERIVED) return `argMax(${DERIVED[c]}, ${V}) AS l_${c}`;
  // Aggregate functions skip NULL arguments, so argMax of a Nullable column would return an older
  // snapshot's value where the latest holds NULL (a user id cleared, a band lost). A Nullable column is
  // therefore read as two plain ones, whether it is NULL and its value. (A tuple would also do on one
  // server, but 18.16 turns a NULL inside a tuple into '' on its way back from another shard.)
  if (NULLABLE.has(c)) return `if(argMax(isNull(${c}), ${V}) = 1, NULL, argMax(assumeNotNull(${c}), ${V})) AS l_${c}`;
  if (c in PACKED) return `argMax(${packArray(c)}, ${V}) AS p_${c}`;
  return `argMax(${c}, ${V}) AS l_${c}`;
}

/**
 * One row per session (its latest snapshot, columns as `l_<name>`) in the scope. The inner filter
 * (any snapshot in the scope's days and site) only narrows what is read: the latest snapshot of a
 * session in scope is itself such a snapshot, so no session in scope is missed.
 */
export function latestOf(scope: Scope, columns: readonly Column[]): string {
  const days = scope.days && sql`toDate(${scope.days[0]}) AND toDate(${scope.days[1]})`;
  const need = new Set(columns);
  if (days) need.add('start_day');
  if (scope.meta) need.add('meta_keys').add('meta_values');
  const any = [days && `start_day BETWEEN ${days}`, scope.siteId !== undefined && siteCondition(scope.siteId)].filter(Boolean).join(' AND ') || '1';
  // A session never changes site (it is part of its key), so the site also narrows the outer read.
  const site = scope.siteId !== undefined ? `${siteCondition(scope.siteId)} AND ` : '';
  const grouped = `SELECT site_id, id, ${[...need].map(latestColumn).join(', ')} FROM sessions
    WHERE ${site}${SESSION_HASH} IN (SELECT ${SESSION_HASH} FROM sessions WHERE ${any}${scope.alsoAny ?? ''})
    GROUP BY site_id, id HAVING ${days ? `l_start_day BETWEEN ${days}` : '1'}${scope.alsoLatest ?? ''}`;
  // Arrays are unpacked, and the `meta` value matched on them, outside the GROUP BY.
  const packed = [...need].filter((c) => c in PACKED);
  const meta = scope.meta ? sql` WHERE arrayExists((k, v) -> k = ${scope.meta.key} AND v = ${scope.meta.value}, l_meta_keys, l_meta_values)` : '';
  if (!packed.length && !meta) return grouped;
  const plain = [...need].filter((c) => !(c in PACKED)).map((c) => `l_${c}`);
  return `SELECT site_id, id, ${[...plain, ...packed.map((c) => `${unpackArray(c, `p_${c}`)} AS l_${c}`)].join(', ')} FROM (${grouped})${meta}`;
}

/** The latest snapshots that start in the range (and match its site and `meta` value). */
export function inRange(range: DayRange, columns: readonly Column[], alsoAny = ''): string {
  return latestOf({ days: [range.start, range.end], siteId: range.siteId, meta: range.meta, alsoAny }, columns);
}

const TOTALS = 'count() AS sessions, sum(l_weight_micro) AS weight_micro, sum(l_duration_ms) AS duration_ms, sum(l_engaged_ms) AS engaged_ms';
const TOTAL_COLUMNS = ['weight_micro', 'duration_ms', 'engaged_ms'];

/**
 * The site-level and pages reports over the live sessions and, unless a `meta` value filters them
 * (retention kept no dimensions, as the other stores' site_day and site_day_page rollups keep none), the
 * rows retention kept of removed days (site_day_kept, site_day_page_kept): `live` and `kept` are SELECTs
 * with the same columns, `outer` sums them.
 */
function withKept(range: DayRange, outer: string, live: string, kept: (where: string) => string, groupBy = ''): string {
  if (range.meta) return `SELECT ${outer} FROM (${live})${groupBy}`;
  const site = range.siteId === undefined ? '' : ` AND ${siteCondition(range.siteId)}`;
  const where = `start_day BETWEEN ${sql`toDate(${range.start}) AND toDate(${range.end})`}${site}`;
  return `SELECT ${outer} FROM (${live} UNION ALL ${kept(where)})${groupBy}`;
}

const SUMS = 'sum(sessions) AS sessions, sum(weight_micro) AS weight_micro, sum(duration_ms) AS duration_ms, sum(engaged_ms) AS engaged_ms';
const LIVE_SUMS = 'toUInt64(count()) AS sessions, toInt64(sum(l_weight_micro)) AS weight_micro, toInt64(sum(l_duration_ms)) AS duration_ms, toInt64(sum(l_engaged_ms)) AS engaged_ms';
const KEPT_SUMS = 'toUInt64(sum(sessions)) AS sessions, toInt64(sum(weight_micro)) AS weight_micro, toInt64(sum(duration_ms)) AS duration_ms, toInt64(sum(engaged_ms)) AS engaged_ms';

/**
 * The pages report's sums of the latest snapshots in `from`, grouped by `groupBy` (which names `path`):
 * per page row as the other stores write it (queries/write.ts pageValues), each weighted figure rounded
 * once per row. The columns are those of site_day_page_kept after the group keys.
 */
export const pageSums = (from: string, groupBy: string) =>
  `SELECT ${groupBy}, toUInt64(count()) AS sessions, toInt64(sum(l_weight_micro)) AS weight_micro,
    toInt64(sum(intDiv(views * l_weight_micro + 500000, 1000000))) AS views_weighted, toInt64(sum(page_e)) AS engaged_ms,
    toInt64(sum(intDiv(page_e * l_weight_micro + 500000, 1000000))) AS engaged_ms_weighted
    FROM (${from}) ARRAY JOIN l_page_paths AS path, l_page_views AS views, l_page_engaged_ms AS page_e GROUP BY ${groupBy}`;

export const reads = {
  perUser: (range: DayRange) => `SELECT l_user_key AS user_key, ${TOTALS} FROM (${inRange(range, ['user_key', ...TOTAL_COLUMNS])}) GROUP BY l_user_key`,
  summary: (range: DayRange) =>
    withKept(
      range,
      `${SUMS}, sum(short_weight_micro) AS short_weight_micro, max(users) AS users`,
      `SELECT ${LIVE_SUMS}, toInt64(sumIf(l_weight_micro, l_engaged_ms < 30000)) AS short_weight_micro, toUInt64(uniqExact(l_user_key)) AS users
        FROM (${inRange(range, ['user_key', ...TOTAL_COLUMNS])})`,
      (where) => `SELECT ${KEPT_SUMS}, toInt64(sum(short_weight_micro)) AS short_weight_micro, toUInt64(0) AS users FROM site_day_kept WHERE ${where}`,
    ),
  daily: (range: DayRange) =>
    withKept(
      range,
      `day AS start_day, ${SUMS}`,
      `SELECT toString(l_start_day) AS day, ${LIVE_SUMS} FROM (${inRange(range, TOTAL_COLUMNS)}) GROUP BY l_start_day`,
      (where) => `SELECT toString(start_day) AS day, ${KEPT_SUMS} FROM site_day_kept WHERE ${where} GROUP BY start_day`,
      ' GROUP BY day',
    ),
  durationBuckets(range: DayRange, bounds: readonly number[]) {
    const edges = [0, ...bounds];
    const live = edges.map((lo, i) => {
      const hi = edges[i + 1];
      const cond = hi === undefined ? sql`l_duration_ms >= ${lo}` : sql`l_duration_ms >= ${lo} AND l_duration_ms < ${hi}`;
      return `toInt64(sumIf(l_weight_micro, ${cond})) AS bucket_${i}`;
    });
    const from = `SELECT ${live.join(', ')} FROM (${inRange(range, ['weight_micro', 'duration_ms'])})`;
    const outer = edges.map((_, i) => `sum(bucket_${i}) AS bucket_${i}`).join(', ');
    // Retention kept the report's own buckets (DURATION_BUCKETS), as the other stores' rollup does; other bounds read live sessions only.
    const standard = bounds.length === DURATION_BOUNDS_MS.length && bounds.every((x, i) => x === DURATION_BOUNDS_MS[i]);
    if (!standard) return `SELECT ${outer} FROM (${from})`;
    return withKept(range, outer, from, (where) => `SELECT ${edges.map((_, i) => `toInt64(sum(bucket_weight_micro[${i + 1}])) AS bucket_${i}`).join(', ')} FROM site_day_kept WHERE ${where}`);
  },
  breaks: (range: DayRange) => {
    const buckets = BREAK_BUCKETS.map((b) => `${b.column}_weight_micro`);
    return withKept(
      range,
      ['sum(sessions) AS sessions', 'sum(weight_micro) AS weight_micro', 'sum(breaks) AS breaks', 'sum(breaks_weight_micro) AS breaks_weight_micro',
        'sum(break_total_ms_weighted) AS break_total_ms_weighted', ...buckets.map((c) => `sum(${c}) AS ${c}`)].join(', '),
      `SELECT toUInt64(count()) AS sessions, toInt64(sum(l_weight_micro)) AS weight_micro, toInt64(sum(l_break_count)) AS breaks,
        toInt64(sum(l_break_count * l_weight_micro)) AS breaks_weight_micro, toInt64(sum(l_break_total_ms_weighted)) AS break_total_ms_weighted,
        ${BREAK_BUCKETS.map((b) => `toInt64(sum(l_${b.column} * l_weight_micro)) AS ${b.column}_weight_micro`).join(', ')}
        FROM (${inRange(range, ['weight_micro', 'break_count', 'break_total_ms_weighted', ...BREAK_BUCKETS.map((b) => b.column)])})`,
      (where) => `SELECT toUInt64(sum(sessions)) AS sessions, toInt64(sum(weight_micro)) AS weight_micro, toInt64(sum(breaks)) AS breaks,
        toInt64(sum(breaks_weight_micro)) AS breaks_weight_micro, toInt64(sum(break_total_ms_weighted)) AS break_total_ms_weighted,
        ${buckets.map((c, i) => `toInt64(sum(break_bucket_weight_micro[${i + 1}])) AS ${c}`).join(', ')} FROM site_day_kept WHERE ${where}`,
    );
  },
  bands: (range: DayRange) =>
    withKept(
      range,
      'if(no_band = 1, NULL, band_name) AS band, sum(weight_micro) AS weight_micro, min(min_engaged_ms) AS min_engaged_ms',
      `SELECT toUInt8(isNull(l_band)) AS no_band, ifNull(l_band, '') AS band_name, toInt64(sum(l_weight_micro)) AS weight_micro, toInt64(min(l_engaged_ms)) AS min_engaged_ms
        FROM (${inRange(range, ['band', 'weight_micro', 'engaged_ms'])}) GROUP BY no_band, band_name`,
      (where) => `SELECT no_band, band AS band_name, toInt64(sum(weight_micro)) AS weight_micro, toInt64(min(min_engaged_ms)) AS min_engaged_ms FROM site_day_kept WHERE ${where} GROUP BY no_band, band_name`,
      ' GROUP BY no_band, band_name',
    ),
  pages: (range: DayRange, limit: number) =>
    withKept(
      range,
      'path, sum(sessions) AS sessions, sum(weight_micro) AS weight_micro, sum(views_weighted) AS views_weighted, sum(engaged_ms) AS engaged_ms, sum(engaged_ms_weighted) AS engaged_ms_weighted',
      pageSums(inRange(range, ['weight_micro', 'page_paths', 'page_views', 'page_engaged_ms']), 'path'),
      (where) => `SELECT path, toUInt64(sum(sessions)) AS sessions, toInt64(sum(weight_micro)) AS weight_micro, toInt64(sum(views_weighted)) AS views_weighted,
        toInt64(sum(engaged_ms)) AS engaged_ms, toInt64(sum(engaged_ms_weighted)) AS engaged_ms_weighted FROM site_day_page_kept WHERE ${where} GROUP BY path`,
      ` GROUP BY path ORDER BY engaged_ms_weighted DESC, path LIMIT ${Math.max(0, Math.floor(limit))}`,
    ),
  inactiveUsers: (cutoff: number, limit: number, siteId?: SiteFilter) =>
    `SELECT assumeNotNull(l_user_id) AS user_id, max(l_last_active_at) AS last_active_at, sum(l_weight_micro) AS weight_micro
      FROM (${latestOf({ siteId, alsoAny: ' AND user_id IS NOT NULL', alsoLatest: ' AND l_user_id IS NOT NULL' }, ['user_id', 'last_active_at', 'weight_micro'])})
      GROUP BY l_user_id HAVING last_active_at <= ${Math.floor(cutoff)} ORDER BY last_active_at, user_id LIMIT ${Math.max(0, Math.floor(limit))}`,
  activeSessions: (since: number, limit: number, until = Number.MAX_SAFE_INTEGER) =>
    `SELECT site_id, id, l_user_key AS user_key, l_user_id AS user_id, l_started_at AS started_at, l_last_active_at AS last_active_at, l_engaged_ms AS engaged_ms,
      l_duration_ms AS duration_ms, l_current_page AS current_page, l_meta_keys AS meta_keys, l_meta_values AS meta_values
      FROM (${latestOf({ alsoAny: sql` AND last_active_at >= ${since}`, alsoLatest: sql` AND l_final = 0 AND l_last_active_at >= ${since} AND l_last_active_at <= ${until}` }, ['user_key', 'user_id', 'started_at', 'last_active_at', 'engaged_ms', 'duration_ms', 'current_page', 'final', 'meta_keys', 'meta_values'])})
      ORDER BY last_active_at DESC LIMIT ${Math.max(0, Math.floor(limit))}`,
  counts: () =>
    `SELECT (SELECT count() FROM (SELECT site_id, id FROM sessions GROUP BY site_id, id)) AS sessions,
      (SELECT count() FROM (SELECT site_id FROM alerts GROUP BY site_id, session_id, threshold, direction)) AS alerts,
      (SELECT sum(length(l_paths)) FROM (SELECT argMax(page_paths, ${V}) AS l_paths FROM sessions GROUP BY site_id, id)) AS pages`,
  getSession: (siteId: string, id: string) =>
    sql`SELECT max(seq) AS top_seq, argMax(record, (seq, -received_at)) AS top_record FROM sessions WHERE site_id = ${siteId} AND id = ${id} HAVING count() > 0`,
  /** The highest seq stored for each of these sessions (a lookup by the session_seq table's own key). */
  storedSeqs: (keys: ReadonlyArray<{ siteId: string; id: string }>) =>
    `SELECT site_id, id, max(seq) AS seq FROM session_seq WHERE (site_id, id) IN (${keys.map((k) => sql`(${k.siteId}, ${k.id})`).join(', ')}) GROUP BY site_id, id`,
  storedAlerts: (keys: ReadonlyArray<{ siteId: string; sessionId: string; threshold: string; direction: string }>) =>
    `SELECT site_id, session_id, threshold, direction FROM alerts WHERE (site_id, session_id, threshold, direction) IN (${keys
      .map((k) => sql`(${k.siteId}, ${k.sessionId}, ${k.threshold}, ${k.direction})`)
      .join(', ')}) GROUP BY site_id, session_id, threshold, direction`,
};
