// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { pageMatcher, pathOf } from '../../../src/core/pages';

describe('pages', () => {
  it('names a page by its path, without query or hash', () => {
    expect(pathOf(new URL('https://x.test/lesson/12?email=a@b.c#t=3'))).toBe('/lesson/12');
  });

  it('matches trackSpecificPages: exact paths, * within a segment, ** across segments', () => {
    const m = pageMatcher(['/', '/lesson/*', '/docs/**', '/a.b']);
    expect(['/', '/lesson/12', '/lesson/', '/docs/x/y', '/a.b'].map(m)).toEqual([true, true, true, true, true]);
    expect(['/lesson/12/notes', '/other', '/docs', '/axb'].map(m)).toEqual([false, false, false, false]);
  });

  it('anchors each pattern at both ends', () => {
    const m = pageMatcher(['/a']);
    expect(['/a', '/ab', '/x/a', 'a'].map(m)).toEqual([true, false, false, false]);
  });

  it('escapes regular-expression characters in a pattern', () => {
    const m = pageMatcher(['/a+b', '/(x)', '/c$d', '/e|f', '/g?h', '/[i]']);
    expect(['/a+b', '/(x)', '/c$d', '/e|f', '/g?h', '/[i]'].map(m)).toEqual([true, true, true, true, true, true]);
    expect(['/aab', '/x', '/e', '/gh', '/i'].map(m)).toEqual([false, false, false, false, false]);
  });

  it('matches every page with an empty list, and none of a list that names others', () => {
    expect(pageMatcher([])('/anything')).toBe(true);
    expect(pageMatcher(['/only'])('/anything')).toBe(false);
  });
});
