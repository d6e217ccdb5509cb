/**
 * How a tab answers another tab's write of the session they share (docs/semantics.md, "Tabs").
 *
 * localStorage reaches other processes asynchronously: two tabs that read the same state both write,
 * and the last write drops what the other had committed. Every other tab, hidden or not, sees each
 * write land (the `storage` event) and mends it with its own recent intervals. The receiver keeps, per
 * session, the record with the highest seq, and of two with the same seq the first to arrive (two tabs
 * that hid at once from the same state both snapshot the same seq). So a tab answers a write with a
 * snapshot of the union under a higher seq only where that record could be lost otherwise, and only
 * such a write causes one: tabs converge instead of answering each other.
 */
import { ANSWER, FLUSH } from './reasons';
import type { SessionState } from './session';

/**
 * The snapshot with which this tab answers the write `s` of its own live session, `false` for none.
 * `me`: the random number this tab signs its snapshots with (`s.w` when the write carries this tab's
 * seq); `mySeq`: the highest seq this tab snapshotted in the session; `visible`: this page is. `mended`: mending `s` with this tab's own time changed it (the write dropped something of this
 * tab's). `differs()`: a record of the mended `s` says something this tab's last record did not
 * (asked only where it decides: it builds a whole record).
 *
 * - A visible tab answers only a write that dropped something of its own, at its next moment (`FLUSH`).
 * - A hidden tab may be closing, so it answers at once (`ANSWER`) what could be lost otherwise:
 *   - while the receiver's top record may be this tab's (this tab signed `s.seq`, or snapshotted a
 *     higher one), a write that dropped something of this tab's, when this tab's record lacks it;
 *   - else (the other tab's snapshot may be the one kept), any write that dropped something of this
 *     tab's, and a tie (the same seq snapshotted by both) whose union this tab's record lacks.
 */
export const answerWrite = (
  s: SessionState,
  me: number,
  mySeq: number,
  visible: boolean,
  mended: boolean,
  differs: () => boolean,
): false | typeof FLUSH | typeof ANSWER =>
  visible ? mended && FLUSH : (s.w == me || s.seq < mySeq ? mended && differs() : mended || (s.seq == mySeq && differs())) && ANSWER;
