/**
 * The page-attention component over the collector's own report code: its requests are answered by the
 * reports' compute functions (collector/src/reports/attention.ts) over store aggregates, with the
 * collector's error body for a refused token, so the shapes it renders are the API's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import * as compute from '../../../collector/src/reports/attention';
import type { MediaAggregate, ScrollAggregate, SectionAggregate, VitalValue } from '../../../collector/src/store/attention/read';
import { formatVital, PageAttention } from '../../../collector/dashboard/src/components/PageAttention';

const TOKEN = 'test-token-0123456789abcdef';
const seen: string[] = [];

const vital = (name: string, value: number, weighted = 1): VitalValue => ({ name, value, weighted, n: 1 });
const LESSON = {
  vitals: [vital('LCP', 1200), vital('LCP', 2500), vital('LCP', 3100, 2), vital('LCP', 5200, 4), vital('CLS', 0.4, 2), vital('CLS', 0.02)],
  scroll: { n: 4, weighted: 8, depthSum: 2.7, marks: [{ mark: 25, weighted: 8, n: 4, msSum: 2000 }, { mark: 50, weighted: 4, n: 3, msSum: 17_000 }, { mark: 75, weighted: 2, n: 2, msSum: 12_000 }, { mark: 100, weighted: 1, n: 1, msSum: 15_000 }] } satisfies ScrollAggregate,
  sections: [{ name: 'video', n: 3, weighted: 4, engagedMsWeighted: 236_000, engagedMs: 196_000, firstSeenMs: 19_000 }] satisfies SectionAggregate[],
  media: [
    { name: 'lecture-1', n: 3, weighted: 4, watchedMsWeighted: 1_380_000, watchedMs: 1_140_000, withDuration: 3, durationMs: 1_800_000, withCompletion: 3, completion: 1.9, endedWeighted: 1 },
    { name: 'live-stream', n: 1, weighted: 4, watchedMsWeighted: 120_000, watchedMs: 30_000, withDuration: 0, durationMs: 0, withCompletion: 0, completion: 0, endedWeighted: 0 },
  ] satisfies MediaAggregate[],
};
const NOTHING = { vitals: [], scroll: { n: 0, weighted: 0, depthSum: 0, marks: [25, 50, 75, 100].map((mark) => ({ mark, weighted: 0, n: 0, msSum: 0 })) }, sections: [], media: [] };

/** The collector, as far as these four reports go. */
const collectorFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(String(input), 'http://collector.test');
  seen.push(url.pathname + url.search);
  if (new Headers(init?.headers).get('authorization') !== `Bearer ${TOKEN}`) {
    return new Response(JSON.stringify({ error: { code: 'SM_UNAUTHORIZED', message: 'the bearer token is not valid' } }), { status: 401, headers: { 'content-type': 'application/json' } });
  }
  const path = url.searchParams.get('path')!;
  const a = path === '/lesson/:id' ? LESSON : NOTHING;
  const report = url.pathname.split('/').pop();
  const body =
    report === 'vitals' ? compute.vitals(path, a.vitals)
    : report === 'scroll' ? compute.scroll(path, a.scroll)
    : report === 'sections' ? compute.sections(path, a.scroll, a.sections)
    : compute.media(path, a.media);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}) as typeof fetch;

afterEach(() => {
  cleanup();
  seen.length = 0;
});

const range = { start: '2026-03-01', end: '2026-03-31' };
const rowOf = (panel: string, header: string) => within(screen.getByTestId(panel)).getByRole('rowheader', { name: header }).closest('tr')!;

describe('PageAttention', () => {
  it("shows the page's vitals, scroll reach, sections and media from the collector's reports", async () => {
    let unauthorized = 0;
    render(<PageAttention path="/lesson/:id" range={range} context={{ token: TOKEN, fetch: collectorFetch, onUnauthorized: () => unauthorized++ }} />);
    await waitFor(() => expect(screen.getByTestId('attention-media').textContent).toContain('lecture-1'));
    await waitFor(() => expect(screen.getByTestId('attention-vitals').querySelector('tbody')).not.toBeNull());
    expect(rowOf('attention-vitals', 'LCP').textContent).toBe('LCP5.20 s25%25%50%8');
    expect(rowOf('attention-vitals', 'CLS').textContent).toContain('0.40');
    await waitFor(() => expect(screen.getByTestId('attention-scroll').textContent).toContain('Reached 50%50%'));
    expect(rowOf('attention-sections', 'video').textContent).toBe('video50%3 min 56 s1 min 05 s6.3 s');
    expect(rowOf('attention-media', 'lecture-1').textContent).toBe('lecture-146 min 20 s10 min 00 s63%25%');
    expect(rowOf('attention-media', 'live-stream').textContent).toContain('—');
    expect(new Set(seen.map((s) => s.split('?')[0]))).toEqual(new Set(['/api/reports/attention/vitals', '/api/reports/attention/scroll', '/api/reports/attention/sections', '/api/reports/attention/media']));
    expect(seen.every((s) => s.includes('path=%2Flesson%2F%3Aid') && s.includes('start=2026-03-01'))).toBe(true);
    expect(unauthorized).toBe(0);
  });

  it('narrows to a site and says when a page has nothing measured', async () => {
    render(<PageAttention path="/home" range={range} site="site-a" context={{ token: TOKEN, fetch: collectorFetch, onUnauthorized: () => {} }} />);
    await waitFor(() => expect(screen.getByTestId('attention-media').textContent).toContain('No media was played'));
    await waitFor(() => expect(screen.getByTestId('attention-scroll').textContent).toContain('No scroll measurements'));
    expect(screen.getByTestId('attention-sections').textContent).toContain('No marked sections');
    expect(seen.every((s) => s.includes('site=site-a'))).toBe(true);
  });

  it('hands a refused token to onUnauthorized and shows the collector\'s message', async () => {
    const refused: string[] = [];
    render(<PageAttention path="/lesson/:id" range={range} context={{ token: 'wrong-token-0123456789', fetch: collectorFetch, onUnauthorized: (e) => refused.push(e.code) }} />);
    await waitFor(() => expect(refused).toHaveLength(4));
    expect(refused.every((c) => c === 'SM_UNAUTHORIZED')).toBe(true);
    expect(within(screen.getByTestId('attention-vitals')).getByRole('alert').textContent).toMatch(/token/i);
  });

  it('writes time vitals in ms or s and CLS as a score', () => {
    expect(formatVital({ unit: 'ms', p75: 640 })).toBe('640 ms');
    expect(formatVital({ unit: 'ms', p75: 2500 })).toBe('2.50 s');
    expect(formatVital({ unit: 'score', p75: 0.1 })).toBe('0.10');
    expect(formatVital({ unit: 'score', p75: null })).toBe('—');
  });
});
