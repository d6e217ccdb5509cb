// Gzipped bytes the delivery layer adds to the script-tag bundle: src/script.ts built as the release
// build does (IIFE, terser with the same options, gzip -9), once as is and once with the delivery
// module replaced by a no-op, the difference being the queue, the default transports and the retries.
// Usage: node test/e2e/delivery/measure-size.mjs
import { build } from 'esbuild';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const stub = {
  name: 'no-delivery',
  setup(b) {
    b.onResolve({ filter: /\/delivery$/ }, () => ({ path: 'stub', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export const createDelivery = () => ({ enqueue() {}, flush: () => Promise.resolve(), stop() {} });',
      loader: 'js',
    }));
  },
};

async function size(plugins) {
  const out = await build({ entryPoints: [root + 'src/script.ts'], bundle: true, format: 'iife', write: false, target: 'es2020', plugins });
  const { code } = await minify(out.outputFiles[0].text, {
    ecma: 2020,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    mangle: { properties: { regex: /^_/ } },
    format: { comments: false },
  });
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const full = await size([]);
const core = await size([stub]);
console.log(`script bundle: ${full.min} B min, ${full.gzip} B gzip; without delivery: ${core.gzip} B gzip; delivery adds ${full.gzip - core.gzip} B gzip`);
