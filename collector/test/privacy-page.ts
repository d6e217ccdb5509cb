/**
 * The tables docs/privacy.md says a store holds (section "Where it is stored"), so that a test can hold
 * the page to each store's schema: a table added by a migration and not described there fails.
 */
import { readFileSync } from 'node:fs';

const page = () => readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');

function section(): string {
  const text = page();
  const start = text.indexOf('## Where it is stored');
  const end = text.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('docs/privacy.md has no section "## Where it is stored"');
  return text.slice(start, end);
}

/** The tables of the section's table (its first column): the SQLite and PostgreSQL schema. */
export function documentedSqlTables(): string[] {
  const rows = section().split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((l) => [...l.split('|')[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!)).sort();
}

/** Every `name` the section mentions, the ClickHouse paragraph included. */
export function namedInSection(): Set<string> {
  return new Set([...section().matchAll(/`(\w+)`/g)].map((m) => m[1]!));
}
