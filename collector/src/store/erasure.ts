/**
 * The privacy lifecycle's SQL, written once for both stores (`?` placeholders, as store/queries.ts):
 * erasing a person and removing days past the retention period (exporting what is stored about a
 * person: person-export.ts).
 *
 * Each operation is a plan: reads first (what the writes need to know, such as the days and rollup keys
 * a person's sessions touch), then writes built from what was read; a store runs one plan in one
 * transaction (SQLite synchronously inside better-sqlite3's transaction, PostgreSQL between BEGIN and
 * COMMIT), so an erasure is all or nothing.
 *
 * Rollups after an erasure are exact: deleting a session row takes its integer share out of every rollup
 * in the same transaction (migration 006's triggers), so only the rows that it leaves empty and that still
 * name the person (user_month, user_year, site_user) are deleted here.
 *
 * Retention keeps site_day, site_day_band (per site and day: counts, sums and histograms) and
 * site_day_page (per site, day and page path: sessions, views and dwell time), which name no user,
 * browser or session: their rows of the day are read before the day's sessions are deleted and written
 * back after, so the triggers' subtraction is undone for them alone. user_month and user_year (keyed by user),
 * site_user and user_day lose the removed sessions' share, and rows left empty are deleted; the distinct
 * user counts (day_users, site_day_users) follow user_day, so they cover the retained days only (who
 * was counted on a removed day cannot be known without keeping who they were).
 */
import type { Query } from './queries/index';

/** Whose data: an identified user (userId), or a browser (anonymousId, with or without a userId). */
export type Person = { userId: string } | { anonymousId: string };

export type Row = Record<string, unknown>;

/** A write whose changed-row count is added to `label` in the result, when it has one. */
export interface Write extends Query {
  label?: 'sessions' | 'records' | 'pages' | 'alerts' | 'attention' | 'meta';
}

export interface Plan<T> {
  reads: Record<string, Query>;
  writes(read: Record<string, Row[]>): Write[];
  result(read: Record<string, Row[]>, changed: Record<NonNullable<Write['label']>, number>): T;
}

export interface ErasureResult {
  sessions: number;
  records: number;
  pages: number;
  alerts: number;
  /** Rows of the page-attention tables (migration 008: vitals, scroll, sections, media). */
  attention: number;
  /** The sessions' `meta` dimensions (migration 009, session_meta). */
  meta: number;
  /** A user's erasure: the anonymous ids their sessions carried (their sessions before sign-in are erased by anonymous id). */
  anonymousIds: string[];
}

export interface RetentionResult {
  /** The days (start_day) whose sessions were removed. */
  days: string[];
  sessions: number;
  records: number;
  pages: number;
  alerts: number;
  attention: number;
  meta: number;
}

/** The condition that picks a person's session rows (`alias`: the sessions table's, with its dot). */
export const matches = (person: Person, alias = ''): Query =>
  'userId' in person ? { sql: `${alias}user_id = ?`, params: [person.userId] } : { sql: `${alias}anonymous_id = ?`, params: [person.anonymousId] };

const str = (v: unknown) => String(v);

/**
 * Every table whose rows belong to one session, by (site_id, session_id): what an erasure and retention
 * delete with the session. A test reads the schema of both stores and fails when a table with a
 * session_id column is missing here, so a new migration cannot leave a person's rows behind.
 */
export const SESSION_TABLES = {
  alerts: 'alerts',
  pages: 'session_pages',
  attention: ['page_vitals', 'page_scroll', 'page_sections', 'page_media'],
  meta: 'session_meta',
  /** Webhook events about the session (migration 012); not counted in the results, which name record tables. */
  webhooks: 'webhook_outbox',
  /** What each relay told its vendor about the session (migration 013); not counted either. */
  relays: 'relay_ledger',
} as const;

/** Deletes webhook events (and their attempt log) matching `where`, a condition on webhook_outbox. */
function webhookEvents(where: string, params: unknown[]): Write[] {
  return [
    { sql: `DELETE FROM webhook_attempts WHERE event_id IN (SELECT id FROM webhook_outbox WHERE ${where})`, params },
    { sql: `DELETE FROM webhook_outbox WHERE ${where}`, params },
  ];
}

