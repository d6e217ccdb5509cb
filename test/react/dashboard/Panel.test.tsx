import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Panel } from '../../../collector/dashboard/src/components/Panel';
import { Headline } from '../../../collector/dashboard/src/components/Headline';
import { ReportError } from '../../../collector/dashboard/src/api/request';

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
    expect(screen.getByRole('alert').textContent).toBe('start: 2026-02-30 is not a date');
    expect(screen.queryByText('figures')).toBeNull();
  });
});

describe('dashboard Headline', () => {
  it('shows the four figures with units', () => {
    render(<Headline summary={{ sessions: 1234, users: 1, average_duration: 1191.5, average_engaged: 885, short_share: 0.25 }} />);
    const values = screen.getAllByRole('definition').filter((d) => d.className === 'figure__value').map((d) => d.textContent);
    expect(values).toEqual(['1,234', '19 min 52 s', '14 min 45 s', '25%']);
    expect(screen.getByText('1 user')).toBeTruthy();
  });

  it('shows dashes, not zeros, for averages of no sessions', () => {
    render(<Headline summary={{ sessions: 0, users: 0, average_duration: 0, average_engaged: 0, short_share: 0 }} />);
    const values = screen.getAllByRole('definition').filter((d) => d.className === 'figure__value').map((d) => d.textContent);
    expect(values).toEqual(['0', '—', '—', '—']);
  });
});
