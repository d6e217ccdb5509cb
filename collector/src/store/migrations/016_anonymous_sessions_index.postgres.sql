-- Issue 14: the paged POST /api/session-duration counts how many matching users are identified as all of
-- them less those whose every session of the range is anonymous (store/reports/users-rollup.ts). This
-- partial index holds the anonymous sessions only (user_id NULL), so that count reads them alone instead of
-- looking for an identified session of each of the range's users; identified sessions never enter it.
CREATE INDEX sessions_anonymous_day ON sessions (start_day, user_key, site_id) WHERE user_id IS NULL;
