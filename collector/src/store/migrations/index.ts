/**
 * Migrations: numbered SQL files, one per dialect (`NNN_name.sqlite.sql`, `NNN_name.postgres.sql`),
 * applied in order once each and recorded in `schema_migrations`. Add a change as a new pair of files;
 * never edit one that has shipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// From source the SQL files sit beside this module; in the built collector (dist/cli.js, collector/build.mjs)
// this module is part of dist/cli.js and they are in dist/migrations/.
const beside = fileURLToPath(new URL('.', import.meta.url));
const dir = basename(beside) === 'migrations' ? beside : fileURLToPath(new URL('./migrations/', import.meta.url));

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
