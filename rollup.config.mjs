// Builds every artifact the package ships:
// - the npm entries as ESM and CJS with bundled type declarations (.d.ts for import, .d.cts for require),
// - the script-tag bundle, one minified IIFE that exposes the global `SessionMetrics`
//   (Rollup cannot code-split an IIFE, so optional parts ship as their own npm entries).
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { dirname, resolve } from 'node:path';

/** npm entries: output name -> source. Each becomes a subpath export in package.json. */
const input = {
  index: 'src/index.ts',
  'transports/beacon': 'src/transports/beacon.ts',
  'transports/fetch': 'src/transports/fetch.ts',
  'transports/custom': 'src/transports/custom.ts',
  'transports/memory': 'src/transports/memory.ts',
  react: 'src/react/index.ts',
  plugin: 'src/plugin/index.ts',
  // Opt-in plugins (docs/attention.md): never in the default bundle.
  vitals: 'src/plugins/vitals/index.ts',
  attention: 'src/plugins/attention/index.ts',
};
/** Vendor adapters (src/adapters/<name>.ts): each an npm subpath and a script-tag file that registers itself. */
const ADAPTERS = ['ga4', 'segment', 'posthog', 'amplitude', 'mixpanel', 'plausible', 'matomo', 'otlp'];
for (const name of ADAPTERS) input['adapters/' + name] = `src/adapters/${name}.ts`;
/**
 * What the adapters share (src/adapters/base.ts and the modules it gathers): one npm file,
 * `dist/adapters/base.js`, that every adapter entry imports, and one script-tag file,
 * `dist/adapters/base.min.js`, that every adapter file finds as `window.sessionMetricsAdapters._`.
 */
input['adapters/base'] = 'src/adapters/base.ts';
const ADAPTER_BASE = /src\/adapters\/(base|adapter|ledger|key|map\/properties|script\/register)\.ts$/;
// Without this, Rollup splits the base by which entries reach each part (OTLP uses no property
// mapping); `warn` and `storage` stay in their chunk, shared with the tracker.
const manualChunks = (id) => (ADAPTER_BASE.test(id) ? 'adapters/base' : /src\/browser\/(warn|storage)\.ts$/.test(id) ? 'warn' : undefined);

/** Script-tag files of the plugins, loaded after the main file: output file -> source. */
const pluginScripts = {
  'dist/session-metrics-vitals.min.js': 'src/plugins/vitals/script.ts',
  'dist/session-metrics-attention.min.js': 'src/plugins/attention/script.ts',
};

// web-vitals is an optional peer dependency of session-metrics/vitals: the npm entry imports it, the
// script-tag file bundles it.
const external = (id) => /^(react|react-dom|web-vitals)(\/|$)/.test(id);
const ts = () =>
  typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false }, include: ['src/**/*'] });

const terserOptions = {
  ecma: 2020,
  module: true,
  // `inline: 1` inlines only simple functions: a function called once stays a call instead of becoming
  // an immediately invoked copy of itself, which costs more than the call (-18 B gzip on the script tag).
  compress: { passes: 3, pure_getters: true, unsafe_arrows: true, inline: 1 },
  // Properties that start with `_` are private to the SDK and safe to shorten.
  mangle: { properties: { regex: /^_/ } },
  format: { comments: false },
};

export default [
  {
    input,
    external,
    plugins: [nodeResolve({ browser: true }), ts()],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', manualChunks },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', manualChunks },
    ],
  },
  {
    input,
    external,
    plugins: [dts({ tsconfig: './tsconfig.json' })],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
      { dir: 'dist', format: 'es', entryFileNames: '[name].d.cts', chunkFileNames: 'chunks/[name]-[hash].d.cts' },
    ],
  },
  {
    input: 'src/script.ts',
    plugins: [nodeResolve({ browser: true }), ts()],
    output: [
      // The default script tag, without the plugin seam (src/browser/features.ts).
      {
        file: 'dist/session-metrics.min.js',
        format: 'iife',
        name: 'SessionMetrics',
        // No "use strict" prologue (13 bytes): the bundle assigns no undeclared name and relies on no
        // strict-only error, so it runs alike either way.
        strict: false,
        plugins: [terser({ ...terserOptions, module: false, compress: { ...terserOptions.compress, global_defs: { __SM_PLUGINS__: false } } })],
      },
      // The script tag that plugin files (`sessionMetrics('use', plugin)`) run on.
      {
        file: 'dist/session-metrics.plugins.min.js',
        format: 'iife',
        name: 'SessionMetrics',
        plugins: [terser({ ...terserOptions, module: false })],
      },
    ],
  },
  ...Object.entries(pluginScripts).map(([file, source]) => ({
    input: source,
    plugins: [nodeResolve({ browser: true }), ts()],
    output: { file, format: 'iife', plugins: [terser({ ...terserOptions, module: false })] },
  })),
  // `dist/adapters/base.min.js`: the shared base, the registry and the wiring (src/adapters/script/base.ts).
  {
    input: 'src/adapters/script/base.ts',
    plugins: [nodeResolve({ browser: true }), ts()],
    // No property mangling in the adapter files: the base's names are read across files, and vendors'
    // globals start with `_` (Matomo's `_paq`).
    output: { file: 'dist/adapters/base.min.js', format: 'iife', strict: false, plugins: [terser({ ...terserOptions, module: false, mangle: true })] },
  },
  // `dist/adapters/<name>.min.js`: one IIFE per adapter with only its own code; the base is base.min.js's.
  ...ADAPTERS.map((name) => ({
    input: `src/adapters/script/${name}.ts`,
    plugins: [nodeResolve({ browser: true }), ts()],
    external: (id, importer) => !!importer && ADAPTER_BASE.test(resolve(dirname(importer), id) + (id.endsWith('.ts') ? '' : '.ts')),
    output: {
      file: `dist/adapters/${name}.min.js`,
      format: 'iife',
      // As the default script tag: nothing here relies on strict mode (13 B a file).
      strict: false,
      globals: () => 'sessionMetricsAdapters._',
      plugins: [terser({ ...terserOptions, module: false, mangle: true })],
    },
  })),
];
