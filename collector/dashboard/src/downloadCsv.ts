/**
 * Saves a report as CSV: the collector answers any report in CSV when asked with `Accept: text/csv`.
 * A plain link cannot carry the bearer token, so the file is fetched here and handed to the browser
 * as a blob URL on a temporary `<a download>`, which saves it without leaving the page.
 */
import { fetchReport } from 'session-metrics/react';

export interface DownloadCsvOptions {
  token: string;
  baseUrl?: string;
  /** For `POST /api/session-duration`. */
  body?: unknown;
  fetch?: typeof fetch;
  document?: Document;
}

export async function downloadCsv(
  path: string,
  filename: string,
  { token, baseUrl, body, fetch: fetchImpl = globalThis.fetch, document: doc = globalThis.document }: DownloadCsvOptions,
): Promise<void> {
  // The same request and error mapping as every other report; only the answer is read as a file.
  const response = await fetchReport(
    path,
    { method: body === undefined ? 'GET' : 'POST', body, accept: 'text/csv' },
    { baseUrl, token, fetch: fetchImpl },
  );
  const url = URL.createObjectURL(await response.blob());
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has started the download; revoking at once can cancel it in Safari.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
