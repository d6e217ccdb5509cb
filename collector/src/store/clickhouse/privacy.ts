/**
 * The privacy lifecycle on the ClickHouse store (store/erasure.ts defines it for the SQL stores):
 * erasing a person, exporting what is stored about them, and removing days past the retention period.
 * Deletes are ClickHouse mutations (ALTER TABLE ... DELETE), which run in the background: each
 * operation waits until every mutation it started is done, on every shard, before it answers.
 * This store keeps no per-user rollups, so erasure has nothing to take out of one; retention keeps its
 * site-level sums in site_day_kept and its per-page sums in site_day_page_kept, which the site-level
 * and pages reports add (reads.ts withKept).
 */
import { BREAK_BUCKETS, DURATION_BUCKETS } from '../buckets';
import type { ErasureResult, Person, RetentionResult } from '../erasure';
import type { PersonExport } from '../person-export';
import type { SessionRecord } from '../../../../src/core/records';
import { toSessionRow } from '../../ingest/rows';
import { num } from '../queries/index';
import { attentionColumns } from './attention';
import type { ClickHouseHttp } from './http';
import { identifier, literal, sql } from './literal';
import { latestOf, pageSums } from './reads';

type Row = Record<string, unknown>;

export interface PrivacyLayout {
  database: string;
  cluster?: string | undefined;
  /** How long to wait for the deletes to finish. @defaultValue 120 s */
  mutationTimeoutMs?: number;
}

const COUNTED = ['weight_micro', 'duration_ms', 'engaged_ms', 'break_count', 'break_total_ms_weighted', 'band', 'page_paths', 'meta_keys',
  'vital_paths', 'scroll_paths', 'section_paths', 'media_paths', ...BREAK_BUCKETS.map((b) => b.column)];

