// @vitest-environment node
// When a threshold alert fires and with which time (src/core/alerts.ts). Each row pins one branch.
import { describe, expect, it } from 'vitest';
import { above, below } from '../../../src/core/alerts';
import { startSession, mergeInterval } from '../../../src/core/session';
import type { Threshold } from '../../../src/core/thresholds';

const T0 = Date.UTC(2026, 0, 1, 9);
const SEC = 1_000;
const casual: Threshold = { name: 'casual', ms: 30 * SEC, below: false };
const engaged: Threshold = { name: 'engaged', ms: 300 * SEC, below: true };

/** A session engaged from T0 for `ms`, in one interval, with `fired` already alerted. */
const session = (ms: number, fired: string[] = []) => {
  const s = startSession('s1', T0, null, true);
  if (ms) mergeInterval(s, '/a', [T0, T0 + ms]);
  s.a = [...fired];
  return s;
};
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('above', () => {
  // [case, thresholds, engaged ms, already fired, expected [name, at] in order]
  const rows: [string, Threshold[], number, string[], [string, string][]][] = [
    ['below every threshold: none', [casual, engaged], 29_999, [], []],
    ['reached exactly: fires, at the instant engaged time reached it', [casual], 30 * SEC, [], [['casual', at(30 * SEC)]]],
    ['passed: fires at the crossing, not at the last engaged instant', [casual], 40 * SEC, [], [['casual', at(30 * SEC)]]],
    ['already fired: not again', [casual], 40 * SEC, ['casual'], []],
    ['several at once: smallest first, each at its own crossing', [engaged, casual], 400 * SEC, [], [['casual', at(30 * SEC)], ['engaged', at(300 * SEC)]]],
  ];
  it.each(rows)('%s', (_case, thresholds, ms, fired, expected) => {
    const s = session(ms, fired);
    const alerts = above({ siteId: 'site', thresholds }, s);
    expect(alerts.map((a) => [a.threshold, a.at])).toEqual(expected);
    for (const a of alerts) expect(a).toMatchObject({ v: 1, type: 'alert', siteId: 'site', sessionId: 's1', direction: 'above', engagedMs: ms });
    // Marked in the shared state, so that no tab fires them again.
    expect(s.a).toEqual([...fired, ...expected.map(([name]) => name)]);
    expect(above({ siteId: 'site', thresholds }, s)).toEqual([]);
  });

  it('the crossing is measured in engaged time: a break before it moves it later in wall time', () => {
    const s = session(20 * SEC);
    mergeInterval(s, '/a', [T0 + 60 * SEC, T0 + 80 * SEC]);
    expect(above({ siteId: 'site', thresholds: [casual] }, s).map((a) => a.at)).toEqual([at(70 * SEC)]);
  });
});

describe('below', () => {
  // [case, thresholds, engaged ms, expected names]
  const rows: [string, Threshold[], number, string[]][] = [
    ['a `below` threshold missed: fires', [engaged], 100 * SEC, ['engaged']],
    ['a `below` threshold reached: none', [engaged], 300 * SEC, []],
    ['a threshold not marked `below`, missed: none', [casual], 0, []],
  ];
  it.each(rows)('%s', (_case, thresholds, ms, expected) => {
    const s = session(ms);
    const alerts = below({ siteId: 'site', thresholds }, s);
    expect(alerts.map((a) => a.threshold)).toEqual(expected);
    // At the session's last engaged instant.
    for (const a of alerts) expect(a).toMatchObject({ direction: 'below', at: at(ms), sessionId: 's1', engagedMs: ms });
  });
});
