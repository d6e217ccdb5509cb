import { describe, expect, it } from 'vitest';
import { advance, createEngagement, setMedia, setVisible, signal, take } from '../../../src/core/engagement';

const B = 60_000; // bufferTimeBeforeEnd, default 60 s
const T0 = Date.UTC(2026, 0, 1, 9);

describe('engaged time by intervals', () => {
  it('a signal 59 s after the last keeps one unbroken interval', () => {
    const e = createEngagement(T0, true);
    signal(e, T0 + 59_000, B);
    advance(e, T0 + 200_000, B);
    expect(take(e)).toEqual([[T0, T0 + 59_000 + B]]);
  });

  it('a signal 61 s after the last leaves a 1 s break: credit after a signal stops at the buffer', () => {
    const e = createEngagement(T0, true);
    signal(e, T0 + 61_000, B);
    advance(e, T0 + 200_000, B);
    expect(take(e)).toEqual([
      [T0, T0 + B],
      [T0 + 61_000, T0 + 61_000 + B],
    ]);
  });

  it('stops crediting at once when the page is hidden and credits nothing while hidden', () => {
    const e = createEngagement(T0, true);
    setVisible(e, false, T0 + 10_000, B);
    signal(e, T0 + 20_000, B); // e.g. tracker.activity() from a background player
    advance(e, T0 + 50_000, B);
    expect(take(e)).toEqual([[T0, T0 + 10_000]]);
  });

  it('a page that loads hidden is not engaged until shown; being shown is a signal', () => {
    const e = createEngagement(T0, false);
    advance(e, T0 + 30_000, B);
    expect(take(e)).toEqual([]);
    setVisible(e, true, T0 + 30_000, B);
    advance(e, T0 + 300_000, B);
    expect(take(e)).toEqual([[T0 + 30_000, T0 + 30_000 + B]]);
  });

  it('counts playing media as activity at every instant, with the buffer running from the pause', () => {
    const e = createEngagement(T0, true);
    setMedia(e, true, T0 + 1_000, B);
    advance(e, T0 + 600_000, B); // ten minutes of video without any input
    setMedia(e, false, T0 + 600_000, B);
    advance(e, T0 + 900_000, B);
    expect(take(e)).toEqual([[T0, T0 + 600_000 + B]]);
  });

  it('media playing in a hidden tab earns nothing', () => {
    const e = createEngagement(T0, true);
    setMedia(e, true, T0, B);
    setVisible(e, false, T0 + 5_000, B);
    advance(e, T0 + 100_000, B);
    expect(take(e)).toEqual([[T0, T0 + 5_000]]);
  });

  it('a sleeping machine (clock jumps, no timer ran) is credited only the buffer after the last signal', () => {
    const e = createEngagement(T0, true);
    signal(e, T0 + 10_000, B);
    // Lid closed: nothing runs for two hours, then the first handler sees the new time.
    signal(e, T0 + 2 * 3600_000, B);
    advance(e, T0 + 2 * 3600_000 + 5_000, B);
    expect(take(e)).toEqual([
      [T0, T0 + 10_000 + B],
      [T0 + 2 * 3600_000, T0 + 2 * 3600_000 + 5_000],
    ]);
  });

  it('a clock that goes backwards realizes nothing and loses nothing', () => {
    const e = createEngagement(T0, true);
    advance(e, T0 + 10_000, B);
    advance(e, T0 + 5_000, B);
    advance(e, T0 + 20_000, B);
    expect(take(e)).toEqual([[T0, T0 + 20_000]]);
  });
});
