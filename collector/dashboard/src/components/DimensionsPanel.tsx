/**
 * The host's own dimensions (`meta`, GET /api/reports/dimensions): choose a key, see its top values with
 * sessions, users and engaged time, and filter the whole dashboard by one value (it goes in the address as
 * `meta=key:value`, and every report is asked with it).
 */
import { useId } from 'react';
import { formatCount, formatDuration, formatShare } from '../format';
import { useReport, type ReportContext } from '../useReport';
import { reportParams, type View } from '../view';
import { ReportProblem } from './Panel';

interface Keys {
  keys: { key: string; sessions: number }[];
}
export interface DimensionValues {
  key: string;
  values: { value: string; sessions: number; users: number; share: number; total_engaged: number; average_engaged: number }[];
  other_sessions: number;
}

export interface DimensionsPanelProps {
  view: View;
  context: ReportContext;
  refresh: number;
  dimension: string | undefined;
  onDimension: (key: string) => void;
  onFilter: (meta: { key: string; value: string }) => void;
}

export function DimensionsPanel({ view, context, refresh, dimension, onDimension, onFilter }: DimensionsPanelProps) {
  const id = useId();
  const keys = useReport<Keys>('/api/reports/dimensions', reportParams(view), context, refresh);
  const key = dimension ?? view.meta?.key ?? keys.data?.keys[0]?.key;
  const values = useReport<DimensionValues>(key ? '/api/reports/dimensions' : null, { ...reportParams(view), key }, context, refresh);

  if (keys.status === 'error') return <ReportProblem state={keys} />;
  if (!keys.data) return <p className="panel__loading">Loading…</p>;
  if (keys.data.keys.length === 0) {
    return <p className="empty">No session in this range carries <code>meta</code>. Send your own dimensions with the SDK's <code>meta</code> option (for example a plan or a course).</p>;
  }
  return (
    <div className="dimensions">
      <div className="field">
        <label htmlFor={`${id}-key`}>Dimension</label>
        <select id={`${id}-key`} value={key} onChange={(e) => onDimension(e.target.value)}>
          {keys.data.keys.map((k) => (
            <option key={k.key} value={k.key}>
              {k.key} ({formatCount(k.sessions)} sessions)
            </option>
          ))}
        </select>
      </div>
      {values.status === 'error' ? <ReportProblem state={values} /> : null}
      {values.data ? (
        <div className="table-scroll" role="region" aria-label={`Values of ${values.data.key}, scrolls sideways`} tabIndex={0}>
          <table className="compact" data-testid="dimension-values">
            <caption>
              Top values of <strong>{values.data.key}</strong>; choose one to filter every panel by it
            </caption>
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col" className="num">Sessions</th>
                <th scope="col" className="num">Share</th>
                <th scope="col" className="num">Users</th>
                <th scope="col" className="num">Average engaged</th>
                <th scope="col" className="num">Total engaged</th>
              </tr>
            </thead>
            <tbody>
              {values.data.values.map((v) => {
                const active = view.meta?.key === values.data!.key && view.meta.value === v.value;
                return (
                  <tr key={v.value}>
                    <th scope="row">
                      <button type="button" className="link" aria-pressed={active} onClick={() => onFilter({ key: values.data!.key, value: v.value })} aria-label={`Filter by ${values.data!.key} = ${v.value}`}>
                        {v.value}
                      </button>
                    </th>
                    <td className="num">{formatCount(v.sessions)}</td>
                    <td className="num">{formatShare(v.share)}</td>
                    <td className="num">{formatCount(v.users)}</td>
                    <td className="num">{formatDuration(v.average_engaged)}</td>
                    <td className="num">{formatDuration(v.total_engaged)}</td>
                  </tr>
                );
              })}
              {values.data.other_sessions > 0 ? (
                <tr>
                  <th scope="row" className="muted">(not set)</th>
                  <td className="num">{formatCount(values.data.other_sessions)}</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : values.status === 'loading' ? (
        <p className="panel__loading">Loading…</p>
      ) : null}
    </div>
  );
}
