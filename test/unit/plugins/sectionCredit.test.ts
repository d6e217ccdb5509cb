/**
 * Section crediting over the page's engaged counter. The counter here follows a scripted timeline
 * with the engaged-time rules of SEMANTICS.md (visible and a signal within the buffer), on a fake clock,
 * so the expected figures are read off the timeline, not off the code.
 */
import { describe, expect, it } from 'vitest';
import { createInView, credit, inView, MAX_SECTIONS, see, type Sections } from '../../../src/plugins/attention/sectionCredit';

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
  /**
   * The page and its sections; `enter`/`leave` first move the clock to `t`, then credit by the engaged
   * counter and mark the element (by default one per name) in view or not, as the plugin does on each
   * IntersectionObserver entry.
   */
  const setup = () => {
    const page = scriptedPage();
    const t: Sections = new Map();
    const v = createInView();
    const mark = (name: string, at: number, visible: boolean, el: unknown = name) => {
      page.at(at);
      credit(t, v, page.engagedMs());
      see(t, v, el, name, visible, at);
    };
    return {
      page,
      t,
      enter: (name: string, at: number, el?: unknown) => mark(name, at, true, el),
      leave: (name: string, at: number, el?: unknown) => mark(name, at, false, el),
      figures: () => (credit(t, v, page.engagedMs()), Object.fromEntries(t)),
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
    enter('faq', 0, 'first');
    page.signal(5_000);
    enter('faq', 5_000, 'second');
    leave('faq', 5_000, 'first');
    page.signal(12_000);
    leave('faq', 12_000, 'second');
    page.signal(30_000);
    expect(figures().faq).toEqual([12_000, 0]);
  });

  it('tracks at most MAX_SECTIONS names per page', () => {
    const { t, enter, figures } = setup();
    for (let i = 0; i < MAX_SECTIONS; i++) enter(`s${i}`, 0);
    enter('one-too-many', 0);
    enter('s3', 0, 'another s3');
    expect(Object.keys(figures())).toHaveLength(MAX_SECTIONS);
    expect(t.has('one-too-many')).toBe(false);
  });

  it('ignores a leave without an enter', () => {
    const { leave, figures } = setup();
    leave('ghost', 1000);
    expect(figures()).toEqual({});
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
  it('closes every stretch in view, and a later view of the page adds to the same sections', () => {
    const t: Sections = new Map();
    const v = createInView();
    credit(t, v, 0);
    see(t, v, 'a', 'a', true, 0);
    credit(t, v, 1_000);
    see(t, v, 'b', 'b', true, 1_000);
    credit(t, v, 10_000);
    expect(Object.fromEntries(t)).toEqual({ a: [10_000, 0], b: [9_000, 1_000] });
    // The next view starts with nothing in view, and its engaged counter starts at 0 again: no credit for going back.
    v._in.clear();
    credit(t, v, 0);
    expect(Object.fromEntries(t)).toEqual({ a: [10_000, 0], b: [9_000, 1_000] });
    see(t, v, 'a', 'a', true, 0);
    credit(t, v, 4_000);
    expect(Object.fromEntries(t)).toEqual({ a: [14_000, 0], b: [9_000, 1_000] });
  });
});
