/** A titled dashboard card that shows its report's loading and error states the same way everywhere. */
import { useId, type ReactNode } from 'react';
import type { ReportState } from '../useReport';

export interface PanelProps {
  title: string;
  /** One line under the title that says what the figures mean. */
  description?: ReactNode;
  state?: ReportState<unknown>;
  className?: string;
  /** Extra controls in the header (sort, status). */
  aside?: ReactNode;
  testId?: string;
  children?: ReactNode;
}

export function Panel({ title, description, state, className, aside, testId, children }: PanelProps) {
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
      {state?.status === 'error' ? (
        <p className="panel__error" role="alert">
          {state.error.message}
        </p>
      ) : state?.status === 'loading' && state.data === undefined ? (
        <p className="panel__loading">Loading…</p>
      ) : (
        children
      )}
    </section>
  );
}
