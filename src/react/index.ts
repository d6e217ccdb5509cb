/**
 * `session-metrics/react`: the per-user session-duration table for admin pages and the tracker
 * hook for React single-page apps. React is a peer dependency and external to every bundle; the
 * script-tag bundle (`src/script.ts`) never imports this entry.
 */
export { SessionDuration } from './SessionDuration';
export type { SessionDurationProps, SessionDurationResult } from './SessionDuration';
export { ReportError } from './requestReport';
export { useTracker } from './useTracker';
export type { UseTrackerSettings } from './useTracker';
