/**
 * Saves a report as CSV: the collector answers any report in CSV when asked with `Accept: text/csv`.
 * A plain link cannot carry the bearer token, so the file is fetched here and handed to the browser
 * as a blob URL on a temporary `<a download>`, which saves it without leaving the page.
 */
import { ReportError, reportUrl } from '../../../src/react/requestReport';

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
  const response = await fetchImpl(reportUrl(baseUrl, path), {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Accept: 'text/csv',
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error: unknown) => {
    throw new ReportError('SM_NETWORK', `Could not reach the collector: ${(error as Error)?.message ?? error}`, 0);
  });
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ReportError(
      answer?.error?.code ?? `SM_HTTP_${response.status}`,
      answer?.error?.message ?? `The collector answered ${response.status} for ${path}.`,
      response.status,
    );
  }
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
