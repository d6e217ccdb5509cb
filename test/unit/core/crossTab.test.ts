// @vitest-environment node
// How a tab answers another tab's write (src/core/crossTab.ts). Each row pins one branch: removing the
// branch (or replacing its condition) fails at least one row.
import { describe, expect, it } from 'vitest';
import { answerWrite } from '../../../src/core/crossTab';
import { ANSWER, FLUSH } from '../../../src/core/reasons';
import { startSession, type SessionState } from '../../../src/core/session';

const ME = 0.25;
const OTHER = 0.75;
/** The written state: its seq and the tab that snapshotted it. */
const written = (seq: number, w: number): SessionState => ({ ...startSession('s1', 0, null, true), seq, w });

// [case, written seq, written by, this tab's highest seq, visible, mended, differs, answer]
const rows: [string, number, number, number, boolean, boolean, boolean, false | number][] = [
  ['visible, the write dropped something of this tab: snapshot at its next moment', 3, OTHER, 3, true, true, false, FLUSH],
  ['visible, nothing dropped: no answer, even on a tie its record lacks', 3, OTHER, 3, true, false, true, false],
  ['hidden, top record this tab signed, dropped and lacking: answer', 3, ME, 3, false, true, true, ANSWER],
  ['hidden, top record this tab signed, dropped but its record has it: no answer', 3, ME, 3, false, true, false, false],
  ['hidden, top record this tab signed, nothing dropped: no answer, though same seq and lacking', 3, ME, 3, false, false, true, false],
  ['hidden, this tab snapshotted a higher seq, dropped but its record has it: no answer', 2, OTHER, 3, false, true, false, false],
  ['hidden, this tab snapshotted a higher seq, dropped and lacking: answer', 2, OTHER, 3, false, true, true, ANSWER],
  ['hidden, the other tab may hold the top record, dropped: answer, even when its record has it', 4, OTHER, 3, false, true, false, ANSWER],
  ['hidden, a tie (both snapshotted the seq), its record lacks the union: answer', 3, OTHER, 3, false, false, true, ANSWER],
  ['hidden, a tie, its record has it all: no answer', 3, OTHER, 3, false, false, false, false],
  ['hidden, the other tab snapshotted a higher seq, nothing dropped: no answer, even when lacking', 4, OTHER, 3, false, false, true, false],
];

describe('answerWrite', () => {
  it.each(rows)('%s', (_case, seq, by, mySeq, visible, mended, differs, expected) => {
    let asked = 0;
    const answer = answerWrite(written(seq, by), ME, mySeq, visible, mended, () => (asked++, differs));
    expect(answer).toBe(expected);
    // `differs` builds a whole record: asked at most once, and never by a visible tab.
    expect(asked).toBeLessThanOrEqual(visible ? 0 : 1);
  });
});
