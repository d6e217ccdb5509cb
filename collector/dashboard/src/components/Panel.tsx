/**
 * A titled dashboard card that shows its report's loading and error states the same way everywhere. Its
 * body keeps the room its figures take (`reserve`, a size in styles.css) from the first "Loading…" on, so
 * nothing below moves when they arrive; new figures load over the old ones (useReport keeps them); an
 * error says what happened and what to do, with "Try again" where trying again can help.
 */
import { useId, type ReactNode } from 'react';
import { describeError } from '../api/describeError';
import type { ReportState } from '../useReport';

export interface PanelProps {
  title: string;
  /** One line under the title that says what the figures mean. */
  description?: ReactNode;
  state?: ReportState<unknown>;
  className?: string;
  /** Extra controls in the header (CSV, status). */
  aside?: ReactNode;
  testId?: string;
  /**
   * The room the figures take, as a class of styles.css (`panel__body--chart`, ...): at least their height at
   * every width, for figures whose size does not depend on the data; the least room for a list.
   */
  reserve?: 'trend' | 'durations' | 'breaks' | 'bands' | 'returning' | 'short';
  /** Shown while the first figures load instead of "Loading…": the figures' own layout with blanks (the headline). */
  placeholder?: ReactNode;
  children?: ReactNode;
}

export function Panel({ title, description, state, className, aside, testId, reserve = 'short', placeholder, children }: PanelProps) {
  const id = useId();
  const loading = state?.status === 'loading';
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} aria-labelledby={`${id}-h`} aria-busy={loading} data-testid={testId}>
      <header className="panel__header">
        <div>
          <h2 id={`${id}-h`}>{title}</h2>
          {description ? <p className="panel__description">{description}</p> : null}
        </div>
        {aside}
      </header>
      <div className={`panel__body panel__body--${reserve}`}>
        {state?.status === 'error' ? (
          <ReportProblem state={state} />
        ) : state?.status === 'loading' && state.data === undefined ? (
          (placeholder ?? <p className="panel__loading">Loading…</p>)
        ) : (
          children
        )}
      </div>
    </section>
  );
}

export function ReportProblem({ state }: { state: Extract<ReportState<unknown>, { status: 'error' }> }) {
  const text = describeError(state.error);
  return (
    <div className="panel__error" role="alert">
      <p>
        <strong>{text.title}</strong> {text.hint}
      </p>
      {text.retry && state.retry ? (
        <button type="button" className="secondary small" onClick={state.retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
