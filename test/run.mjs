// `npm test`: everything that decides whether session-metrics works, in one command.
// System dependencies first (Chromium, PostgreSQL, ClickHouse with the ZooKeeper its cluster needs), then build, types, unit and collector tests,
// bundle size, package lint, and the real-browser tests. Every stage runs even when an earlier
// test stage failed, so one run shows every failure; the exit code is non-zero if any failed.
// A CI log is often read from its end, so the failures are named again after the summary.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClickHouse } from './setup/clickhouse.mjs';
import { ensurePackages, ensurePostgres } from './setup/system.mjs';

ensurePackages();
const env = { ...process.env, SM_TEST_DATABASE_URL: ensurePostgres(), ...(await ensureClickHouse()) };
const reports = mkdtempSync(join(tmpdir(), 'sm-test-'));
const vitestJson = join(reports, 'vitest.json');

const stages = [
  ['build', 'npm', ['run', 'build'], { fatal: true }],
  ['types', 'npm', ['run', 'typecheck']],
  ['unit and collector tests', 'npm', ['run', 'test:unit', '--', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], { failures: vitestFailures }],
  ['bundle size', 'npm', ['run', 'test:size']],
  ['package exports', 'npm', ['run', 'test:package']],
  ['browser tests', 'npm', ['run', 'test:e2e']],
];

/** Runs a stage with its output shown as it comes and kept, so its failures can be named at the end. */
function runStage(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    const keep = (stream, out) => stream.on('data', (chunk) => { out.write(chunk); output += chunk; });
    keep(child.stdout, process.stdout);
    keep(child.stderr, process.stderr);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** Failed Vitest tests from its JSON report: file, test name and the first line of the error. */
function vitestFailures() {
  try {
    const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
    return report.testResults.flatMap((file) => {
      const where = file.name.replace(`${process.cwd()}/`, '');
      const failed = file.assertionResults.filter((t) => t.status === 'failed');
      if (failed.length === 0 && file.status === 'failed') return [`${where}: ${firstLine(file.message)}`];
      return failed.map((t) => `${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    });
  } catch (error) {
    return [`(no Vitest report: ${error.message})`];
  }
}

/** Lines the list reporters of Playwright and Vitest mark as failed, and error lines, from a stage's output. */
function markedFailures(output) {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return plain.split('\n').filter((line) => /^\s*(✘|×|FAIL\s)|^\s*(Error|AssertionError|TypeError)\b/.test(line));
}

function firstLine(text = '') {
  return String(text).replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((line) => line.trim()) ?? '(no message)';
}

const results = [];
for (const [name, cmd, args, opts = {}] of stages) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { status, output } = await runStage(cmd, args);
  const ok = status === 0;
  const failures = ok ? [] : (opts.failures?.() ?? markedFailures(output));
  results.push({ name, ok, failures, seconds: Math.round((Date.now() - started) / 1000) });
  if (!ok && opts.fatal) break;
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok);
for (const r of failed) {
  console.log(`\n--- failed in ${r.name}${r.failures.length > 20 ? ` (first 20 of ${r.failures.length})` : ''}:`);
  for (const line of r.failures.slice(0, 20)) console.log(`  ${line.trim().slice(0, 300)}`);
}
console.log(`\nstages: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length || results.length < stages.length ? 1 : 0);
