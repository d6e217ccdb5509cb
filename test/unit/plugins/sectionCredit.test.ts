/**
 * Section crediting over the page's engaged counter. The counter here follows a scripted timeline
 * with the engaged-time rules of SEMANTICS.md (visible and a signal within the buffer), on a fake clock,
 * so the expected figures are read off the timeline, not off the code.
 */
import { describe, expect, it } from 'vitest';
import { inView, MAX_SECTIONS, sectionEntered, sectionFigures, sectionLeft, sectionsClosed, type SectionTallies } from '../../../src/plugins/attention/sectionCredit';

const BUFFER = 60_000;

/** A scripted page: visibility and activity signals over a fake clock; engagedMs() by the rules. */
function scriptedPage() {
  let now = 0;
  let visible = true;
  let lastSignal = 0;
  let engaged = 0;
  /** Credits [now, to) by the rules: visible and within the buffer after the last signal. */
  const advance = (to: number) => {
    if (visible) engaged += Math.max(0, Math.min(to, lastSignal + BUFFER) - Math.max(now, lastSignal));
    now = to;
  };
  return {
    at: (t: number) => (advance(t), t),
    signal: (t: number) => (advance(t), (lastSignal = t)),
    hide: (t: number) => (advance(t), (visible = false)),
    show: (t: number) => (advance(t), (visible = true), (lastSignal = t)),
    engagedMs: () => engaged,
  };
}

describe('section crediting', () => {
  /** The page and its tallies; `enter`/`leave` first move the clock to `t`, then read the engaged counter. */
  const setup = () => {
    const page = scriptedPage();
    const t: SectionTallies = new Map();
    return {
      page,
      t,
      enter: (name: string, at: number) => (page.at(at), sectionEntered(t, name, page.engagedMs(), at)),
      leave: (name: string, at: number) => (page.at(at), sectionLeft(t, name, page.engagedMs())),
      figures: () => sectionFigures(t, page.engagedMs()),
    };
  };

  it('credits the engaged time while in view, none while hidden, none past the idle buffer', () => {
    const { page, enter, leave, figures } = setup();
    enter('intro', 0);
    page.signal(10_000);
    page.hide(20_000); // 20 s engaged in view
    page.show(50_000); // hidden 30 s: nothing
    leave('intro', 200_000); // no signal after 50 s: the buffer credits 60 s, then nothing
    expect(figures()).toEqual({ intro: [80_000, 0] });
  });

  it('credits each section only its own stretches in view', () => {
    const { page, enter, leave, figures } = setup();
    enter('a', 5_000);
    page.signal(15_000);
    leave('a', 15_000);
    enter('b', 15_000);
    page.signal(40_000);
    leave('b', 40_000);
    enter('a', 40_000);
    page.at(45_000);
    // a: 5..15 and 40..45 = 15 s, still in view; b: 15..40 = 25 s.
    expect(figures()).toEqual({ a: [15_000, 5_000], b: [25_000, 15_000] });
  });

  it('treats elements sharing a name as one section: in view while any of them is', () => {
    const { page, enter, leave, figures } = setup();
    enter('faq', 0);
    page.signal(5_000);
    enter('faq', 5_000);
    leave('faq', 5_000);
    page.signal(12_000);
    leave('faq', 12_000);
    page.signal(30_000);
    expect(figures().faq).toEqual([12_000, 0]);
  });

  it('tracks at most MAX_SECTIONS names per page', () => {
    const t: SectionTallies = new Map();
    for (let i = 0; i < MAX_SECTIONS; i++) expect(sectionEntered(t, `s${i}`, 0, 0)).toBe(true);
    expect(sectionEntered(t, 'one-too-many', 0, 0)).toBe(false);
    expect(sectionEntered(t, 's3', 0, 0)).toBe(true);
    expect(Object.keys(sectionFigures(t, 0))).toHaveLength(MAX_SECTIONS);
  });

  it('ignores a leave without an enter', () => {
    const t: SectionTallies = new Map();
    sectionLeft(t, 'ghost', 1000);
    expect(sectionFigures(t, 1000)).toEqual({});
  });
});

describe('the visibility rule', () => {
  it('needs half of a short section', () => {
    expect(inView(100, 200, 800)).toBe(true);
    expect(inView(99, 200, 800)).toBe(false);
  });

  it('needs half of the viewport for a section taller than the viewport', () => {
    expect(inView(400, 3000, 800)).toBe(true);
    expect(inView(399, 3000, 800)).toBe(false);
  });

  it('never counts an empty or invisible element', () => {
    expect(inView(0, 0, 800)).toBe(false);
    expect(inView(0, 100, 800)).toBe(false);
  });
});

describe('a page view that ends', () => {
  it('closes every stretch in view, and a later view of the page adds to the same tallies', () => {
    const t: SectionTallies = new Map();
    sectionEntered(t, 'a', 0, 0);
    sectionEntered(t, 'b', 1_000, 1_000);
    sectionsClosed(t, 10_000);
    // The next view's engaged counter starts at 0 again.
    expect(sectionFigures(t, 0)).toEqual({ a: [10_000, 0], b: [9_000, 1_000] });
    sectionEntered(t, 'a', 0, 0);
    expect(sectionFigures(t, 4_000).a).toEqual([14_000, 0]);
    sectionLeft(t, 'b', 4_000);
    expect(sectionFigures(t, 4_000).b![0]).toBe(9_000);
  });
});
