/**
 * Dwell time per page, sortable by any column. Sorting is a button inside each header cell with
 * `aria-sort` on the cell (WAI-ARIA APG "Sortable Table" pattern), so it works by keyboard and a
 * screen reader says which column orders the rows and which way. A page's path opens its detail.
 */
import { useMemo, useState } from 'react';
import { formatCount, formatDuration } from '../format';
import { Path } from './Path';

export interface PageRow {
  path: string;
  views: number;
  sessions: number;
  total_engaged: number;
  average_engaged: number;
}

type Key = keyof PageRow;
const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: 'path', label: 'Page', numeric: false },
  { key: 'views', label: 'Views', numeric: true },
  { key: 'sessions', label: 'Sessions', numeric: true },
  { key: 'total_engaged', label: 'Total dwell time', numeric: true },
  { key: 'average_engaged', label: 'Average dwell time', numeric: true },
];

export function PagesTable({ pages, onOpen }: { pages: PageRow[]; onOpen?: (path: string) => void }) {
  // The API's order (total dwell, highest first) is the default.
  const [sort, setSort] = useState<{ key: Key; descending: boolean }>({ key: 'total_engaged', descending: true });
  const rows = useMemo(() => {
    const sorted = [...pages].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      const order = typeof x === 'string' ? x.localeCompare(String(y)) : (x as number) - (y as number);
      // Ties keep a stable, readable order: by path.
      return (sort.descending ? -order : order) || a.path.localeCompare(b.path);
    });
    return sorted;
  }, [pages, sort]);

  if (pages.length === 0) return <p className="empty">No page views in this range.</p>;

  return (
    <div className="table-scroll" role="region" aria-label="Pages table, scrolls sideways" tabIndex={0}>
      <table>
        <caption className="visually-hidden">
          Dwell time per page, sorted by {COLUMNS.find((c) => c.key === sort.key)!.label.toLowerCase()}, {sort.descending ? 'descending' : 'ascending'}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const active = sort.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? 'num' : undefined}
                  aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() =>
                      setSort(active ? { key: column.key, descending: !sort.descending } : { key: column.key, descending: column.numeric })
                    }
                  >
                    {column.label}
                    <span aria-hidden="true" className="sort__arrow">
                      {active ? (sort.descending ? '▼' : '▲') : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((page) => (
            <tr key={page.path}>
              <th scope="row" className="path">
                {onOpen ? (
                  <button type="button" className="link" onClick={() => onOpen(page.path)} aria-label={`${page.path}: open its detail`}>
                    <Path path={page.path} />
                  </button>
                ) : (
                  <Path path={page.path} />
                )}
              </th>
              <td className="num">{formatCount(page.views)}</td>
              <td className="num">{formatCount(page.sessions)}</td>
              <td className="num">{formatDuration(page.total_engaged)}</td>
              <td className="num">{formatDuration(page.average_engaged)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