/** Webhook events created before the cutoff (retention). */
export const oldWebhookEvents = (cutoffMs: number): Write[] => webhookEvents('created_at < ?', [cutoffMs]);

/** Deletes the rows of a person's sessions from the tables that hang off sessions, then the sessions. */
function deleteSessions(where: Query): Write[] {
  const of = (table: string, idColumn: string) =>
    `DELETE FROM ${table} WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.site_id = ${table}.site_id AND s.id = ${table}.${idColumn} AND s.${where.sql})`;
  return [
    { label: 'alerts', sql: of(SESSION_TABLES.alerts, 'session_id'), params: where.params },
    { label: 'pages', sql: of(SESSION_TABLES.pages, 'session_id'), params: where.params },
    ...SESSION_TABLES.attention.map((table): Write => ({ label: 'attention', sql: of(table, 'session_id'), params: where.params })),
    { label: 'meta', sql: of(SESSION_TABLES.meta, 'session_id'), params: where.params },
    ...webhookEvents(`EXISTS (SELECT 1 FROM sessions s WHERE s.site_id = webhook_outbox.site_id AND s.id = webhook_outbox.session_id AND s.${where.sql})`, where.params),
    { sql: of(SESSION_TABLES.relays, 'session_id'), params: where.params },
    { label: 'records', sql: of('session_records', 'id'), params: where.params },
    { label: 'sessions', sql: `DELETE FROM sessions WHERE ${where.sql}`, params: where.params },
  ];
}

const emptiedSiteUsers = (rows: Row[]): Write[] =>
  rows.map((r) => ({ sql: 'DELETE FROM site_user WHERE site_id = ? AND user_id = ? AND sessions <= 0', params: [str(r.site_id), str(r.user_id)] }));

const personKeys = (person: Person) => ['userId' in person ? person.userId : person.anonymousId];

export function erasurePlan(person: Person): Plan<ErasureResult> {
  const m = matches(person);
  return {
    reads: {
      months: { sql: `SELECT DISTINCT substr(start_day, 1, 7) AS month, user_key, site_id FROM sessions WHERE ${m.sql}`, params: m.params },
      users: { sql: `SELECT DISTINCT site_id, user_id FROM sessions WHERE ${m.sql} AND user_id IS NOT NULL`, params: m.params },
      anonymous: { sql: `SELECT DISTINCT anonymous_id FROM sessions WHERE ${m.sql}`, params: m.params },
    },
    writes: (read) => [
      ...deleteSessions(m),
      ...emptiedSiteUsers(read.users!),
      // Rows a replacement emptied earlier (identify moves a session from its anonymous id to a user) still
      // name the person: every emptied row under any of their keys goes. A scan of the rollup (keyed by
      // month or site first), which an erasure can afford.
      ...[...new Set([...personKeys(person), ...read.anonymous!.map((r) => str(r.anonymous_id)), ...read.users!.map((r) => str(r.user_id))])].map(
        (key): Write[] => ['user_month', 'user_year'].map((table) => ({ sql: `DELETE FROM ${table} WHERE user_key = ? AND sessions <= 0`, params: [key] })),
      ).flat(),
      ...read.months!.map((r): Write => ({
        sql: 'DELETE FROM user_month WHERE month = ? AND user_key = ? AND site_id = ? AND sessions <= 0',
        params: [str(r.month), str(r.user_key), str(r.site_id)],
      })),
      ...[...new Set(read.months!.map((r) => JSON.stringify([str(r.month).slice(0, 4), str(r.user_key), str(r.site_id)])))].map((key): Write => ({
        sql: 'DELETE FROM user_year WHERE year = ? AND user_key = ? AND site_id = ? AND sessions <= 0',
        params: JSON.parse(key) as string[],
      })),
      ...('userId' in person ? [{ sql: 'DELETE FROM site_user WHERE user_id = ? AND sessions <= 0', params: [person.userId] }] : []),
      // users.inactive events name the user without a session.
      ...('userId' in person ? webhookEvents('user_id = ?', [person.userId]) : []),
    ],
    result: (read, changed) => ({
      ...changed,
      anonymousIds: 'userId' in person ? read.anonymous!.map((r) => str(r.anonymous_id)).sort() : [],
    }),
  };
}

