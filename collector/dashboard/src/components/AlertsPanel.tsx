/**
 * Threshold alerts (GET /api/reports/alerts): per day as bars, per threshold and direction, and the
 * latest ones with whose session they were. Alerts exist only where the SDK sends them (`sendAlerts`).
 */
import { useMemo } from 'react';
import { formatCount, formatDay, formatDuration, formatInstant } from '../format';
import type { ReportState } from '../useReport';
import { BarChart } from './BarChart';

export interface AlertsReport {
  alerts: number;
  days: { date: string; alerts: number; above: number; below: number }[];
  thresholds: { threshold: string; direction: string; alerts: number }[];
  latest: { at: string; site_id: string; session_id: string; threshold: string; direction: string; engaged_seconds: number; user_id: string | null }[];
}

const DIRECTION: Record<string, string> = { above: 'reached', below: 'missed at the end' };

export function AlertsPanel({ state }: { state: ReportState<AlertsReport> }) {
  const data = state.data;
  const bars = useMemo(() => (data?.days ?? []).map((d) => ({ label: formatDay(d.date, false), value: d.alerts })), [data]);
  if (!data) return null;
  if (data.alerts === 0) return <p className="empty">No alerts in this range. Alerts are stored when the SDK runs with <code>sendAlerts: true</code>.</p>;
  return (
    <div className="alerts">
      <p className="stats__line">
        <strong data-testid="alerts-total">{formatCount(data.alerts)}</strong> alerts in the range
      </p>
      <BarChart bars={bars} caption="Alerts per day" valueLabel="Alerts" bucketLabel="Day (UTC)" color="#b54708" height={160} foldTable />
      <div className="table-scroll" role="region" aria-label="Alerts per threshold, scrolls sideways" tabIndex={0}>
        <table className="compact" data-testid="alerts-thresholds">
          <caption>Per threshold</caption>
          <thead>
            <tr>
              <th scope="col">Threshold</th>
              <th scope="col">Direction</th>
              <th scope="col" className="num">Alerts</th>
            </tr>
          </thead>
          <tbody>
            {data.thresholds.map((t) => (
              <tr key={`${t.threshold}/${t.direction}`}>
                <th scope="row">{t.threshold}</th>
                <td>{DIRECTION[t.direction] ?? t.direction}</td>
                <td className="num">{formatCount(t.alerts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll" role="region" aria-label="Latest alerts, scrolls sideways" tabIndex={0}>
        <table className="compact" data-testid="alerts-latest">
          <caption>Latest</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Threshold</th>
              <th scope="col">User</th>
              <th scope="col" className="num">Engaged</th>
            </tr>
          </thead>
          <tbody>
            {data.latest.map((a) => (
              <tr key={`${a.site_id}/${a.session_id}/${a.threshold}/${a.direction}`}>
                <th scope="row">{formatInstant(a.at)}</th>
                <td>
                  {a.threshold} {DIRECTION[a.direction] ?? a.direction}
                </td>
                <td>{a.user_id ?? <span className="muted">anonymous</span>}</td>
                <td className="num">{formatDuration(a.engaged_seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
