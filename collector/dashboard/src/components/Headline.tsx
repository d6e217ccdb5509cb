/**
 * The figures people look for first, each with its change against the previous period of the same
 * length (two summary calls), and the users split into identified people and anonymous browsers.
 */
import { formatChange, formatCount, formatDuration, formatShare } from '../format';

export interface Summary {
  sessions: number;
  users: number;
  average_duration: number | null;
  average_engaged: number | null;
  short_share: number | null;
}

export interface HeadlineProps {
  /** null while it loads: the same figures, each "…", so that the panel keeps its size when they arrive. */
  summary: Summary | null;
  /** The previous period's summary, once it has arrived. */
  previous?: Summary | undefined;
  /** What "previous" is, e.g. "the 30 days before". */
  previousLabel?: string;
  /** Users of the range split by kind (active-users report), once it has arrived. */
  people?: { identified: number; anonymous: number } | undefined;
}

interface Figure {
  term: string;
  value: string;
  note: string;
  change: ReturnType<typeof formatChange>;
  /** A rise is good news (sessions) or bad news (short sessions). */
  goodWhenUp: boolean;
}

export function Headline({ summary: given, previous, previousLabel = 'the previous period', people }: HeadlineProps) {
  if (!given) return <HeadlineFigures figures={PLACEHOLDERS} previousLabel={previousLabel} note={`Compared with ${previousLabel}.`} />;
  const summary = given;
  const none = summary.sessions === 0;
  const had = previous && previous.sessions > 0;
  // Counts compare with any previous period (from 0 is "new"); averages only with one that had sessions.
  const count = (now: number, before: number | undefined) => (previous ? formatChange(now, before) : null);
  const change = (now: number | null, before: number | null | undefined) => (previous && had ? formatChange(now, before) : null);
  const points = (now: number | null, before: number | null | undefined) => {
    if (!previous || !had || none || now === null || before === null || before === undefined) return null;
    const d = Math.round((now - before) * 100);
    return d === 0 ? { text: 'no change', trend: 'flat' as const } : { text: `${d > 0 ? '+' : '−'}${Math.abs(d)} pts`, trend: d > 0 ? ('up' as const) : ('down' as const) };
  };
  const figures: Figure[] = [
    { term: 'Sessions', value: formatCount(summary.sessions), note: 'started in the range', change: count(summary.sessions, previous?.sessions), goodWhenUp: true },
    {
      term: 'Users',
      value: formatCount(summary.users),
      note: people ? `${formatCount(people.identified)} identified · ${formatCount(people.anonymous)} anonymous browsers` : 'identified and anonymous',
      change: count(summary.users, previous?.users),
      goodWhenUp: true,
    },
    { term: 'Average duration', value: none ? '—' : formatDuration(summary.average_duration), note: 'first to last engaged moment', change: none ? null : change(summary.average_duration, previous?.average_duration), goodWhenUp: true },
    { term: 'Average engaged time', value: none ? '—' : formatDuration(summary.average_engaged), note: 'visible and active', change: none ? null : change(summary.average_engaged, previous?.average_engaged), goodWhenUp: true },
    { term: 'Short sessions', value: none ? '—' : formatShare(summary.short_share), note: 'under 30 s engaged', change: points(summary.short_share, previous?.short_share), goodWhenUp: false },
  ];
  return (
    <>
      <HeadlineFigures figures={figures} previousLabel={previousLabel}
        note={previous && !had ? `No sessions in ${previousLabel}: nothing to compare with.` : `Compared with ${previousLabel}.`} />
    </>
  );
}

const PLACEHOLDERS: Figure[] = [
  ['Sessions', 'started in the range'], ['Users', 'identified and anonymous'], ['Average duration', 'first to last engaged moment'],
  ['Average engaged time', 'visible and active'], ['Short sessions', 'under 30 s engaged'],
].map(([term, note]) => ({ term: term!, value: '…', note: note!, change: null, goodWhenUp: true }));

/** The figures, and one line above them on what they are compared with: always there, so that nothing moves. */
function HeadlineFigures({ figures, previousLabel, note }: { figures: Figure[]; previousLabel: string; note: string }) {
  return (
    <>
    <p className="muted headline__note">{note}</p>
    <dl className="headline">
      {figures.map((f) => (
        <div className="figure" key={f.term}>
          <dt>{f.term}</dt>
          <dd className="figure__value">{withUnits(f.value)}</dd>
          <dd className="figure__note">{f.note}</dd>
          <dd className="figure__change" data-testid={`change-${f.term}`}>
            {f.change ? (
              <>
                <span className={`change change--${f.change.trend === 'flat' ? 'flat' : (f.change.trend === 'up') === f.goodWhenUp ? 'good' : 'bad'}`}>
                  <span aria-hidden="true">{f.change.trend === 'up' ? '▲ ' : f.change.trend === 'down' ? '▼ ' : ''}</span>
                  {f.change.text}
                </span>{' '}
                <span className="muted">vs {previousLabel}</span>
              </>
            ) : (
              <span className="muted">&nbsp;</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
    </>
  );
}

/** Numbers large, units small: "19 min 52 s" keeps to one line on a phone and reads at a glance. */
function withUnits(value: string) {
  return value.split(/(\d[\d.,]*)/).map((part, i) =>
    i % 2 === 1 || part === '' || part === '—' ? part : (
      <span className="unit" key={i}>
        {part}
      </span>
    ),
  );
}
