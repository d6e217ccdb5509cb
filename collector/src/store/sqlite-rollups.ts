/**
 * The rollups of one SQLite write transaction, kept once per group commit instead of once per row (issue 14;
 * migration 017 dropped the per-row triggers on inserts and updates). Each session written adds its share
 * (store/rollup-shares.ts) and takes away the share of the row it replaced, each page row likewise; the
 * differences are summed per rollup row in memory and applied at the end of the transaction, one upsert per
 * rollup row touched. Integers throughout, so the result is that of the per-row triggers to the unit, and
 * a record refused (lower seq, over quota, or a failed transaction, which discards this state with it)
 * adds nothing. Deletes (erasure, retention) still go through the triggers migrations 006 and 011 left on
 * DELETE; so does the delete of a page a snapshot no longer lists, which is why it is not counted here.
 *
 * The least engaged time of a band and a user's latest activity (MIN and MAX do not subtract) are read
 * again from sessions for each band and user row touched, after the transaction's rows are in place.
 * user_day counts go through migration 011's user_day_change view, whose day-to-day counts depend on a
 * user-day appearing or disappearing: once per touched key, with the rest of the difference added plainly.
 */
import type Database from 'better-sqlite3';
import type { SessionRow } from '../ingest/rows';
import * as q from './queries/index';
import {
  KEYS, pageShare, ROLLED_COLUMNS, ROLLED_PAGE_COLUMNS, rolledOf, rolledPagesOf, sessionShares, SUMMED,
  type Key, type RolledPage, type RolledSession, type Rollup, type Share,
} from './rollup-shares';

/** A sum pending for a rollup row is applied at once past this, so that it stays an exact double (one share is under 2^44). */
const EXACT = 2 ** 52;
/** Page rows per multi-row upsert, well under SQLite's 32,766 bound parameters. */
const PAGE_CHUNK = 500;

export interface TransactionRollups {
  /** Sessions of `siteId` starting on `day`: stored, plus this transaction's pending ones (the quota reads it). */
  daySessions(day: string, siteId: string): number;
  /** The session `s` replaces as the store holds it now, this transaction's writes included; undefined when new. */
  before(s: SessionRow): RolledSession | undefined;
  /** `s` was written over `old`: its share goes in, old's out; then its page rows are written and counted. */
  written(s: SessionRow, old: RolledSession | undefined): void;
  /** Applies every pending difference, one statement per rollup row. Call last, inside the transaction. */
  apply(): void;
}

