/**
 * `session-metrics/react`: the per-user session-duration table for admin pages, the request it makes
 * to the reporting API (for hosts, and the collector's dashboard, that ask for reports themselves) and
 * the tracker hook for React single-page apps. React is a peer dependency and external to every bundle; the
 * script-tag bundle (`src/script.ts`) never imports this entry.
 */
export { SessionDuration } from './SessionDuration';
export type { SessionDurationProps, SessionDurationResult } from './SessionDuration';
export { fetchReport, ReportError, reportUrl, requestReport } from './requestReport';
export type { ReportRequest, ReportRequestOptions } from './requestReport';
export { useTracker } from './useTracker';
export type { UseTrackerSettings } from './useTracker';
