// `npm run build:server`: the collector compiled to JavaScript for production (no tsx at run time).
// dist/cli.js is one ESM file (the `session-metrics-collector` bin) with the npm dependencies left as
// imports; beside it the migrations (dist/migrations/*.sql, read at start) and the files the collector
// serves (dist/public/: the SDK's script-tag builds, the demo page and the dashboard), when built.
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here('./dist/');

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [here('./src/cli.ts')],
  outfile: here('./dist/cli.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(here('./dist/cli.js'), 0o755);
// The SQLite writer thread's entry, beside cli.js (store/sqlite-writer-client.ts starts it from there).
await build({
  entryPoints: [here('./src/store/sqlite-writer.ts')],
  outfile: here('./dist/sqlite-writer.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  logLevel: 'warning',
});

mkdirSync(here('./dist/migrations'));
for (const f of readdirSync(here('./src/store/migrations'))) {
  if (f.endsWith('.sql')) cpSync(here(`./src/store/migrations/${f}`), here(`./dist/migrations/${f}`));
}

const sdk = here('../dist/');
if (existsSync(sdk)) {
  mkdirSync(here('./dist/public/dist'), { recursive: true });
  for (const f of readdirSync(sdk)) if (/\.min\.js$/.test(f)) cpSync(`${sdk}${f}`, here(`./dist/public/dist/${f}`));
}
if (existsSync(here('../examples/plain'))) cpSync(here('../examples/plain'), here('./dist/public/examples/plain'), { recursive: true });
if (existsSync(here('./dashboard/dist'))) cpSync(here('./dashboard/dist'), here('./dist/public/dashboard'), { recursive: true });
