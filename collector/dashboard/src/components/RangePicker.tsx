/**
 * The dashboard's date range: presets (the one in use is pressed) and, folded away so the header stays one
 * line on a phone, a custom range of two labelled day inputs applied together as one form.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { lastDays, type DateRange } from '../dateRange';
import { formatDay } from '../format';

export const PRESETS: [string, number][] = [
  ['7 days', 7],
  ['30 days', 30],
  ['90 days', 90],
  ['1 year', 365],
];

/** The preset a range is, if it is one (ending today). */
export function presetOf(range: DateRange, now = Date.now()): number | null {
  for (const [, days] of PRESETS) {
    const r = lastDays(days, now);
    if (r.start === range.start && r.end === range.end) return days;
  }
  return null;
}

export function RangePicker({ range, onChange }: { range: DateRange; onChange: (range: DateRange) => void }) {
  const id = useId();
  const [start, setStart] = useState(range.start);
  const [end, setEnd] = useState(range.end);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setStart(range.start);
    setEnd(range.end);
  }, [range.start, range.end]);
  const active = presetOf(range);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Checked here so that one message replaces a dozen identical 400s, one per panel.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
      setProblem('Choose both days of the range.');
    } else if (start > end) {
      setProblem(`"From" (${formatDay(start)}) is after "To" (${formatDay(end)}).`);
    } else {
      setProblem(null);
      onChange({ start, end });
    }
  };

  return (
    <div className="range">
      <div className="range__presets" role="group" aria-label="Last">
        {PRESETS.map(([label, days]) => (
          <button
            key={label}
            type="button"
            className="chip"
            aria-pressed={active === days}
            onClick={() => {
              setProblem(null);
              onChange(lastDays(days));
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <details className="range__custom">
        <summary>Custom range</summary>
        <form onSubmit={submit} noValidate aria-label="Date range" className="range__fields">
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={start} onChange={(e) => setStart(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="date" value={end} onChange={(e) => setEnd(e.target.value)} />
          </div>
          <button type="submit">Apply</button>
          {problem ? (
            <p className="range__problem" role="alert">
              {problem}
            </p>
          ) : null}
        </form>
      </details>
    </div>
  );
}
