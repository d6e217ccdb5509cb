/**
 * The dashboard's header: what is shown (site, range, filter) and the controls that change it. On a phone
 * it stays short: the title and range on one line, the presets on the next, the custom range folded away.
 */
import { useId } from 'react';
import type { DateRange } from '../dateRange';
import { formatCount, formatRange } from '../format';
import type { ReportState } from '../useReport';
import type { View } from '../view';
import { RangePicker } from './RangePicker';

export interface HeaderProps {
  view: View;
  sites: ReportState<{ sites: { site_id: string; sessions: number }[] }>;
  onChange: (next: Partial<View>) => void;
  onRefresh: () => void;
  onSignOut: () => void;
}

export function Header({ view, sites, onChange, onRefresh, onSignOut }: HeaderProps) {
  const id = useId();
  const list = sites.data?.sites ?? [];
  // A site in the link that has no sessions yet still shows as chosen.
  const options = view.site && !list.some((s) => s.site_id === view.site) ? [...list, { site_id: view.site, sessions: 0 }] : list;
  return (
    <header className="top">
      <div className="top__title">
        <h1>Session metrics</h1>
        <p className="top__range" data-testid="range-label">
          {formatRange(view.start, view.end)} <span className="muted">(UTC)</span>
        </p>
      </div>
      <div className="top__controls">
        <div className="field top__site">
          <label htmlFor={`${id}-site`}>Site</label>
          <select id={`${id}-site`} value={view.site ?? ''} onChange={(e) => onChange({ site: e.target.value || undefined, page: undefined })}>
            <option value="">All sites</option>
            {options.map((s) => (
              <option key={s.site_id} value={s.site_id}>
                {s.site_id} ({formatCount(s.sessions)} sessions)
              </option>
            ))}
          </select>
        </div>
        <RangePicker range={view} onChange={(range: DateRange) => onChange(range)} />
      </div>
      <div className="top__actions">
        <button type="button" className="secondary small" onClick={onRefresh}>
          Refresh
        </button>
        <button type="button" className="secondary small" onClick={onSignOut}>
          Forget token
        </button>
      </div>
      {view.meta ? (
        <p className="top__filter" role="status">
          Only sessions with <strong>{view.meta.key}</strong> = <strong>{view.meta.value}</strong>
          <button type="button" className="chip" onClick={() => onChange({ meta: undefined })} aria-label={`Remove the filter ${view.meta.key} = ${view.meta.value}`}>
            Remove filter
          </button>
        </p>
      ) : null}
    </header>
  );
}
