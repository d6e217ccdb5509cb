import { describe, expect, it } from 'vitest';
import { createPageNames, pageOfMetric, rememberPage } from '../../../src/plugins/vitals/pageOfMetric';

describe('the page a metric belongs to', () => {
  it('is the page view that began at the metric URL, even when another page is current now', () => {
    const p = createPageNames();
    rememberPage(p, 'https://a.example/lesson/1?x=1', '/lesson/:id');
    rememberPage(p, 'https://a.example/quiz', '/quiz');
    expect(pageOfMetric(p, 'https://a.example/lesson/1?x=1')).toBe('/lesson/:id');
    expect(pageOfMetric(p, 'https://a.example/quiz')).toBe('/quiz');
  });

  it('ignores the fragment, which a navigation entry and location.href may disagree on', () => {
    const p = createPageNames();
    rememberPage(p, 'https://a.example/docs#intro', '/docs');
    expect(pageOfMetric(p, 'https://a.example/docs')).toBe('/docs');
  });

  it('is the first page without soft navigations: a URL no page view began at, or none at all', () => {
    const p = createPageNames();
    rememberPage(p, 'https://a.example/home', '/home');
    rememberPage(p, 'https://a.example/other', '/other');
    expect(pageOfMetric(p, undefined)).toBe('/home');
    expect(pageOfMetric(p, 'https://a.example/landing?utm=1')).toBe('/home');
  });

  it('is null before the first page', () => {
    expect(pageOfMetric(createPageNames(), 'https://a.example/')).toBeNull();
  });
});
