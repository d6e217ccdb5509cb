import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFirstReports, takeLoadToken, takeStartedReport } from '../../../collector/dashboard/src/firstReports';
import { TOKEN_KEY } from '../../../collector/dashboard/src/token';

afterEach(() => sessionStorage.clear());

describe('startFirstReports', () => {
  it("asks for the headline's reports and the site list before the app renders, each taken once with its token", async () => {
    sessionStorage.setItem(TOKEN_KEY, 'tok');
    const fetch = vi.fn(async (url: string) => new Response(JSON.stringify({ url }), { status: 200 }));
    startFirstReports('?start=2026-03-01&end=2026-03-31&site=learn', '', fetch as unknown as typeof globalThis.fetch);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([
      '/api/reports/sites?',
      '/api/reports/summary?start=2026-03-01&end=2026-03-31&site=learn',
      // The 31 days before, for the change against the previous period.
      '/api/reports/summary?start=2026-01-29&end=2026-02-28&site=learn',
    ]);
    expect(takeLoadToken()).toBe('tok');
    const url = '/api/reports/summary?start=2026-03-01&end=2026-03-31&site=learn';
    expect(takeStartedReport(url, 'other-token')).toBeUndefined();
    await expect(takeStartedReport(url, 'tok')).resolves.toEqual({ url });
    expect(takeStartedReport(url, 'tok')).toBeUndefined();
  });

  it('asks for nothing without a token, and only the site list for a page detail', () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 200 }));
    startFirstReports('?start=2026-03-01&end=2026-03-31', '', fetch as unknown as typeof globalThis.fetch);
    expect(fetch).not.toHaveBeenCalled();
    sessionStorage.setItem(TOKEN_KEY, 'tok');
    startFirstReports('?start=2026-03-01&end=2026-03-31&page=%2Flessons%2F1', '', fetch as unknown as typeof globalThis.fetch);
    expect(fetch.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['/api/reports/sites?']);
  });
});