export function clickHousePrivacy(http: ClickHouseHttp, { database, cluster, mutationTimeoutMs = 120_000 }: PrivacyLayout) {
  const db = identifier(database, 'ClickHouse database');
  // Mutations run on the tables that hold rows: each shard's local tables, on a cluster.
  const table = (name: string) => (cluster ? `${db}.${name}_local ON CLUSTER ${identifier(cluster, 'ClickHouse cluster')}` : `${db}.${name}`);
  const mutations = cluster ? `cluster(${literal(cluster)}, system, mutations)` : 'system.mutations';

  async function mutate(name: string, where: string) {
    await http.exec(`ALTER TABLE ${table(name)} DELETE WHERE ${where}`);
  }
  async function settle() {
    for (const t0 = Date.now(); ; ) {
      const [r] = await http.rows<{ n: string }>(`SELECT count() AS n FROM ${mutations} WHERE database = ${literal(database)} AND is_done = 0`);
      if (num(r?.n) === 0) return;
      if (Date.now() - t0 > mutationTimeoutMs) throw new Error(`ClickHouse: deletes in ${database} still running after ${mutationTimeoutMs / 1000} s; they finish in the background`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The latest snapshots of a person's sessions, with what the counts need. */
  const personSessions = (person: Person, columns: string[]) => {
    const match = 'userId' in person ? sql`user_id = ${person.userId}` : sql`anonymous_id = ${person.anonymousId}`;
    return latestOf({ alsoAny: ` AND ${match}`, alsoLatest: ` AND l_${match}` }, ['user_id', 'anonymous_id', ...columns]);
  };

  /** Counts of what removing these latest snapshots removes, as the SQL stores count their rows. */
  const counts = (from: string) =>
    `SELECT count() AS sessions, sum(length(l_page_paths)) AS pages, sum(length(l_meta_keys)) AS meta,
      sum(length(l_vital_paths) + length(l_scroll_paths) + length(l_section_paths) + length(l_media_paths)) AS attention FROM (${from})`;

  return {
    async checkWritable() {
      await http.exec(`INSERT INTO ${db}.health_check (id, checked_at) VALUES (1, ${literal(Date.now())})`);
    },

    async erase(person: Person): Promise<ErasureResult> {
      const latest = personSessions(person, ['anonymous_id', ...COUNTED]);
      const keys = await http.rows<{ site_id: string; id: string; l_anonymous_id: string }>(`SELECT site_id, id, l_anonymous_id FROM (${latest})`);
      const [c] = await http.rows<Row>(counts(latest));
      const list = keys.map((k) => sql`(${k.site_id}, ${k.id})`).join(', ');
      let alerts = 0;
      if (keys.length) {
        const [a] = await http.rows<Row>(`SELECT count() AS n FROM (SELECT 1 FROM alerts WHERE (site_id, session_id) IN (${list}) GROUP BY site_id, session_id, threshold, direction)`);
        alerts = num(a?.n);
        await mutate('alerts', `(site_id, session_id) IN (${list})`);
        await mutate('session_seq', `(site_id, id) IN (${list})`);
      }
      // Every snapshot that names the person goes, also older ones of a session that someone else's now.
      const names = 'userId' in person ? sql`user_id = ${person.userId}` : sql`anonymous_id = ${person.anonymousId}`;
      await mutate('sessions', keys.length ? `(site_id, id) IN (${list}) OR ${names}` : names);
      await settle();
      return {
        sessions: keys.length, records: keys.length, pages: num(c?.pages), alerts, attention: num(c?.attention), meta: num(c?.meta),
        anonymousIds: 'userId' in person ? [...new Set(keys.map((k) => k.l_anonymous_id))].sort() : [],
      };
    },

    async exportPerson(person: Person, at: number): Promise<PersonExport> {
      const columns = ['seq', 'user_id', 'anonymous_id', 'user_key', 'started_at', 'start_day', 'last_active_at', 'duration_ms', 'engaged_ms', 'break_count',
        'break_total_ms', 'band', 'weight', 'final', 'current_page', 'record', 'received_at', 'page_paths', 'page_views', 'page_engaged_ms',
        'page_first_seen_at', 'page_last_seen_at', 'meta_keys', 'meta_values'];
      const rows = await http.rows<Row>(`SELECT * FROM (${personSessions(person, columns)}) ORDER BY l_started_at, site_id, id`);
      const list = rows.map((r) => sql`(${String(r.site_id)}, ${String(r.id)})`).join(', ');
      const alerts = rows.length
        ? await http.rows<Row>(`SELECT site_id, session_id, threshold, direction, argMax(at, keep) AS at, argMax(engaged_ms, keep) AS engaged_ms
            FROM alerts WHERE (site_id, session_id) IN (${list}) GROUP BY site_id, session_id, threshold, direction ORDER BY site_id, session_id, at`)
        : [];
      const sessions: Row[] = [];
      const pages: Row[] = [];
      const meta: Row[] = [];
      const attention: Record<string, Row[]> = { page_vitals: [], page_scroll: [], page_sections: [], page_media: [] };
      for (const r of rows) {
        const key = { site_id: r.site_id, session_id: r.id };
        const record = JSON.parse(String(r.l_record)) as Record<string, unknown>;
        sessions.push({ site_id: r.site_id, id: r.id, ...Object.fromEntries(columns.filter((c) => !c.startsWith('page_') && !c.startsWith('meta_') && c !== 'record').map((c) => [c, typeof r[`l_${c}`] === 'string' && /^-?\d+$/.test(String(r[`l_${c}`])) && c !== 'user_id' && c !== 'anonymous_id' && c !== 'user_key' ? Number(r[`l_${c}`]) : r[`l_${c}`]])), record });
        const paths = r.l_page_paths as string[];
        paths.forEach((path, i) => pages.push({ ...key, path, views: num((r.l_page_views as unknown[])[i]), engaged_ms: num((r.l_page_engaged_ms as unknown[])[i]),
          first_seen_at: num((r.l_page_first_seen_at as unknown[])[i]), last_seen_at: num((r.l_page_last_seen_at as unknown[])[i]) }));
        (r.l_meta_keys as string[]).forEach((k, i) => meta.push({ ...key, key: k, value: (r.l_meta_values as string[])[i] }));
        // The attention figures as the other stores' page_* rows: from the record itself, as they were built.
        const a = attentionColumns(toSessionRow(record as unknown as SessionRecord, 0));
        (a.vital_paths as string[]).forEach((path, i) => attention.page_vitals!.push({ ...key, path, name: a.vital_names![i], value: a.vital_values![i] }));
        (a.scroll_paths as string[]).forEach((path, i) => attention.page_scroll!.push({ ...key, path, depth: a.scroll_depths![i] }));
        (a.section_paths as string[]).forEach((path, i) => attention.page_sections!.push({ ...key, path, name: a.section_names![i], engaged_ms: a.section_engaged_ms![i] }));
        (a.media_paths as string[]).forEach((path, i) => attention.page_media!.push({ ...key, path, name: a.media_names![i], watched_ms: a.media_watched_ms![i] }));
      }
      return {
        person: 'userId' in person ? { user_id: person.userId } : { anonymous_id: person.anonymousId },
        exported_at: new Date(at).toISOString(),
        sessions, pages, meta, attention,
        alerts: alerts.map((x) => ({ ...x, at: num(x.at), engaged_ms: num(x.engaged_ms) })),
        // This store keeps no per-user rollups: everything about the person is in the rows above.
        rollups: { user_month: [], user_year: [], site_user: [] },
      };
    },

    async removeBefore(beforeDay: string, cutoffMs: number): Promise<RetentionResult> {
      const old = latestOf({ alsoAny: sql` AND start_day < toDate(${beforeDay})`, alsoLatest: sql` AND l_start_day < toDate(${beforeDay})` },
        ['start_day', 'engaged_ms', 'duration_ms', 'page_views', 'page_engaged_ms', ...COUNTED]);
      const days = (await http.rows<{ day: string }>(`SELECT DISTINCT toString(l_start_day) AS day FROM (${old}) ORDER BY day`)).map((r) => r.day);
      const [c] = await http.rows<Row>(counts(old));
      const [a] = await http.rows<Row>(`SELECT count() AS n FROM (SELECT 1 FROM alerts WHERE at < ${literal(cutoffMs)} GROUP BY site_id, session_id, threshold, direction)`);
      if (days.length) {
        const bucket = (lo: number, hi: number | null) => `toInt64(sumIf(l_weight_micro, l_duration_ms >= ${lo * 1000}${hi === null ? '' : ` AND l_duration_ms < ${hi * 1000}`}))`;
        // What the site-level reports need of the removed sessions, kept before they go.
        await http.exec(`INSERT INTO ${db}.site_day_kept
          SELECT site_id, l_start_day, toUInt8(isNull(l_band)), ifNull(l_band, ''), count(), sum(l_weight_micro), sum(l_duration_ms), sum(l_engaged_ms),
            sumIf(l_weight_micro, l_engaged_ms < 30000), min(l_engaged_ms), [${DURATION_BUCKETS.map((b) => bucket(b.min, b.max)).join(', ')}],
            sum(l_break_count), sum(l_break_count * l_weight_micro), sum(l_break_total_ms_weighted),
            [${BREAK_BUCKETS.map((b) => `toInt64(sum(l_${b.column} * l_weight_micro))`).join(', ')}]
          FROM (${old}) GROUP BY site_id, l_start_day, isNull(l_band), ifNull(l_band, '')`);
        await http.exec(`INSERT INTO ${db}.site_day_page_kept ${pageSums(old, 'site_id, l_start_day, path')}`);
        await mutate('sessions', sql`start_day < toDate(${beforeDay})`);
      }
      await mutate('alerts', `at < ${literal(cutoffMs)}`);
      await settle();
      const sessions = num(c?.sessions);
      return { days, sessions, records: sessions, pages: num(c?.pages), alerts: num(a?.n), attention: num(c?.attention), meta: num(c?.meta) };
    },
  };
}
