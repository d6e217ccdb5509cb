/**
 * The packaged collector: what `npm pack` puts in it, its bin's --help against the variables the
 * server reads, and the compiled JavaScript started as a real process (no tsx) that answers and stops.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/store/migrations/index';
import { VARIABLES } from '../src/variables';
import { session } from './fixtures';

const collector = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(collector, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const cli = join(collector, pkg.bin['session-metrics-collector']!);

beforeAll(() => {
  execFileSync(process.execPath, [join(collector, 'build.mjs')], { cwd: collector, stdio: 'pipe' });
});

describe('npm pack', () => {
  it('holds the compiled bin, every migration of every dialect and nothing of the sources or tests', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: collector, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path).sort();
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('package.json');
    for (const dialect of ['sqlite', 'postgres', 'clickhouse'] as const) {
      for (const m of migrations(dialect)) expect(files).toContain(`dist/migrations/${String(m.version).padStart(3, '0')}_${m.name}.${dialect}.sql`);
    }
    expect(files.filter((f) => !f.startsWith('dist/') && f !== 'package.json')).toEqual([]);
    expect(files.filter((f) => /\.(ts|tsx|map)$/.test(f))).toEqual([]);
  });

  it('runs without tsx: not a dependency, and the bin is JavaScript with a node shebang', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(pkg.scripts.start).toMatch(/node dist\/cli\.js$/);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('session-metrics-collector --help', () => {
  it('lists every variable with its default, and every variable the server reads is listed', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    for (const v of VARIABLES) {
      expect(help, v.name).toMatch(new RegExp(`^  ${v.name} +${v.meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n +default: ${v.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
    const source = readFileSync(join(collector, 'src/server.ts'), 'utf8');
    const read = [...new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))].filter((n) => n !== 'INIT_CWD');
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((n) => !VARIABLES.some((v) => v.name === n))).toEqual([]);
  });

  it('docs/operations.md has a row for every variable and no other', () => {
    const page = readFileSync(join(collector, '..', 'docs', 'operations.md'), 'utf8');
    const rows = [...page.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
    expect(rows).toEqual(VARIABLES.map((v) => v.name));
  });

  it('makes SM_TOKENS entries and refuses an unknown command', () => {
    expect(execFileSync(process.execPath, [cli, 'hash-token', 'abcdefghijklmnopqrstuvwxyz'], { encoding: 'utf8' }).trim()).toBe(
      '71c480df93d6ae2f1efad1447c66c9525e316218cf51fc8d9ed832f2daf18b73',
    );
    const made = execFileSync(process.execPath, [cli, 'new-token', 'docs-team', 'docs'], { encoding: 'utf8' });
    const token = /token .*: (\S+)/.exec(made)![1]!;
    const entry = JSON.parse(/SM_TOKENS entry: (.+)/.exec(made)![1]!);
    expect(entry['docs-team']).toMatchObject({ scope: 'read', sites: ['docs'] });
    expect(entry['docs-team'].sha256).toBe(execFileSync(process.execPath, [cli, 'hash-token', token], { encoding: 'utf8' }).trim());
    expect(() => execFileSync(process.execPath, [cli, 'serve'], { stdio: 'pipe' })).toThrow(/unknown command "serve"/);
  });
});

describe('the compiled collector as a process', () => {
  it('starts on the embedded store, is ready, ingests and reports, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-packaged-'));
    const child = spawn(process.execPath, [cli], {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', SM_DATA_DIR: join(dir, 'data'), SM_LOG_LEVEL: 'warn', SM_RATE_LIMIT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stderr.on('data', (d) => (out += String(d)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /demo page +(http:\/\/\S+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready', store: 'sqlite' });
      const posted = await fetch(`${url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify([session({ id: 'packaged' })]) });
      expect(await posted.json()).toEqual({ accepted: 1, rejected: [] });
      const token = readFileSync(join(dir, 'data', 'api-token'), 'utf8').trim();
      const summary = await fetch(`${url}/api/reports/summary?start=2026-03-01&end=2026-03-31`, { headers: { authorization: `Bearer ${token}` } });
      expect((await summary.json()).sessions).toBe(1);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
