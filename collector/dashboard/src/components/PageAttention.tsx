/**
 * The attention figures of one page over a range (docs/attention.md): web-vitals p75 and ratings,
 * scroll-depth reach, sections and media. Self-contained: it fetches its four reports
 * (`/api/reports/attention/*`) through `useReport`, each with its own loading and error state and CSV
 * download, so the page detail view only mounts it.
 */
import type { ReportContext } from '../useReport';
import { queryOf, useReport } from '../useReport';
import type { DateRange } from '../dateRange';
import { reportParams, type View } from '../view';
import { formatCount, formatDuration, formatShare } from '../format';
import { CsvButton } from './CsvButton';
import { Panel } from './Panel';

export interface PageAttentionProps {
  /** The page: the path of its page records, after the SDK's pageName mapping. */
  path: string;
  range: DateRange;
  /** Only this siteId, when given. */
  site?: string | undefined;
  /** Only the sessions whose meta has this value (the view's dimension filter), when given. */
  meta?: View['meta'];
  /** Token, base URL and 401 handling, as for every report of the dashboard. */
  context: ReportContext;
  /** Bump to refetch. */
  refresh?: number;
}

interface Vital {
  name: string;
  unit: 'ms' | 'score';
  views: number;
  p75: number | null;
  good: number | null;
  needs_improvement: number | null;
  poor: number | null;
}
interface Scroll {
  views: number;
  average_depth: number | null;
  marks: { depth: number; views: number; share: number | null; average_seconds_to_reach: number | null }[];
}
interface Section {
  name: string;
  views: number;
  reach: number | null;
  total_engaged: number;
  average_engaged: number | null;
  average_first_seen: number | null;
}
interface Medium {
  name: string;
  plays: number;
  total_watched: number;
  average_watched: number | null;
  average_duration: number | null;
  average_completion: number | null;
  ended_share: number | null;
}

/** `2.4 s` for a time vital, `0.08` for CLS; `—` when no view measured it. */
export function formatVital(v: Pick<Vital, 'unit' | 'p75'>): string {
  if (v.p75 === null) return '—';
  if (v.unit === 'score') return v.p75.toFixed(2);
  return v.p75 < 1000 ? `${Math.round(v.p75)} ms` : `${(v.p75 / 1000).toFixed(2)} s`;
}

