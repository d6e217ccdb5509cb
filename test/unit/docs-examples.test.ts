// @vitest-environment node
/**
 * Every code example in README.md and docs/*.md is checked, so none can rot: ```ts and ```tsx blocks
 * are type-checked (strict) against the package's own types (`session-metrics` and its subpaths resolve
 * to src/, as package.json `exports` map them to dist/), ```js blocks and the inline scripts of ```html
 * blocks are parsed, ```json blocks are parsed as JSON. A block names what the host page provides with
 * `declare` (a player, an auth hook), so the example reads as it would be written.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Block {
  page: string;
  line: number;
  lang: string;
  code: string;
}

function blocks(page: string): Block[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    found.push({ page, line: start + 1, lang: open[1]!, code: body.join('\n') });
  }
  return found;
}

/**
 * Pages whose examples import entries another engineer is still building (not yet in package.json
 * `exports`): checked as soon as those entries exist. The test below fails once they do while the page
 * is still listed, so this list cannot outlive its reason.
 */
const AWAITING_ENTRIES: Record<string, string[]> = {
  'docs/attention.md': ['session-metrics/vitals', 'session-metrics/attention'],
};
const exported = (entry: string) => Object.keys(sourcePaths()).includes(entry);
const awaiting = (page: string) => (AWAITING_ENTRIES[page] ?? []).some((e) => !exported(e));

const all = pages.flatMap(blocks);
const label = (b: Block) => `${b.page}:${b.line} (${b.lang})`;

/** `session-metrics/<subpath>` → the source file behind package.json's `exports` entry. */
function sourcePaths(): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const paths: Record<string, string[]> = {};
  for (const key of Object.keys(pkg.exports)) {
    if (key === './package.json') continue;
    const sub = key === '.' ? 'index' : key.slice(2);
    const candidates = [`src/${sub}.ts`, `src/${sub}/index.ts`, `src/${sub}.tsx`];
    const file = candidates.find((c) => {
      try {
        readFileSync(join(root, c));
        return true;
      } catch {
        return false;
      }
    });
    if (file) paths[key === '.' ? 'session-metrics' : `session-metrics/${sub}`] = [join(root, file)];
  }
  return paths;
}

describe('code examples in the docs', () => {
  it('finds the examples of every page', () => {
    expect(pages).toContain('docs/operations.md');
    expect(all.filter((b) => b.lang === 'ts' || b.lang === 'tsx').length).toBeGreaterThan(8);
  });

  it('lists a page as awaiting entries only while one of them is missing', () => {
    for (const [page, entries] of Object.entries(AWAITING_ENTRIES)) {
      expect(pages, page).toContain(page);
      expect(entries.some((e) => !exported(e)), `${page}: every entry it awaited is exported now; remove it from AWAITING_ENTRIES`).toBe(true);
    }
  });

  it('type-checks every ts and tsx block against the package types', () => {
    const typed = all.filter((b) => (b.lang === 'ts' || b.lang === 'tsx') && !awaiting(b.page));
    // Inside node_modules (never committed), so that imports of react and friends resolve from the repository.
    const dir = join(root, 'node_modules', '.cache', 'docs-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = typed.map((b, i) => {
      const file = join(dir, `${b.page.replace(/[^\w]/g, '_')}_${b.line}_${i}.${b.lang}`);
      // Each block is a module of its own (top-level await allowed, names do not collide).
      writeFileSync(file, `${b.code}\nexport {};\n`);
      return { file, block: b };
    });
    const program = ts.createProgram(files.map((f) => f.file), {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
      skipLibCheck: true,
      noUncheckedIndexedAccess: true,
      paths: sourcePaths(),
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.some((f) => f.file === d.file!.fileName))
      .map((d) => {
        const f = files.find((x) => x.file === d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${f.block.page}:${f.block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
    // A whole TypeScript program over the package's sources: seconds, not the 5 s a unit test gets.
  }, 180_000);

  it('parses every js block, the inline scripts of every html block and every json block', () => {
    const problems: string[] = [];
    for (const b of all) {
      const scripts =
        b.lang === 'js' ? [b.code] : b.lang === 'html' ? [...b.code.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!) : [];
      for (const code of scripts) {
        const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { allowJs: true, target: ts.ScriptTarget.ES2022 }, fileName: 'example.js' });
        for (const d of out.diagnostics ?? []) problems.push(`${label(b)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
      if (b.lang === 'json') {
        try {
          JSON.parse(b.code);
        } catch (e) {
          problems.push(`${label(b)}: ${(e as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
