/**
 * Returning learners (GET /api/reports/returning): of the identified users whose first session started in
 * the range, the share who came back within 7 and 30 days, by how engaged that first session was. Users
 * whose window has not passed yet are not counted in it (a learner who started yesterday cannot have come
 * back within 7 days), which the "of N" says.
 */
import { formatCount, formatShare } from '../format';
import type { ReportState } from '../useReport';

interface Window {
  eligible_7d: number;
  returned_7d: number;
  share_7d: number;
  eligible_30d: number;
  returned_30d: number;
  share_30d: number;
}
export interface ReturningReport extends Window {
  users: number;
  bands: (Window & { band: string; users: number })[];
}

const cell = (share: number, returned: number, eligible: number) => (eligible === 0 ? '—' : `${formatShare(share)} (${formatCount(returned)} of ${formatCount(eligible)})`);

export function ReturningPanel({ state }: { state: ReportState<ReturningReport> }) {
  const data = state.data;
  if (!data) return null;
  if (data.users === 0) return <p className="empty">No identified user started in this range. Returning learners are counted for users named with <code>identify()</code>.</p>;
  return (
    <div className="table-scroll" role="region" aria-label="Returning learners, scrolls sideways" tabIndex={0}>
      <table className="compact" data-testid="returning-table">
        <caption>
          {formatCount(data.users)} identified {data.users === 1 ? 'learner' : 'learners'} started in the range
        </caption>
        <thead>
          <tr>
            <th scope="col">First session</th>
            <th scope="col" className="num">Learners</th>
            <th scope="col" className="num">Back within 7 days</th>
            <th scope="col" className="num">Back within 30 days</th>
          </tr>
        </thead>
        <tbody>
          {data.bands.map((b) => (
            <tr key={b.band}>
              <th scope="row">{b.band === 'none' ? 'below every threshold' : b.band}</th>
              <td className="num">{formatCount(b.users)}</td>
              <td className="num">{cell(b.share_7d, b.returned_7d, b.eligible_7d)}</td>
              <td className="num">{cell(b.share_30d, b.returned_30d, b.eligible_30d)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">All</th>
            <td className="num">{formatCount(data.users)}</td>
            <td className="num">{cell(data.share_7d, data.returned_7d, data.eligible_7d)}</td>
            <td className="num">{cell(data.share_30d, data.returned_30d, data.eligible_30d)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
