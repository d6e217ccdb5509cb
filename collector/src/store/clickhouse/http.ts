/**
 * ClickHouse over its HTTP interface, with nothing but `fetch`. `@clickhouse/client` targets
 * ClickHouse 24.8 and later; Debian ships 18.16, whose HTTP interface takes a statement in the body,
 * settings in the query string, and answers rows as JSON (`FORMAT JSON`) and inserts as
 * `FORMAT JSONEachRow`. Values inside statements are literals from literal.ts; rows to insert are JSON.
 */

export interface ClickHouseHttpOptions {
  /** The HTTP interface, e.g. http://127.0.0.1:8123 (credentials may be in the URL). */
  url: string;
  /** The database statements run in. */
  database: string;
  /** Per statement. @defaultValue 30 000 ms */
  timeoutMs?: number;
  /** Settings sent with every statement (e.g. insert_distributed_sync for a cluster). */
  settings?: Record<string, string | number>;
}

export class ClickHouseError extends Error {
  constructor(
    message: string,
    /** ClickHouse's numeric error code (`Code: N`), when it gave one. */
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'ClickHouseError';
  }
}

export interface ClickHouseHttp {
  /** Runs a statement that returns no rows (DDL, ALTER). */
  exec(statement: string): Promise<void>;
  /** Runs a SELECT and returns its rows as objects (64-bit integers arrive as strings). */
  rows<T = Record<string, unknown>>(statement: string): Promise<T[]>;
  /** Inserts rows as JSONEachRow; resolves once ClickHouse has acknowledged the insert. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** True when the server answers `SELECT 1`. */
  ping(): Promise<boolean>;
}

const short = (statement: string) => (statement.length > 160 ? `${statement.slice(0, 160)}…` : statement).replace(/\s+/g, ' ');

export function clickHouseHttp({ url, database, timeoutMs = 30_000, settings = {} }: ClickHouseHttpOptions): ClickHouseHttp {
  const base = new URL(url);
  const auth = base.username ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}` : undefined;
  base.username = '';
  base.password = '';

  async function send(body: string, extra: Record<string, string> = {}, withDatabase = true): Promise<string> {
    const target = new URL(base);
    if (withDatabase) target.searchParams.set('database', database);
    // The server stops a statement at the same time as this client gives up on it: a report the
    // collector answered 500 for must not go on taking the server's memory and cores.
    const limits = { max_execution_time: Math.max(1, Math.ceil(timeoutMs / 1000)) };
    for (const [k, v] of Object.entries({ ...limits, ...settings, ...extra })) target.searchParams.set(k, String(v));
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...(auth ? { authorization: auth } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new ClickHouseError(`ClickHouse at ${base.origin} did not answer (${(e as Error).message}) to: ${short(body)}`, undefined);
    }
    const text = await response.text();
    if (!response.ok) {
      const code = /Code: (\d+)/.exec(text);
      throw new ClickHouseError(`ClickHouse answered ${response.status} to: ${short(body)}: ${text.trim().slice(0, 400)}`, code ? Number(code[1]) : undefined);
    }
    return text;
  }

  return {
    async exec(statement) {
      // CREATE DATABASE must run before the database exists.
      await send(statement, {}, !/^\s*CREATE DATABASE/i.test(statement));
    },
    async rows<T>(statement: string) {
      const text = await send(`${statement}\nFORMAT JSON`);
      return (JSON.parse(text) as { data: T[] }).data;
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const body = rows.map((r) => JSON.stringify(r)).join('\n');
      await send(body, { query: `INSERT INTO ${table} FORMAT JSONEachRow` });
    },
    async ping() {
      try {
        return (await send('SELECT 1', {}, false)).trim() === '1';
      } catch {
        return false;
      }
    },
  };
}
