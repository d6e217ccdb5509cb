/**
 * What a failed report means to the person reading the dashboard, in their words: what happened and what
 * to do. The collector's own message is kept where it names the problem (a 400 names the field); a network
 * failure or a 5xx is said plainly instead of as the browser's "Failed to fetch".
 */
import type { ReportError } from 'session-metrics/react';

export interface ErrorText {
  /** One sentence: what went wrong. */
  title: string;
  /** What to do about it. */
  hint: string;
  /** A retry can help (the collector was unreachable or failed), as opposed to a request it refused. */
  retry: boolean;
}

export function describeError(error: Pick<ReportError, 'code' | 'status' | 'message'>): ErrorText {
  if (error.code === 'SM_NETWORK' || error.status === 0) {
    return { title: 'The collector did not answer.', hint: 'Check that it is running and that this page can reach it, then try again.', retry: true };
  }
  if (error.status === 401) {
    return { title: 'The collector did not accept this token.', hint: 'Paste the API token the collector printed on its first start (or open the link it printed); it is kept in api-token in its data directory.', retry: false };
  }
  if (error.code === 'SM_RATE_LIMITED' || error.status === 429) {
    // The collector limits reports per token and failed sign-ins per address; its message names which.
    const said = error.code === 'SM_RATE_LIMITED' && error.message;
    return { title: 'Too many requests for now.', hint: said ? said.charAt(0).toUpperCase() + said.slice(1) : 'Wait a minute, then try again.', retry: true };
  }
  if (error.status >= 500) {
    return { title: 'The collector failed to answer this report.', hint: 'It has logged why; try again in a moment.', retry: true };
  }
  if (error.code === 'SM_BAD_RESPONSE') {
    return { title: 'The answer could not be read.', hint: 'A proxy between this page and the collector may have changed it; try again.', retry: true };
  }
  // A request the collector refused: its message says which field and why.
  const message = error.message.replace(/\.?$/, '.');
  return { title: `The collector refused this request: ${message}`, hint: 'Change the range or filter and try again.', retry: false };
}
