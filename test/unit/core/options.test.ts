// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { resolveOptions as resolveReporting } from '../../../src/core/options';

/** `resolveOptions` with the problems it reported collected. */
const resolveOptions = (input: unknown, siteId: string) => {
  const problems: string[] = [];
  const options = resolveReporting(input, siteId, (p) => problems.push(p));
  return { options, problems };
};

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

  it('reads each option once and survives what a host object throws: a getter, a Proxy trap', () => {
    const getter = { siteId: 'kept', get endpoint(): string { throw new Error('boom'); } };
    const fromGetter = resolveOptions(getter, 's');
    expect(fromGetter.options).toMatchObject({ siteId: 'kept', endpoint: undefined, flushInterval: 30 });
    expect(fromGetter.problems).toEqual(['option endpoint must be a URL, got "Error: boom"']);
    const trap = () => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
    const fromProxy = resolveOptions(proxy, 'host.example');
    expect(fromProxy.options).toMatchObject({ siteId: 'host.example', enabled: true, samplingRate: 1, flushInterval: 30 });
    expect(fromProxy.problems.every((p) => p.endsWith('got "Error: trap"'))).toBe(true);
  });

  it('refuses a flushInterval under 5 s (each snapshot is a request) and meta values no record can carry', () => {
    const { options, problems } = resolveOptions({ flushInterval: 1e-6, meta: { course: 'c1', big: 1n } }, 's');
    expect(options.flushInterval).toBe(30);
    expect(options.meta).toBeUndefined();
    expect(problems).toEqual([
      'option flushInterval must be seconds >= 5, got 0.000001',
      'option meta must be a flat object of strings, numbers and booleans, got object',
    ]);
    for (const value of [Symbol('s'), { nested: 1 }, undefined])
      expect(resolveOptions({ meta: { value } }, 's').options.meta).toBeUndefined();
    expect(resolveOptions({ flushInterval: 5, meta: { course: 'c1', part: 2, open: true, none: null } }, 's').options).toMatchObject({
      flushInterval: 5,
      meta: { course: 'c1', part: 2, open: true, none: null },
    });
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
