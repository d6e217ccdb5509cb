import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { sqliteStore, TOKEN, type TestStore } from './fixtures';

let t: TestStore;
let dir: string;
let app: Awaited<ReturnType<typeof build>>;

beforeAll(async () => {
  t = await sqliteStore();
  dir = mkdtempSync(join(tmpdir(), 'sm-static-'));
  for (const part of ['dist', 'examples/plain', 'dashboard']) mkdirSync(join(dir, part), { recursive: true });
  writeFileSync(join(dir, 'dist/session-metrics.min.js'), 'window.SessionMetrics={};');
  writeFileSync(join(dir, 'examples/plain/index.html'), '<h1>demo</h1>');
  writeFileSync(join(dir, 'dashboard/index.html'), '<div id=root></div>');
  app = await build({ store: t.store, token: TOKEN, static: { dist: join(dir, 'dist'), examples: join(dir, 'examples'), dashboard: join(dir, 'dashboard') } });
});
afterAll(async () => {
  await app.close();
  await t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves the SDK bundle, the demo page behind /, and the dashboard', async () => {
    const sdk = await app.inject('/dist/session-metrics.min.js');
    expect(sdk.statusCode).toBe(200);
    expect(sdk.body).toBe('window.SessionMetrics={};');
    const home = await app.inject('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/examples/plain/');
    expect((await app.inject('/examples/plain/')).body).toBe('<h1>demo</h1>');
    expect((await app.inject('/dashboard')).headers.location).toBe('/dashboard/');
    expect((await app.inject('/dashboard/')).body).toBe('<div id=root></div>');
  });

  it('does not serve files outside the served directories', async () => {
    const res = await app.inject('/dist/../../etc/passwd');
    expect(res.statusCode).toBe(404);
  });
});
