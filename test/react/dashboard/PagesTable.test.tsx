import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { PagesTable, type PageRow } from '../../../collector/dashboard/src/components/PagesTable';

afterEach(cleanup);

const pages: PageRow[] = [
  { path: '/lesson/1', views: 5, sessions: 3, total_engaged: 900, average_engaged: 180 },
  { path: '/', views: 9, sessions: 6, total_engaged: 300, average_engaged: 33.3 },
  { path: '/quiz', views: 2, sessions: 2, total_engaged: 600, average_engaged: 300 },
];

const order = () =>
  within(screen.getByRole('table'))
    .getAllByRole('rowheader')
    .map((th) => th.textContent);

describe('PagesTable', () => {
  it('starts by total dwell time, highest first, and says so', () => {
    render(<PagesTable pages={pages} />);
    expect(order()).toEqual(['/lesson/1', '/quiz', '/']);
    expect(screen.getByRole('columnheader', { name: /Total dwell time/ }).getAttribute('aria-sort')).toBe('descending');
    expect(within(screen.getByRole('table')).getAllByRole('row')[1]!.textContent).toContain('15 min 00 s');
  });

  it('sorts by a column from its header button, and toggles direction', () => {
    render(<PagesTable pages={pages} />);
    fireEvent.click(screen.getByRole('button', { name: /Average dwell time/ }));
    expect(order()).toEqual(['/quiz', '/lesson/1', '/']);
    fireEvent.click(screen.getByRole('button', { name: /Average dwell time/ }));
    expect(order()).toEqual(['/', '/lesson/1', '/quiz']);
    expect(screen.getByRole('columnheader', { name: /Average dwell time/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: /Total dwell time/ }).getAttribute('aria-sort')).toBe('none');
    fireEvent.click(screen.getByRole('button', { name: /Page/ }));
    expect(order()).toEqual(['/', '/lesson/1', '/quiz']);
  });

  it('says when there are no pages', () => {
    render(<PagesTable pages={[]} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('No page views in this range.')).toBeTruthy();
  });
});
