import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ReportError, SessionDuration } from '../../src/react';

afterEach(cleanup);

/** A `fetch` that answers like the collector would, recording each request; `respond` picks the answer. */
function collectorFetch(respond: (body: { start_date: string; end_date: string }) => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit; body: { start_date: string; end_date: string } }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body));
    requests.push({ url, init, body });
    return respond(body);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function chooseRange(start: string, end: string) {
  fireEvent.change(screen.getByLabelText('Start Date'), { target: { value: start } });
  fireEvent.change(screen.getByLabelText('End Date'), { target: { value: end } });
}

describe('<SessionDuration />', () => {
  it('starts with labelled date inputs, the button and a hint, and no table', () => {
    render(<SessionDuration fetch={collectorFetch(() => json(200, { results: [] })).fetch} />);
    expect(screen.getByRole('heading', { name: 'Session Duration Metrics' })).toBeTruthy();
    expect((screen.getByLabelText('Start Date') as HTMLInputElement).type).toBe('date');
    expect((screen.getByLabelText('End Date') as HTMLInputElement).type).toBe('date');
    expect(screen.getByRole('button', { name: 'Get Metrics' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/Choose a date range/);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('posts the range with the token, shows loading, then one row per user', async () => {
    const answer = deferred<Response>();
    const api = collectorFetch(() => answer.promise);
    render(<SessionDuration apiBaseUrl="https://metrics.example.com/" token="s3cret" fetch={api.fetch} />);

    chooseRange('2026-03-01', '2026-03-31');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));

    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request!.url).toBe('https://metrics.example.com/api/session-duration');
    expect(request!.init.method).toBe('POST');
    expect((request!.init.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    expect(request!.body).toEqual({ start_date: '2026-03-01', end_date: '2026-03-31' });
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    expect((screen.getByRole('button', { name: 'Get Metrics' }) as HTMLButtonElement).disabled).toBe(true);

    answer.resolve(
      json(200, {
        results: [
          { user_id: 'alice', average_duration: 125.5, sessions: 2, average_engaged: 80 },
          { user_id: 'anon-7f3a', average_duration: 12, sessions: 1, average_engaged: 9.4 },
        ],
      }),
    );

    const table = await screen.findByRole('table', { name: /2026-03-01 to 2026-03-31/ });
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent);
    expect(headers).toEqual(['User ID', 'Sessions', 'Average Session Duration (seconds)', 'Average Engaged Time (seconds)']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((tr) => Array.from(tr.children, (cell) => cell.textContent));
    expect(rows).toEqual([
      ['alice', '2', '125.5', '80.0'],
      ['anon-7f3a', '1', '12.0', '9.4'],
    ]);
    expect(screen.getByRole('status').textContent).toBe('2 users.');
    expect((screen.getByRole('button', { name: 'Get Metrics' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says so when the range has no sessions', async () => {
    render(<SessionDuration fetch={collectorFetch(() => json(200, { results: [] })).fetch} />);
    chooseRange('2026-01-01', '2026-01-02');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('No sessions in this date range.'));
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows the API's message for a start after the end and hands the error to onError", async () => {
    const message = 'start_date (2026-03-31) is after end_date (2026-03-01)';
    const onError = vi.fn<(error: ReportError) => void>();
    const api = collectorFetch(() => json(400, { error: { code: 'SM_RANGE_REVERSED', message } }));
    render(<SessionDuration fetch={api.fetch} onError={onError} />);

    chooseRange('2026-03-31', '2026-03-01');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));

    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect(screen.queryByRole('table')).toBeNull();
    expect(onError).toHaveBeenCalledTimes(1);
    const error = onError.mock.calls[0]![0];
    expect(error).toBeInstanceOf(ReportError);
    expect(error.code).toBe('SM_RANGE_REVERSED');
    expect(error.status).toBe(400);
  });

  it('replaces an earlier table with the error of a later request', async () => {
    const api = collectorFetch(({ start_date }) =>
      start_date === '2026-03-01'
        ? json(200, { results: [{ user_id: 'alice', average_duration: 60, sessions: 1, average_engaged: 30 }] })
        : json(400, { error: { code: 'SM_BAD_DATE', message: 'end_date: 2026-02-30 is not a date' } }),
    );
    render(<SessionDuration fetch={api.fetch} />);
    chooseRange('2026-03-01', '2026-03-02');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    await screen.findByRole('table');

    chooseRange('2026-02-01', '2026-02-30');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    expect((await screen.findByRole('alert')).textContent).toBe('end_date: 2026-02-30 is not a date');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('names the status when an error answer is not the API\'s JSON', async () => {
    const api = collectorFetch(() => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    render(<SessionDuration fetch={api.fetch} />);
    chooseRange('2026-03-01', '2026-03-02');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The collector answered 502 Bad Gateway for /api/session-duration.',
    );
  });

  it('says where it could not reach the collector', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof globalThis.fetch;
    render(<SessionDuration apiBaseUrl="http://127.0.0.1:9" fetch={fetch} />);
    chooseRange('2026-03-01', '2026-03-02');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not reach the collector at http://127.0.0.1:9/api/session-duration: Failed to fetch',
    );
  });

  it('rejects a 200 answer without a results list', async () => {
    render(<SessionDuration fetch={collectorFetch(() => json(200, { rows: [] })).fetch} />);
    chooseRange('2026-03-01', '2026-03-02');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/no "results" list/);
  });

  it('submits with Enter from a date input (it is a form)', async () => {
    const api = collectorFetch(() => json(200, { results: [] }));
    render(<SessionDuration fetch={api.fetch} defaultStartDate="2026-03-01" defaultEndDate="2026-03-05" />);
    fireEvent.submit(screen.getByLabelText('End Date').closest('form')!);
    await waitFor(() => expect(api.requests).toHaveLength(1));
    expect(api.requests[0]!.body).toEqual({ start_date: '2026-03-01', end_date: '2026-03-05' });
  });

  it('loads on mount with the default range when autoLoad is set', async () => {
    const api = collectorFetch(() =>
      json(200, { results: [{ user_id: 'bob', average_duration: 30, sessions: 3, average_engaged: 20 }] }),
    );
    render(<SessionDuration fetch={api.fetch} autoLoad defaultStartDate="2026-04-01" defaultEndDate="2026-04-30" />);
    await screen.findByRole('table', { name: /2026-04-01 to 2026-04-30/ });
    expect(api.requests.map((r) => r.body)).toEqual([{ start_date: '2026-04-01', end_date: '2026-04-30' }]);
  });

  it('never lets an older, slower answer replace a newer one', async () => {
    const slow = deferred<Response>();
    const api = collectorFetch(({ start_date }) =>
      start_date === '2026-01-01'
        ? slow.promise
        : json(200, { results: [{ user_id: 'newer', average_duration: 1, sessions: 1, average_engaged: 1 }] }),
    );
    render(<SessionDuration fetch={api.fetch} />);
    chooseRange('2026-01-01', '2026-01-31');
    fireEvent.click(screen.getByRole('button', { name: 'Get Metrics' }));
    // The first request is still out; a second one supersedes it (submitting the form directly,
    // as a keyboard user pressing Enter can while the button is disabled).
    chooseRange('2026-02-01', '2026-02-28');
    fireEvent.submit(screen.getByLabelText('Start Date').closest('form')!);
    await screen.findByRole('rowheader', { name: 'newer' });

    expect((api.requests[0]!.init.signal as AbortSignal).aborted).toBe(true);
    slow.resolve(json(200, { results: [{ user_id: 'older', average_duration: 9, sessions: 1, average_engaged: 9 }] }));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('rowheader', { name: 'older' })).toBeNull();
    expect(screen.getByRole('table', { name: /2026-02-01 to 2026-02-28/ })).toBeTruthy();
  });

  it('aborts its request when unmounted', async () => {
    const api = collectorFetch(() => new Promise<Response>(() => {}));
    const { unmount } = render(<SessionDuration fetch={api.fetch} defaultStartDate="2026-03-01" defaultEndDate="2026-03-02" autoLoad />);
    await waitFor(() => expect(api.requests).toHaveLength(1));
    const signal = api.requests[0]!.init.signal as AbortSignal;
    expect(signal.aborted).toBe(false);
    unmount();
    expect(signal.aborted).toBe(true);
  });

  it('gives two instances on one page distinct input ids', () => {
    const { fetch } = collectorFetch(() => json(200, { results: [] }));
    render(
      <>
        <SessionDuration fetch={fetch} title="First" />
        <SessionDuration fetch={fetch} title="Second" />
      </>,
    );
    const [a, b] = screen.getAllByLabelText('Start Date');
    expect(a!.id).not.toBe(b!.id);
  });
});
