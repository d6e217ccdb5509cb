import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadCsv } from '../../../collector/dashboard/src/downloadCsv';
import { ReportError } from '../../../src/react/index';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const failure = (run: Promise<unknown>) =>
  run.then(
    () => {
      throw new Error('downloadCsv resolved; it should have rejected');
    },
    (error: unknown) => error as ReportError,
  );

describe('downloadCsv', () => {
  it('asks for CSV with the token and the body, and saves the answer under the file name', async () => {
    const fetch = vi.fn(async () => new Response('user_id,average_duration\nalice,90\n', { status: 200 }));
    const clicked: { href: string; download: string; inPage: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inPage: document.body.contains(this) });
    });
    const created = vi.spyOn(URL, 'createObjectURL');

    await downloadCsv('/api/session-duration', 'durations.csv', {
      token: 't0ken',
      baseUrl: 'https://metrics.example/',
      body: { start_date: '2026-03-01', end_date: '2026-03-31' },
      fetch,
    });

    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://metrics.example/api/session-duration');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ Accept: 'text/csv', Authorization: 'Bearer t0ken', 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body as string)).toEqual({ start_date: '2026-03-01', end_date: '2026-03-31' });
    // The saved file is the answer itself.
    const blob = created.mock.calls[0]![0] as Blob;
    expect(await blob.text()).toBe('user_id,average_duration\nalice,90\n');
    expect(clicked).toEqual([{ href: created.mock.results[0]!.value, download: 'durations.csv', inPage: true }]);
    // The temporary link does not stay in the page.
    expect(document.querySelectorAll('a')).toHaveLength(0);
  });

  it('gets a report without a body, and sends no Content-Type', async () => {
    const fetch = vi.fn(async () => new Response('day,sessions\n', { status: 200 }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await downloadCsv('/api/reports/trend?from=2026-03-01&to=2026-03-31', 'trend.csv', { token: 't', fetch });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(init.headers).not.toHaveProperty('Content-Type');
  });

  it("rejects with the API's code and message, as every other report does", async () => {
    const fetch = vi.fn(async () => json(400, { error: { code: 'SM_BAD_DATE', message: 'start_date: 2026-02-30 is not a date' } }));
    const error = await failure(downloadCsv('/api/session-duration', 'x.csv', { token: 't', body: {}, fetch }));
    // The SDK's own ReportError: the dashboard's requests are the SDK's module (session-metrics/react), not a copy of it.
    expect(error).toBeInstanceOf(ReportError);
    expect([error.code, error.message, error.status]).toEqual(['SM_BAD_DATE', 'start_date: 2026-02-30 is not a date', 400]);
  });

  it('names the status when an error body is not the API error (a message that is not a string, or not JSON)', async () => {
    const answers = [
      json(502, { error: { code: 'X', message: 42 } }),
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ];
    for (const answer of answers) {
      const error = await failure(downloadCsv('/api/reports/trend', 'x.csv', { token: 't', fetch: async () => answer }));
      expect([error.code, error.status]).toEqual(['SM_HTTP_502', 502]);
      expect(error.message).toMatch(/^The collector answered 502.* for \/api\/reports\/trend\.$/);
    }
  });

  it('names the URL it could not reach', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await failure(downloadCsv('/api/reports/trend', 'x.csv', { token: 't', baseUrl: 'https://metrics.example', fetch }));
    expect([error.code, error.status]).toEqual(['SM_NETWORK', 0]);
    expect(error.message).toBe('Could not reach the collector at https://metrics.example/api/reports/trend: Failed to fetch');
  });
});
