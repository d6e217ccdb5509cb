import { describe, expect, it } from 'vitest';
import { describeError } from '../../../collector/dashboard/src/api/describeError';

describe('describeError for a 429', () => {
  it("shows the collector's own words on which limit was hit, and to wait", () => {
    const text = describeError({
      code: 'SM_RATE_LIMITED',
      status: 429,
      message: 'too many /api requests with this token: at most 1200 per minute (SM_REPORT_RATE_LIMIT); retry after 12 s',
    });
    expect(text).toEqual({
      title: 'Too many requests for now.',
      hint: 'Too many /api requests with this token: at most 1200 per minute (SM_REPORT_RATE_LIMIT); retry after 12 s',
      retry: true,
    });
  });
  it('says to wait a minute when the 429 came without the collector’s message (a proxy in front of it)', () => {
    expect(describeError({ code: 'SM_HTTP', status: 429, message: 'HTTP 429' }).hint).toBe('Wait a minute, then try again.');
  });
});
