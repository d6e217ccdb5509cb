import { describe, expect, it } from 'vitest';
import { breakStats, createBreakTally } from '../../../src/core/breaks';
import { resolveOptions as resolveReporting } from '../../../src/core/options';

/** `resolveOptions` with the problems it reported collected. */
const resolveOptions = (input: unknown, siteId: string) => {
  const problems: string[] = [];
  const options = resolveReporting(input, siteId, (p) => problems.push(p));
  return { options, problems };
};
import { pageMatcher, pathOf } from '../../../src/core/pages';
import { hashUnit, isSampled } from '../../../src/core/sampling';
import { bandOf, crossed, missed, untilNext, type Threshold } from '../../../src/core/thresholds';
import { createTimeline, addInterval } from '../../../src/core/timeline';

describe('pages', () => {
  it('names a page by its path, without query or hash', () => {
    expect(pathOf(new URL('https://x.test/lesson/12?email=a@b.c#t=3'))).toBe('/lesson/12');
  });

  it('matches trackSpecificPages: exact paths, * within a segment, ** across segments', () => {
    const m = pageMatcher(['/', '/lesson/*', '/docs/**', '/a.b']);
    expect(['/', '/lesson/12', '/lesson/', '/docs/x/y', '/a.b'].map(m)).toEqual([true, true, true, true, true]);
    expect(['/lesson/12/notes', '/other', '/docs', '/axb'].map(m)).toEqual([false, false, false, false]);
    expect(pageMatcher([])('/anything')).toBe(true);
  });
});

describe('sampling', () => {
  it('is a pure function of the session id, so every tab agrees', () => {
    expect(hashUnit('abc')).toBe(hashUnit('abc'));
    expect(isSampled('abc', 0.5)).toBe(isSampled('abc', 0.5));
    expect(isSampled('abc', 1)).toBe(true);
    expect(isSampled('abc', 0)).toBe(false);
  });

  it('keeps about the requested share of sessions', () => {
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (isSampled(`session-${i}-${i * 7919}`, 0.25)) kept++;
    expect(kept).toBeGreaterThan(2_300);
    expect(kept).toBeLessThan(2_700);
  });
});

describe('thresholds', () => {
  const th: Threshold[] = [
    { name: 'casual', ms: 30_000, below: false },
    { name: 'engaged', ms: 300_000, below: true },
  ];

  it('bands by the largest threshold reached', () => {
    expect(bandOf(th, 29_999)).toBeNull();
    expect(bandOf(th, 30_000)).toBe('casual');
    expect(bandOf(th, 300_000)).toBe('engaged');
  });

  it('crosses each threshold once, and finds what a short session missed', () => {
    expect(crossed(th, 400_000, []).map((t) => t.name)).toEqual(['casual', 'engaged']);
    expect(crossed(th, 400_000, ['casual']).map((t) => t.name)).toEqual(['engaged']);
    expect(missed(th, 100_000).map((t) => t.name)).toEqual(['engaged']);
    expect(missed(th, 300_000)).toEqual([]);
    expect(untilNext(th, 10_000, [])).toBe(20_000);
    expect(untilNext(th, 40_000, ['casual'])).toBe(260_000);
    expect(untilNext(th, 40_000, ['casual', 'engaged'])).toBe(Infinity);
  });
});

describe('breaks', () => {
  it('puts gaps into the histogram buckets at their edges', () => {
    const t = createTimeline();
    let at = 0;
    for (const gap of [29_999, 30_000, 119_999, 120_000, 599_999, 600_000]) {
      addInterval(t, [at, at + 1]);
      at += 1 + gap;
    }
    addInterval(t, [at, at + 1]);
    expect(breakStats(createBreakTally(), t, 0).histogram).toEqual({ '<30s': 1, '30s-2m': 2, '2m-10m': 2, '>=10m': 1 });
  });
});

describe('options', () => {
  it('uses the documented names and defaults', () => {
    const { options, problems } = resolveOptions(undefined, 'example.org');
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      enabled: true,
      sessionExpirationThreshold: 30,
      trackSpecificPages: [],
      bufferTimeBeforeEnd: 60,
      samplingRate: 1,
      debugMode: false,
      flushInterval: 30,
      respectDoNotTrack: true,
      consent: 'granted',
      siteId: 'example.org',
      transport: [],
      thresholds: [
        { name: 'casual', ms: 30_000, below: false },
        { name: 'engaged', ms: 300_000, below: false },
      ],
    });
  });

  it('names each invalid option and falls back to its default', () => {
    const { options, problems } = resolveOptions(
      { samplingRate: 2, bufferTimeBeforeEnd: -1, trackSpecificPages: '/a', consent: 'yes', transport: {}, sesionExpirationThreshold: 5 },
      's',
    );
    expect(options.samplingRate).toBe(1);
    expect(options.bufferTimeBeforeEnd).toBe(60);
    expect(options.trackSpecificPages).toEqual([]);
    expect(options.consent).toBe('granted');
    expect(options.transport).toEqual([]);
    expect(problems).toEqual([
      'option trackSpecificPages must be an array of paths, got "/a"',
      'option bufferTimeBeforeEnd must be seconds > 0, got -1',
      'option samplingRate must be a number in [0, 1], got 2',
      'option transport must be { send } or a list of them, got {}',
      'option consent must be "granted" or "pending", got "yes"',
      'unknown option sesionExpirationThreshold',
    ]);
  });

  it('accepts thresholds in seconds, with below alerts', () => {
    const { options } = resolveOptions({ thresholds: { quick: 10, deep: { seconds: 600, below: true } } }, 's');
    expect(options.thresholds).toEqual([
      { name: 'quick', ms: 10_000, below: false },
      { name: 'deep', ms: 600_000, below: true },
    ]);
  });

  it('rejects non-object options and bad thresholds without throwing', () => {
    expect(resolveOptions('fast', 's').problems).toEqual(['options must be an object']);
    const { options, problems } = resolveOptions({ thresholds: { x: 'long' }, samplingRate: NaN }, 's');
    expect(options.thresholds.map((t) => t.name)).toEqual(['casual', 'engaged']);
    expect(options.samplingRate).toBe(1);
    expect(problems).toHaveLength(2);
  });
});