export function PageAttention({ path, range, site, meta, context, refresh = 0 }: PageAttentionProps) {
  // The query of every range report, filters included: the whole dashboard follows the view's filters.
  const params = { path, ...reportParams({ start: range.start, end: range.end, site, meta }) };
  const query = queryOf(params);
  const vitals = useReport<{ vitals: Vital[] }>('/api/reports/attention/vitals', params, context, refresh);
  const scroll = useReport<Scroll>('/api/reports/attention/scroll', params, context, refresh);
  const sections = useReport<{ sections: Section[] }>('/api/reports/attention/sections', params, context, refresh);
  const media = useReport<{ media: Medium[] }>('/api/reports/attention/media', params, context, refresh);
  const csv = (what: string, report: string) => (
    <CsvButton
      what={`${what} of ${path}`}
      path={`/api/reports/attention/${report}?${query}`}
      filename={`session-metrics-attention-${report}-${range.start}-${range.end}.csv`}
      token={context.token}
      baseUrl={context.baseUrl}
      onUnauthorized={context.onUnauthorized}
    />
  );

  return (
    <div className="page-attention" data-testid="page-attention">
      <Panel title="Web vitals" description="p75 over the page's views, and the share rated good / needs improvement / poor by web-vitals' thresholds." state={vitals} testId="attention-vitals" aside={csv('web vitals', 'vitals')}>
        {vitals.data ? (
          <div className="table-scroll" role="region" aria-label="Web vitals, scrolls sideways" tabIndex={0}>
            <table className="compact">
              <thead>
                <tr>
                  <th scope="col">Vital</th>
                  <th scope="col" className="num">p75</th>
                  <th scope="col" className="num">Good</th>
                  <th scope="col" className="num">Needs improvement</th>
                  <th scope="col" className="num">Poor</th>
                  <th scope="col" className="num">Views</th>
                </tr>
              </thead>
              <tbody>
                {vitals.data.vitals.map((v) => (
                  <tr key={v.name}>
                    <th scope="row">{v.name}</th>
                    <td className="num">{formatVital(v)}</td>
                    <td className="num">{formatShare(v.good)}</td>
                    <td className="num">{formatShare(v.needs_improvement)}</td>
                    <td className="num">{formatShare(v.poor)}</td>
                    <td className="num">{formatCount(v.views)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>

      <Panel title="Scroll depth" description="Share of the page's views whose reader saw this far down the page." state={scroll} testId="attention-scroll" aside={csv('scroll depth', 'scroll')}>
        {scroll.data ? (
          scroll.data.views === 0 ? (
            <p className="empty">No scroll measurements for this page in this range.</p>
          ) : (
            <dl className="stats">
              {scroll.data.marks.map((m) => (
                <div key={m.depth}>
                  <dt>Reached {m.depth}%</dt>
                  <dd>{formatShare(m.share)}</dd>
                </div>
              ))}
              <div>
                <dt>Average depth</dt>
                <dd>{formatShare(scroll.data.average_depth)}</dd>
              </div>
            </dl>
          )
        ) : null}
      </Panel>

      <Panel title="Sections" description="Engaged time while each section was in view, and the share of views that saw it." state={sections} testId="attention-sections" aside={csv('sections', 'sections')}>
        {sections.data ? (
          sections.data.sections.length === 0 ? (
            <p className="empty">No marked sections were seen on this page in this range.</p>
          ) : (
            <div className="table-scroll" role="region" aria-label="Sections, scrolls sideways" tabIndex={0}>
              <table className="compact">
                <thead>
                  <tr>
                    <th scope="col">Section</th>
                    <th scope="col" className="num">Reach</th>
                    <th scope="col" className="num">Total engaged</th>
                    <th scope="col" className="num">Average engaged</th>
                    <th scope="col" className="num">First seen after</th>
                  </tr>
                </thead>
                <tbody>
                  {sections.data.sections.map((s) => (
                    <tr key={s.name}>
                      <th scope="row" className="path">{s.name}</th>
                      <td className="num">{formatShare(s.reach)}</td>
                      <td className="num">{formatDuration(s.total_engaged)}</td>
                      <td className="num">{formatDuration(s.average_engaged)}</td>
                      <td className="num">{formatDuration(s.average_first_seen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </Panel>

      <Panel title="Media" description="Plays, time watched (each part once, however often replayed) and completion." state={media} testId="attention-media" aside={csv('media', 'media')}>
        {media.data ? (
          media.data.media.length === 0 ? (
            <p className="empty">No media was played on this page in this range.</p>
          ) : (
            <div className="table-scroll" role="region" aria-label="Media, scrolls sideways" tabIndex={0}>
              <table className="compact">
                <thead>
                  <tr>
                    <th scope="col">Medium</th>
                    <th scope="col" className="num">Plays</th>
                    <th scope="col" className="num">Average watched</th>
                    <th scope="col" className="num">Duration</th>
                    <th scope="col" className="num">Completion</th>
                    <th scope="col" className="num">Played to the end</th>
                  </tr>
                </thead>
                <tbody>
                  {media.data.media.map((m) => (
                    <tr key={m.name}>
                      <th scope="row" className="path">{m.name}</th>
                      <td className="num">{formatCount(m.plays)}</td>
                      <td className="num">{formatDuration(m.average_watched)}</td>
                      <td className="num">{formatDuration(m.average_duration)}</td>
                      <td className="num">{formatShare(m.average_completion)}</td>
                      <td className="num">{formatShare(m.ended_share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </Panel>
    </div>
  );
}
