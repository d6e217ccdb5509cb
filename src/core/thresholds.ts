/**
 * Thresholds, bands and alerts (SEMANTICS.md, "Thresholds and alerts").
 */

/** A named amount of engaged time. `below` asks for an alert when a session ends without reaching it. */
export interface Threshold {
  name: string;
  ms: number;
  below: boolean;
}

type List = readonly Threshold[];

/** Thresholds reached by `engagedMs` and not yet in `fired`, smallest first. */
export const crossed = (thresholds: List, engagedMs: number, fired: readonly string[]): Threshold[] =>
  thresholds.filter((t) => engagedMs >= t.ms && !fired.includes(t.name)).sort((a, b) => a.ms - b.ms);

/** The band of `engagedMs`: the name of the largest threshold reached (the first of equals), `null` below all. */
export const bandOf = (thresholds: List, engagedMs: number): string | null =>
  thresholds.reduce<Threshold | null>((band, t) => (engagedMs < t.ms || (band && band.ms >= t.ms) ? band : t), null)?.name ?? null;

/** Thresholds marked `below` that a session ending at `engagedMs` missed. */
export const missed = (thresholds: List, engagedMs: number): Threshold[] =>
  thresholds.filter((t) => t.below && engagedMs < t.ms);

/** Engaged ms still needed to reach the next threshold not yet fired, `Infinity` when none is left. */
export const untilNext = (thresholds: List, engagedMs: number, fired: readonly string[]): number =>
  Math.min(...thresholds.filter((t) => t.ms > engagedMs && !fired.includes(t.name)).map((t) => t.ms - engagedMs));