const sumsUpsert = (table: string, keys: readonly string[], sums: readonly string[]) =>
  `INSERT INTO ${table} (${[...keys, ...sums].join(', ')}) VALUES (${[...keys, ...sums].map(() => '?').join(', ')})
   ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sums.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;

function statements(db: Database.Database) {
  const sums = (r: 'user_month' | 'user_year' | 'site_day' | 'site_day_page') => db.prepare(sumsUpsert(r, KEYS[r], SUMMED[r]));
  const pageUpserts = new Map<number, Database.Statement>();
  return {
    session: db.prepare(`SELECT ${ROLLED_COLUMNS.join(', ')} FROM sessions WHERE site_id = ? AND id = ?`),
    pages: db.prepare(`SELECT ${ROLLED_PAGE_COLUMNS.join(', ')} FROM session_pages WHERE site_id = ? AND session_id = ?`),
    // Its row's share leaves site_day_page through migration 011's delete trigger.
    deletePage: db.prepare('DELETE FROM session_pages WHERE site_id = ? AND session_id = ? AND path = ?'),
    upsertPages: (n: number) => {
      let st = pageUpserts.get(n);
      if (!st) {
        const row = `(${q.PAGE_COLUMNS.map(() => '?').join(', ')})`;
        st = db.prepare(`INSERT INTO session_pages (${q.PAGE_COLUMNS.join(', ')}) VALUES ${Array(n).fill(row).join(', ')} ${q.PAGE_UPSERT_TAIL}`);
        pageUpserts.set(n, st);
      }
      return st;
    },
    daySessions: db.prepare('SELECT sessions FROM site_day WHERE start_day = ? AND site_id = ?').pluck(),
    user_month: sums('user_month'),
    user_year: sums('user_year'),
    site_day: sums('site_day'),
    site_day_page: sums('site_day_page'),
    site_day_band: db.prepare(`INSERT INTO site_day_band (start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms)
      VALUES (@day, @site, @band IS NULL, COALESCE(@band, ''), @sessions, @weight, (SELECT MIN(engaged_ms) FROM sessions WHERE start_day = @day AND site_id = @site AND band IS @band))
      ON CONFLICT (start_day, site_id, no_band, band) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
        min_engaged_ms = excluded.min_engaged_ms`),
    site_user: db.prepare(`INSERT INTO site_user (site_id, user_id, sessions, weight_micro, last_active_at)
      VALUES (@site, @user, @sessions, @weight, (SELECT MAX(last_active_at) FROM sessions WHERE site_id = @site AND user_id = @user))
      ON CONFLICT (site_id, user_id) DO UPDATE SET sessions = sessions + excluded.sessions, weight_micro = weight_micro + excluded.weight_micro,
        last_active_at = excluded.last_active_at`),
    userDayChange: db.prepare('INSERT INTO user_day_change (sign, user_key, site_id, start_day) VALUES (?, ?, ?, ?)'),
    userDayAdd: db.prepare('UPDATE user_day SET sessions = sessions + ? WHERE user_key = ? AND site_id = ? AND start_day = ?'),
  };
}

type Statements = ReturnType<typeof statements>;

/** One rollup row's pending difference applied. */
function applier(st: Statements): Record<Rollup, (key: Key, sums: number[]) => void> {
  return {
    user_month: (key, sums) => st.user_month.run(...key, ...sums),
    user_year: (key, sums) => st.user_year.run(...key, ...sums),
    site_day: (key, sums) => st.site_day.run(...key, ...sums),
    site_day_page: (key, sums) => st.site_day_page.run(...key, ...sums),
    site_day_band: ([day, site, band], [sessions, weight]) => st.site_day_band.run({ day, site, band, sessions, weight }),
    site_user: ([site, user], [sessions, weight]) => st.site_user.run({ site, user, sessions, weight }),
    // The view sees a user-day appear (0 to 1) or disappear (1 to 0); the rest of the count is added plainly.
    user_day: (key, [d]) => {
      if (d! > 0) {
        st.userDayChange.run(1, ...key);
        if (d! > 1) st.userDayAdd.run(d! - 1, ...key);
      } else if (d! < 0) {
        if (d! < -1) st.userDayAdd.run(d! + 1, ...key);
        st.userDayChange.run(-1, ...key);
      }
    },
  };
}

/** Prepares the statements (the tables exist: after migrate) and returns a function that starts one transaction's rollups. */
export function sqliteRollups(db: Database.Database): () => TransactionRollups {
  const st = statements(db);
  const apply = applier(st);
  return () => {
    const pending = new Map<Rollup, Map<string, { key: Key; sums: number[] }>>(Object.keys(SUMMED).map((r) => [r as Rollup, new Map()]));
    // What the store holds now for the sessions this transaction touched (null: none), and their page rows by path.
    const sessions = new Map<string, RolledSession | null>();
    const pages = new Map<string, Map<string, RolledPage>>();

    const add = ({ rollup, key, values }: Share, sign: 1 | -1) => {
      const rows = pending.get(rollup)!;
      const id = JSON.stringify(key);
      let row = rows.get(id);
      if (!row) rows.set(id, (row = { key, sums: values.map(() => 0) }));
      let large = false;
      for (let i = 0; i < values.length; i++) large = Math.abs((row.sums[i]! += sign * values[i]!)) > EXACT || large;
      if (large) {
        apply[rollup](row.key, row.sums);
        rows.delete(id);
      }
    };

    const writePages = (s: SessionRow, id: string) => {
      let stored = pages.get(id);
      if (!stored) pages.set(id, (stored = new Map((st.pages.all(s.siteId, s.id) as RolledPage[]).map((p) => [p.path, p]))));
      const next = rolledPagesOf(s);
      const listed = new Set(next.map((p) => p.path));
      for (const path of stored.keys()) {
        if (listed.has(path)) continue;
        st.deletePage.run(s.siteId, s.id, path);
        stored.delete(path);
      }
      const values = q.pageValues(s);
      for (let i = 0; i < values.length; i += PAGE_CHUNK) {
        const part = values.slice(i, i + PAGE_CHUNK);
        st.upsertPages(part.length).run(...part.flat());
      }
      for (const p of next) {
        const was = stored.get(p.path);
        add(pageShare(p), 1);
        if (was) add(pageShare(was), -1);
        stored.set(p.path, p);
      }
    };

    return {
      daySessions(day, siteId) {
        const sums = pending.get('site_day')!.get(JSON.stringify([day, siteId]))?.sums;
        return Number(st.daySessions.get(day, siteId) ?? 0) + (sums?.[0] ?? 0);
      },
      before(s) {
        const id = JSON.stringify([s.siteId, s.id]);
        let row = sessions.get(id);
        if (row === undefined) sessions.set(id, (row = (st.session.get(s.siteId, s.id) as RolledSession | undefined) ?? null));
        return row ?? undefined;
      },
      written(s, old) {
        const row = rolledOf(s);
        for (const share of sessionShares(row)) add(share, 1);
        if (old) for (const share of sessionShares(old)) add(share, -1);
        const id = JSON.stringify([s.siteId, s.id]);
        sessions.set(id, row);
        writePages(s, id);
      },
      apply() {
        for (const [rollup, rows] of pending) {
          for (const { key, sums } of rows.values()) apply[rollup](key, sums);
          rows.clear();
        }
      },
    };
  };
}
