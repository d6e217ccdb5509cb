/**
 * A course's pages in order (GET /api/reports/course): a glob such as `/lessons/*` (matches in natural
 * order) or a comma-separated list, with the learners who reached each step, their share of the first
 * step's, and how many dropped off before the next. The bar under each step is its reach.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { formatCount, formatDuration, formatShare } from '../format';
import type { ReportState } from '../useReport';
import { Path } from './Path';

export interface CourseReport {
  pages: string;
  steps: { step: number; path: string; learners: number; sessions: number; average_engaged: number; reach: number; continued: number | null; drop_off: number | null }[];
}

export function CoursePanel({ pattern, state, onPattern }: { pattern: string; state: ReportState<CourseReport>; onPattern: (pattern: string) => void }) {
  const id = useId();
  const [input, setInput] = useState(pattern);
  useEffect(() => setInput(pattern), [pattern]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (input.trim()) onPattern(input.trim());
  };
  const data = state.data;
  return (
    <div className="course">
      <form className="course__form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-pages`}>Course pages (a glob, or paths in order, comma-separated)</label>
          <input id={`${id}-pages`} value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} />
        </div>
        <button type="submit" className="secondary">Show</button>
      </form>
      {data ? (
        data.steps.length === 0 ? (
          <p className="empty">No page of this range matches {data.pages}.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Course steps, scrolls sideways" tabIndex={0}>
            <table className="compact" data-testid="course-steps">
              <caption className="visually-hidden">Course steps of {data.pages}</caption>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col" className="num">Learners</th>
                  <th scope="col" className="num">Reach</th>
                  <th scope="col" className="num">Drop-off to next</th>
                  <th scope="col" className="num">Average dwell</th>
                </tr>
              </thead>
              <tbody>
                {data.steps.map((s) => (
                  <tr key={s.path}>
                    <th scope="row" className="path">
                      <span className="muted">{s.step}.</span> <Path path={s.path} />
                      <span className="reach" aria-hidden="true">
                        <span style={{ width: `${Math.round(s.reach * 100)}%` }} />
                      </span>
                    </th>
                    <td className="num">{formatCount(s.learners)}</td>
                    <td className="num">{formatShare(s.reach)}</td>
                    <td className="num">{s.drop_off === null ? '—' : formatShare(s.drop_off)}</td>
                    <td className="num">{s.learners ? formatDuration(s.average_engaged) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </div>
  );
}
