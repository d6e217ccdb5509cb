/**
 * Why the tracker snapshots now rather than at its flush interval (the `reason` of its `update`).
 * Plain numeric constants: the minifier writes them as the numbers they are.
 */
/** `flush()`, `stop()`, or a visible tab's answer to another tab's write (core/crossTab.ts). */
export const FLUSH = 1;
/** The page was hidden or is going away: the snapshot is sent at once, as an unloading request. */
export const HIDDEN = 2;
/** A hidden tab's answer to another tab's write: sent even when its last record had the same numbers. */
export const ANSWER = 3;

export type Reason = typeof FLUSH | typeof HIDDEN | typeof ANSWER;
