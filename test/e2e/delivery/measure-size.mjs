import { build } from 'esbuild';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
const r = await build({ stdin: { contents: process.argv[2], resolveDir: '/work/main', loader: 'ts' }, bundle: true, format: 'iife', write: false, target: 'es2020', mainFields: ['browser','module','main'] });
const code = (await minify(r.outputFiles[0].text, { ecma: 2020, module: false, compress: { passes: 3, pure_getters: true, unsafe_arrows: true }, mangle: { properties: { regex: /^_/ } }, format: { comments: false } })).code;
if (process.env.SHOW) console.log(code);
console.log(code.length, gzipSync(code, { level: 9 }).length);
