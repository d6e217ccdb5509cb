/**
 * "Nothing of React ends up in the script-tag bundle": checked on the source graph, so it holds
 * before any build. Every module reachable from src/script.ts (the IIFE's input) by static or
 * dynamic import is listed; none may be React or the React entry.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, URL as NodeURL } from 'node:url';

// node:url's URL: happy-dom replaces the global one and it does not know file: URLs.
const ROOT = fileURLToPath(new NodeURL('../..', import.meta.url));
const SPECIFIER = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (existsSync(candidate) && !candidate.endsWith('/') && /\.tsx?$/.test(candidate)) return candidate;
  }
  throw new Error(`${relative(ROOT, from)} imports ${specifier}, which does not resolve`);
}

/** Every module the file reaches; type-only imports are erased by the compiler and skipped. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (/^(?:import|export)\s+type\s/.test(match[0])) continue;
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) visit(resolveLocal(file, specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the script-tag bundle', () => {
  it('reaches no React code, from any module it imports', () => {
    const { files, packages } = reachable(resolve(ROOT, 'src/script.ts'));
    expect(files.size).toBeGreaterThan(5); // it really walked the tracker's graph
    expect([...packages].filter((p) => /^(react|react-dom)(\/|$)/.test(p))).toEqual([]);
    expect([...files].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('src/react/'))).toEqual([]);
  });

  it('the walk does find React where it is imported (the React entry)', () => {
    const { packages } = reachable(resolve(ROOT, 'src/react/index.ts'));
    expect(packages).toContain('react');
  });
});
