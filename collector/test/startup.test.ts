/**
 * Start-up checks (issue 10, point 7), through the real server (tsx src/server.ts): the data directory
 * and the SQLite files are created private, a directory or file the collector cannot use stops the start
 * with one line naming the path and the problem, and the generated token is printed once, at its
 * creation. Run as root, the server runs as nobody: root may write a read-only file.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { session } from './fixtures';

const collectorDir = fileURLToPath(new URL('..', import.meta.url));
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
let base: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'sm-startup-'));
  if (asRoot) chownSync(base, NOBODY, NOBODY);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Gives `path` (made by this test) to the user the server runs as. */
const own = (path: string) => asRoot && chownSync(path, NOBODY, NOBODY);
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Starts the server on `dataDir`; resolves with its output once it listens (then stops it) or exits. */
function start(dataDir: string, env: Record<string, string> = {}, whileRunning: (url: string) => Promise<void> = async () => {}): Promise<{ code: number | null; stdout: string; stderr: string; listened: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: collectorDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SM_DATA_DIR: dataDir, SM_LOG_LEVEL: 'warn', INIT_CWD: collectorDir, SM_API_TOKEN: '', SM_TOKENS: '', DATABASE_URL: '', SM_CLICKHOUSE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let stdout = '';
  let stderr = '';
  let listened = false;
  child.stdout.on('data', async (d: Buffer) => {
    stdout += d.toString();
    const m = /demo page\s+(http:\/\/\S+?)\/\s/.exec(stdout);
    if (m && !listened && /API token .*\n/.test(stdout)) {
      listened = true;
      await whileRunning(m[1]!).finally(() => child.kill('SIGTERM'));
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, listened })));
}

describe('collector start-up', () => {
  it('creates the data directory 0700 and its files 0600, and prints the generated token only at its first start', async () => {
    const dir = join(base, 'data');
    const modes: Record<string, string> = {};
    const first = await start(dir, {}, async (url) => {
      // A stored record: the WAL and shared-memory files exist while the server runs.
      const res = await fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify([session()]) });
      expect(res.status).toBe(200);
      for (const f of ['api-token', 'session-metrics.db', 'session-metrics.db-wal', 'session-metrics.db-shm']) modes[f] = mode(join(dir, f));
    });
    expect(first.listened).toBe(true);
    const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    expect(first.stdout).toContain(`API token   ${token}  (new, stored in ${join(dir, 'api-token')}; printed this once)`);
    expect(first.stdout).toContain(`#token=${token}`);
    expect(mode(dir)).toBe('700');
    expect(modes).toEqual({ 'api-token': '600', 'session-metrics.db': '600', 'session-metrics.db-wal': '600', 'session-metrics.db-shm': '600' });

    const second = await start(dir);
    expect(second.listened).toBe(true);
    expect(second.stdout).not.toContain(token);
    expect(second.stdout).toContain(`API token   in ${join(dir, 'api-token')}`);
    expect(second.stdout).toContain('(sign in with the API token)');
  });

  it('prints a token generated for several workers once, from the primary', async () => {
    const dir = join(base, 'data');
    const res = await start(dir, { SM_WORKERS: '2' });
    expect(res.listened).toBe(true);
    const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    expect(res.stdout.split(token).length - 1).toBe(1);
    expect(res.stdout).toContain(`session-metrics collector: API token ${token}  (new, stored in ${join(dir, 'api-token')}; printed this once)`);
    expect(res.stdout).toContain(`API token   in ${join(dir, 'api-token')}`);
  });

  it('makes an existing database file that others could read private, and says so', async () => {
    const dir = join(base, 'data');
    expect((await start(dir)).listened).toBe(true);
    chmodSync(join(dir, 'session-metrics.db'), 0o644);
    const again = await start(dir);
    expect(again.listened).toBe(true);
    expect(again.stderr).toContain(`session-metrics collector: made ${join(dir, 'session-metrics.db')} private (mode 600); other users could read it`);
    expect(mode(join(dir, 'session-metrics.db'))).toBe('600');
  });

  const refusals: Array<[string, (dir: string) => void, (dir: string) => string]> = [
    ['a data directory that is a file', (dir) => writeFileSync(dir, 'x'), (dir) => `the data directory ${dir} is not a directory`],
    ['a data directory it may not write', (dir) => {
      mkdirPrivate(dir);
      chmodSync(dir, 0o555);
    }, (dir) => `the data directory ${dir} is not writable by this user: permission denied (EACCES)`],
    ['a read-only database file', (dir) => {
      mkdirPrivate(dir);
      writeFileSync(join(dir, 'session-metrics.db'), '');
      own(join(dir, 'session-metrics.db'));
      chmodSync(join(dir, 'session-metrics.db'), 0o400);
    }, (dir) => `${join(dir, 'session-metrics.db')} cannot be read and written by this user: permission denied (EACCES); the collector writes every record there`],
    ['a corrupt database file', (dir) => {
      mkdirPrivate(dir);
      writeFileSync(join(dir, 'session-metrics.db'), 'this is not a SQLite database'.repeat(200), { mode: 0o600 });
      own(join(dir, 'session-metrics.db'));
    }, (dir) => `cannot open the sqlite store ${join(dir, 'session-metrics.db')}: file is not a database`],
  ];
  it.each(refusals)('stops at %s with one line naming the path and the problem', async (_, make, message) => {
    const dir = join(base, 'data');
    make(dir);
    const res = await start(dir, { SM_API_TOKEN: 'a-token-of-sixteen-or-more' });
    expect(res.listened).toBe(false);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`session-metrics collector: ${message(dir)}\n`);
  });
});

function mkdirPrivate(dir: string) {
  mkdirSync(dir, { mode: 0o700 });
  own(dir);
}
