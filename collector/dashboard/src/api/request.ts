/**
 * The dashboard's copy of the SDK's report request (src/react/requestReport.ts), kept here so the dashboard
 * imports nothing of the SDK by relative path (issue 11): the two are built, versioned and tested apart.
 * One request to the collector's reporting API, with its failures turned into a `ReportError`
 * that carries the API's stable code and its human message (the contract's
 * `{ "error": { "code": "SM_...", "message": "..." } }`). The component and the dashboard show that
 * message as it is: the collector knows best which field was wrong and why.
 */

/** A request to the reporting API that failed: answered with an error, unreadable, or unreachable. */
export class ReportError extends Error {
  /**
   * The API's stable code (`SM_BAD_DATE`, `SM_RANGE_REVERSED`, `SM_UNAUTHORIZED`, ...), or one of
   * `SM_NETWORK` (no answer), `SM_BAD_RESPONSE` (an answer that is not the JSON we expect) and
   * `SM_HTTP_<status>` (an error status without the API's error body, e.g. from a proxy).
   */
  readonly code: string;
  /** HTTP status, `0` when no answer arrived. */
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ReportError';
    this.code = code;
    this.status = status;
  }
}

export interface ReportRequestOptions {
  /**
   * Where the collector answers, e.g. `https://metrics.example.com`; reports are under its `/api/`.
   * @defaultValue `''` (the page's own origin)
   */
  baseUrl?: string;
  /** Bearer token for the reporting API. Without one the collector answers 401. */
  token?: string;
  /** Injected for tests and for hosts that wrap `fetch`. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface ReportRequest {
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
}

/** `baseUrl` + `path` without doubled or missing slashes. */
export function reportUrl(baseUrl: string | undefined, path: string): string {
  return (baseUrl ?? '').replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/**
 * Sends one request and resolves with the answer when it is a success (2xx), its body unread, so a
 * caller reads it as JSON or as a file. Rejects with a `ReportError` for no answer or an error
 * answer, except when `signal` aborts: then the fetch's own `AbortError` passes through so callers
 * can ignore it. `accept` is the `Accept` header (`application/json` unless asked otherwise).
 */
export async function fetchReport(
  path: string,
  request: ReportRequest & { accept?: string } = {},
  { baseUrl, token, fetch: fetchImpl = globalThis.fetch, signal }: ReportRequestOptions = {},
): Promise<Response> {
  const url = reportUrl(baseUrl, path);
  const headers: Record<string, string> = { Accept: request.accept ?? 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ReportError('SM_NETWORK', `Could not reach the collector at ${url}: ${messageOf(error)}`, 0);
  }
  if (response.ok) return response;

  const apiError = errorBody(await response.json().catch((error: unknown) => {
    if (isAbort(error)) throw error;
  }));
  if (apiError) throw new ReportError(apiError.code, apiError.message, response.status);
  throw new ReportError(
    `SM_HTTP_${response.status}`,
    `The collector answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${path}.`,
    response.status,
  );
}

/**
 * Sends one request and resolves with the parsed JSON body. Rejects as `fetchReport` does, and with
 * `SM_BAD_RESPONSE` for a success whose body is not a JSON object.
 */
export async function requestReport<T>(path: string, request: ReportRequest = {}, options: ReportRequestOptions = {}): Promise<T> {
  const response = await fetchReport(path, request, options);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (isAbort(error)) throw error;
  }
  if (body === null || typeof body !== 'object') {
    throw new ReportError('SM_BAD_RESPONSE', `The collector's answer to ${path} is not a JSON object.`, response.status);
  }
  return body as T;
}

function errorBody(body: unknown): { code: string; message: string } | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string' || !message) return undefined;
  return { code: typeof code === 'string' ? code : 'SM_UNKNOWN', message };
}

function isAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
