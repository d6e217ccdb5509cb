/**
 * Thresholds, bands and alerts (SEMANTICS.md, "Thresholds and alerts").
 */

/** A named amount of engaged time. `below` asks for an alert when a session ends without reaching it. */
export interface Threshold {
  name: string;
  ms: number;
  below: boolean;
}

/** The band of `engagedMs`: the name of the largest threshold reached, `null` below all. */
export function bandOf(thresholds: readonly Threshold[], engagedMs: number): string | null {
  let band: string | null = null;
  let best = -1;
  for (const t of thresholds) if (engagedMs >= t.ms && t.ms > best) [band, best] = [t.name, t.ms];
  return band;
}

/** Thresholds reached by `engagedMs` and not yet in `fired`, smallest first. */
export const crossed = (thresholds: readonly Threshold[], engagedMs: number, fired: readonly string[]): Threshold[] =>
  thresholds.filter((t) => engagedMs >= t.ms && !fired.includes(t.name)).sort((a, b) => a.ms - b.ms);

/** Thresholds marked `below` that a session ending at `engagedMs` missed. */
export const missed = (thresholds: readonly Threshold[], engagedMs: number): Threshold[] =>
  thresholds.filter((t) => t.below && engagedMs < t.ms);

/** Engaged ms still needed to reach the next threshold not yet fired, `Infinity` when none is left. */
export const untilNext = (thresholds: readonly Threshold[], engagedMs: number, fired: readonly string[]): number =>
  Math.min(Infinity, ...thresholds.filter((t) => !fired.includes(t.name)).map((t) => t.ms - engagedMs).filter((d) => d > 0));
