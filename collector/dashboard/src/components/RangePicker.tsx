/** The dashboard's date range: two labelled day inputs and presets, applied together as one form. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { lastDays, type DateRange } from '../dateRange';

const PRESETS: [string, number][] = [
  ['7 days', 7],
  ['30 days', 30],
  ['90 days', 90],
  ['1 year', 365],
];

export function RangePicker({ range, onChange }: { range: DateRange; onChange: (range: DateRange) => void }) {
  const id = useId();
  const [start, setStart] = useState(range.start);
  const [end, setEnd] = useState(range.end);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setStart(range.start);
    setEnd(range.end);
  }, [range.start, range.end]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Checked here so that one message replaces seven identical 400s, one per panel.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
      setProblem('Choose both days of the range.');
    } else if (start > end) {
      setProblem(`"From" (${start}) is after "To" (${end}).`);
    } else {
      setProblem(null);
      onChange({ start, end });
    }
  };

  return (
    <form className="range" onSubmit={submit} noValidate aria-label="Date range">
      <div className="range__fields">
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} type="date" value={start} onChange={(e) => setStart(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} type="date" value={end} onChange={(e) => setEnd(e.target.value)} />
        </div>
        <button type="submit">Apply</button>
      </div>
      <div className="range__presets" role="group" aria-label="Last">
        {PRESETS.map(([label, days]) => (
          <button key={label} type="button" className="chip" onClick={() => { setProblem(null); onChange(lastDays(days)); }}>
            {label}
          </button>
        ))}
      </div>
      {problem ? (
        <p className="range__problem" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
