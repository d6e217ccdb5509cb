// Size: every tracker is bundled from its entry in ./entries by the same Rollup pipeline
// (node-resolve for the browser, one terser configuration, IIFE output), then compressed with
// gzip level 9 and brotli at maximum quality. The bundles are also what the browser runs load,
// so the bytes measured are the bytes executed.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/** One terser configuration for everyone: safe defaults, no property mangling, no comments. */
export const terserOptions = { ecma: 2020, compress: { passes: 2 }, format: { comments: false } };

/**
 * TimeMe.js ships only as a UMD file. Rollup has no CommonJS support without a plugin that is not
 * installed here, so give the UMD wrapper the `module` object it looks for and export what it puts
 * there: about 60 bytes, and the library code stays untouched.
 */
const umdAsEsm = {
  name: 'umd-as-esm',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('node_modules/timeme.js/timeme.js')) return null;
    return { code: `var module = { exports: {} };\n${code}\nexport default module.exports;`, map: null };
  },
};

/**
 * Bundles `entry` to `outFile` as a minified IIFE; returns its sizes. The result is cached under
 * node_modules/.cache, keyed by every input file's contents and the settings, because minifying
 * posthog-js alone takes seconds on an idle machine and minutes on a busy one.
 */
export async function bundle(entry, outFile, cacheDir) {
  const build = await rollup({
    input: entry,
    plugins: [umdAsEsm, nodeResolve({ browser: true })],
    onwarn(warning, warn) {
      // posthog-js and Snowplow's tslib helpers trip these; they change nothing in the output.
      if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
    },
  });
  try {
    const hash = createHash('sha256').update(JSON.stringify(terserOptions));
    for (const m of build.cache.modules) hash.update(m.id).update(m.originalCode ?? m.code);
    const cached = cacheDir && join(cacheDir, `${hash.digest('hex').slice(0, 24)}.js`);
    const hit = cached && (await readFile(cached).catch(() => null));
    if (hit) {
      await writeFile(outFile, hit);
      return sizes(hit);
    }
    await build.write({ file: outFile, format: 'iife', plugins: [terser(terserOptions)] });
    const bytes = await readFile(outFile);
    if (cached) await mkdir(cacheDir, { recursive: true }).then(() => writeFile(cached, bytes));
    return sizes(bytes);
  } finally {
    await build.close();
  }
}

/** Raw, gzip -9 and brotli (quality 11) bytes of a file's contents. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

/** Bundles every tracker that has an entry into `outDir`; returns `{ [id]: sizes }`. */
export async function bundleAll(trackers, outDir, cacheDir) {
  await mkdir(outDir, { recursive: true });
  const result = {};
  for (const t of trackers) {
    if (!t.entry) continue;
    result[t.id] = await bundle(t.entry, join(outDir, `${t.id}.js`), cacheDir);
  }
  return result;
}

export async function sizeOfFile(file) {
  return sizes(await readFile(file));
}