/** The rollups without a person in them, kept by retention: read before a day's sessions go and written back after. */
export const KEPT_ROLLUPS = ['site_day', 'site_day_band', 'site_day_page'] as const;

/** `INSERT INTO table (columns) VALUES (...)` of a row as read: every column, whatever the migrations named them. */
const restore = (table: string, row: Row): Write => {
  const columns = Object.keys(row);
  return { sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, params: columns.map((c) => row[c]) };
};

/** Removes the sessions that started on `day` and everything hanging off them, keeping the rollups of KEPT_ROLLUPS. */
export function retentionDayPlan(day: string): Plan<Omit<RetentionResult, 'days'>> {
  const onDay: Query = { sql: 'start_day = ?', params: [day] };
  return {
    reads: {
      users: { sql: 'SELECT DISTINCT site_id, user_id FROM sessions WHERE start_day = ? AND user_id IS NOT NULL', params: [day] },
      ...Object.fromEntries(KEPT_ROLLUPS.map((table) => [table, { sql: `SELECT * FROM ${table} WHERE start_day = ?`, params: [day] }])),
    },
    writes: (read) => [
      ...deleteSessions(onDay),
      // Page rows of the day whose session row is already gone (none in a consistent store).
      { label: 'pages', sql: 'DELETE FROM session_pages WHERE start_day = ?', params: [day] },
      ...SESSION_TABLES.attention.map((table): Write => ({ label: 'attention', sql: `DELETE FROM ${table} WHERE start_day = ?`, params: [day] })),
      { sql: 'DELETE FROM user_month WHERE month = ? AND sessions <= 0', params: [day.slice(0, 7)] },
      { sql: 'DELETE FROM user_year WHERE year = ? AND sessions <= 0', params: [day.slice(0, 4)] },
      ...emptiedSiteUsers(read.users!),
      ...KEPT_ROLLUPS.flatMap((table) => [
        { sql: `DELETE FROM ${table} WHERE start_day = ?`, params: [day] },
        ...read[table]!.map((row) => restore(table, row)),
      ]),
    ],
    result: (_read, changed) => changed,
  };
}

export const retentionDays = (beforeDay: string): Query => ({
  sql: 'SELECT DISTINCT start_day FROM sessions WHERE start_day < ? ORDER BY start_day',
  params: [beforeDay],
});

/** Alerts older than the cutoff whose session was stored on a later day or never (they carry no user id). */
export const oldAlerts = (cutoffMs: number): Write => ({ label: 'alerts', sql: 'DELETE FROM alerts WHERE at < ?', params: [cutoffMs] });

/** Runs a plan's reads then writes on one transaction's executor (sync for SQLite, async for PostgreSQL). */
export function runPlanSync<T>(plan: Plan<T>, all: (q: Query) => Row[], run: (q: Query) => number): T {
  const read = Object.fromEntries(Object.entries(plan.reads).map(([k, q]) => [k, all(q)]));
  const changed = { sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 };
  for (const w of plan.writes(read)) {
    const n = run(w);
    if (w.label) changed[w.label] += n;
  }
  return plan.result(read, changed);
}

export async function runPlan<T>(plan: Plan<T>, all: (q: Query) => Promise<Row[]>, run: (q: Query) => Promise<number>): Promise<T> {
  const read: Record<string, Row[]> = {};
  for (const [k, q] of Object.entries(plan.reads)) read[k] = await all(q);
  const changed = { sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 };
  for (const w of plan.writes(read)) {
    const n = await run(w);
    if (w.label) changed[w.label] += n;
  }
  return plan.result(read, changed);
}
