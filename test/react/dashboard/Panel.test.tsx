import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Panel } from '../../../collector/dashboard/src/components/Panel';
import { Headline } from '../../../collector/dashboard/src/components/Headline';
import { ReportError } from '../../../src/react/index';

afterEach(cleanup);

describe('dashboard Panel', () => {
  it('is a region named by its title', () => {
    render(<Panel title="Breaks" state={{ status: 'done', data: {} }}>figures</Panel>);
    expect(screen.getByRole('region', { name: 'Breaks' }).textContent).toContain('figures');
  });

  it('shows "Loading…" only until the first figures arrive, then keeps them while reloading', () => {
    const { rerender } = render(<Panel title="Pages" state={{ status: 'loading' }}>table</Panel>);
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(screen.queryByText('table')).toBeNull();
    rerender(<Panel title="Pages" state={{ status: 'loading', data: { pages: [] } }}>table</Panel>);
    expect(screen.getByText('table')).toBeTruthy();
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true');
  });

  it("shows the report's error message as an alert instead of its figures", () => {
    const error = new ReportError('SM_BAD_DATE', 'start: 2026-02-30 is not a date', 400);
    render(<Panel title="Overview" state={{ status: 'error', error }}>figures</Panel>);
    expect(screen.getByRole('alert').textContent).toBe('The collector refused this request: start: 2026-02-30 is not a date. Change the range or filter and try again.');
    expect(screen.queryByText('figures')).toBeNull();
    // A refused request is not retried: trying again would be refused again.
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('says plainly that the collector did not answer, and offers to try again', () => {
    let retried = 0;
    const error = new ReportError('SM_NETWORK', 'Could not reach the collector at /api/reports/daily?x: Failed to fetch', 0);
    render(<Panel title="Trend" state={{ status: 'error', error, retry: () => retried++ }}>figures</Panel>);
    expect(screen.getByRole('alert').textContent).toContain('The collector did not answer.');
    expect(screen.getByRole('alert').textContent).not.toContain('Failed to fetch');
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(retried).toBe(1);
  });
});

describe('dashboard Headline', () => {
  it('shows the five figures with units, the users split, and the change against the previous period', () => {
    render(
      <Headline
        summary={{ sessions: 1234, users: 3, average_duration: 1191.5, average_engaged: 885, short_share: 0.25 }}
        previous={{ sessions: 1000, users: 3, average_duration: 1191.5, average_engaged: 1010, short_share: 0.2 }}
        previousLabel="the 30 days before"
        people={{ identified: 2, anonymous: 1 }}
      />,
    );
    const values = screen.getAllByRole('definition').filter((d) => d.className === 'figure__value').map((d) => d.textContent);
    expect(values).toEqual(['1,234', '3', '19 min 52 s', '14 min 45 s', '25%']);
    expect(screen.getByText('2 identified · 1 anonymous browsers')).toBeTruthy();
    const change = (term: string) => screen.getByTestId(`change-${term}`).textContent;
    // 1234 / 1000: +23%; 885 / 1010: -12%; shares in points: 25% - 20% = +5 pts.
    expect(change('Sessions')).toBe('▲ +23% vs the 30 days before');
    expect(change('Users')).toBe('no change vs the 30 days before');
    expect(change('Average engaged time')).toBe('▼ −12% vs the 30 days before');
    expect(change('Short sessions')).toBe('▲ +5 pts vs the 30 days before');
  });

  it('shows dashes, not zeros, for averages of no sessions', () => {
    render(<Headline summary={{ sessions: 0, users: 0, average_duration: 0, average_engaged: 0, short_share: 0 }} />);
    const values = screen.getAllByRole('definition').filter((d) => d.className === 'figure__value').map((d) => d.textContent);
    expect(values).toEqual(['0', '0', '—', '—', '—']);
  });
});
