/** The four figures people look for first, plus the user count that gives them scale. */
import { formatCount, formatDuration, formatShare } from '../format';

export interface Summary {
  sessions: number;
  users: number;
  average_duration: number | null;
  average_engaged: number | null;
  short_share: number | null;
}

export function Headline({ summary }: { summary: Summary }) {
  const none = summary.sessions === 0;
  const figures: [string, string, string][] = [
    ['Sessions', formatCount(summary.sessions), `${formatCount(summary.users)} ${summary.users === 1 ? 'user' : 'users'}`],
    ['Average duration', none ? '—' : formatDuration(summary.average_duration), 'first to last engaged moment'],
    ['Average engaged time', none ? '—' : formatDuration(summary.average_engaged), 'visible and active'],
    ['Short sessions', none ? '—' : formatShare(summary.short_share), 'under 30 s engaged'],
  ];
  return (
    <dl className="headline">
      {figures.map(([term, value, note]) => (
        <div className="figure" key={term}>
          <dt>{term}</dt>
          <dd className="figure__value">{withUnits(value)}</dd>
          <dd className="figure__note">{note}</dd>
        </div>
      ))}
    </dl>
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
