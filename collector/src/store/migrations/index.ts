/**
 * Migrations: numbered SQL files, one per dialect (`NNN_name.sqlite.sql`, `NNN_name.postgres.sql`),
 * applied in order once each and recorded in `schema_migrations`. Add a change as a new pair of files;
 * never edit one that has shipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const dir = fileURLToPath(new URL('.', import.meta.url));

export function migrations(dialect: 'sqlite' | 'postgres' | 'clickhouse'): Migration[] {
  const suffix = `.${dialect}.sql`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => {
      const m = /^(\d+)_(.+)$/.exec(f.slice(0, -suffix.length));
      if (!m) throw new Error(`migration file ${f} must be named NNN_name${suffix}`);
      return { version: Number(m[1]), name: m[2]!, sql: readFileSync(`${dir}/${f}`, 'utf8') };
    });
}
