/** "CSV" next to a panel's title: downloads that panel's report for the range, or says why not. */
import { useState } from 'react';
import type { ReportError } from 'session-metrics/react';
import { downloadCsv } from '../downloadCsv';

export interface CsvButtonProps {
  /** What is downloaded, for the accessible name: "Download {what} as CSV". */
  what: string;
  path: string;
  filename: string;
  token: string;
  baseUrl?: string;
  body?: unknown;
  onUnauthorized?: (error: ReportError) => void;
}

export function CsvButton({ what, path, filename, token, baseUrl, body, onUnauthorized }: CsvButtonProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await downloadCsv(path, filename, { token, baseUrl, body });
    } catch (error) {
      const e = error as ReportError;
      if (e.status === 401) onUnauthorized?.(e);
      setProblem(e.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="csv">
      <button type="button" className="secondary small" onClick={download} disabled={busy} aria-label={`Download ${what} as CSV`}>
        CSV
      </button>
      {problem ? (
        <span role="alert" className="csv__problem">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
