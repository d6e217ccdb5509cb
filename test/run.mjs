// `npm test`: everything that decides whether session-metrics works, in one command.
// System dependencies first (Chromium, PostgreSQL, ClickHouse with the ZooKeeper its cluster needs), then build, types, unit and collector tests,
// bundle size, package lint, and the real-browser tests. Every stage runs even when an earlier
// test stage failed, so one run shows every failure; the exit code is non-zero if any failed.
import { spawnSync } from 'node:child_process';
import { ensureClickHouse } from './setup/clickhouse.mjs';
import { ensurePackages, ensurePostgres } from './setup/system.mjs';

ensurePackages();
const env = { ...process.env, SM_TEST_DATABASE_URL: ensurePostgres(), ...(await ensureClickHouse()) };

const stages = [
  ['build', 'npm', ['run', 'build'], { fatal: true }],
  ['types', 'npm', ['run', 'typecheck']],
  ['unit and collector tests', 'npm', ['run', 'test:unit']],
  ['bundle size', 'npm', ['run', 'test:size']],
  ['package exports', 'npm', ['run', 'test:package']],
  ['browser tests', 'npm', ['run', 'test:e2e']],
];

const results = [];
for (const [name, cmd, args, opts = {}] of stages) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env });
  results.push({ name, ok: status === 0, seconds: Math.round((Date.now() - started) / 1000) });
  if (status !== 0 && opts.fatal) break;
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`stages: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed || results.length < stages.length ? 1 : 0);
