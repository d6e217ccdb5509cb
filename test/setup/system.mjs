// Makes sure the system parts the tests need are here: Debian's Chromium (the real browser for
// Playwright) and a running PostgreSQL (the collector's second store). As root with apt it installs
// and starts them; anywhere else it stops with the exact command to run. Nothing is skipped: a
// missing browser or database is a failure, not a reason to test less.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const CHROMIUM = process.env.SM_CHROMIUM ?? '/usr/bin/chromium';
const PG_PASSWORD = 'session-metrics-test';
const PG_DB = 'session_metrics_test';
const isRoot = process.getuid?.() === 0;
const hasApt = existsSync('/usr/bin/apt-get');

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
}

function fail(message) {
  console.error(`\n[test setup] ${message}\n`);
  process.exit(1);
}

function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(`${base}/${v}/bin/postgres`));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? `${base}/${versions[0]}/bin` : null;
}

/** Installs the Debian packages that are missing, or says how. */
export function ensurePackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!process.env.SM_TEST_DATABASE_URL && !pgBinDir()) missing.push('postgresql');
  if (!missing.length) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!isRoot || !hasApt) fail(`Missing ${missing.join(' and ')}. Install with:\n  sudo ${command}\nor point SM_CHROMIUM / SM_TEST_DATABASE_URL at your own.`);
  console.log(`[test setup] installing ${missing.join(', ')} with apt-get (one time)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0) fail(`apt-get failed; run it by hand:\n  ${command}`);
}

/** Starts the local PostgreSQL cluster, sets a loopback password and creates the test database. */
export function ensurePostgres() {
  if (process.env.SM_TEST_DATABASE_URL) return process.env.SM_TEST_DATABASE_URL;
  if (!isRoot) fail('PostgreSQL: set SM_TEST_DATABASE_URL=postgres://user:password@host:port/db (an empty database the tests may write to).');
  const clusters = sh('pg_lsclusters', ['--no-header']).trim().split('\n').filter(Boolean).map((l) => l.split(/\s+/));
  if (!clusters.length) fail('PostgreSQL is installed but has no cluster. Create one with:\n  pg_createcluster --start 15 main');
  const [version, name, port, status] = clusters[0];
  if (status !== 'online') {
    console.log(`[test setup] starting PostgreSQL ${version}/${name}`);
    sh('pg_ctlcluster', [version, name, 'start']);
  }
  const psql = (sql) => sh('su', ['postgres', '-c', `psql -p ${port} -tAc "${sql}"`]);
  psql(`ALTER USER postgres PASSWORD '${PG_PASSWORD}'`);
  if (!psql(`SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'`).trim()) psql(`CREATE DATABASE ${PG_DB}`);
  return `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${port}/${PG_DB}`;
}
