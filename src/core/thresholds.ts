/**
 * Thresholds and bands (docs/semantics.md, "Thresholds and alerts"); when alerts fire: core/alerts.ts.
 */

/** A named amount of engaged time. `below` asks for an alert when a session ends without reaching it. */
export interface Threshold {
  name: string;
  ms: number;
  below: boolean;
}

type List = readonly Threshold[];

/** The band of `engagedMs`: the name of the largest threshold reached (the first of equals), `null` below all. */
export const bandOf = (thresholds: List, engagedMs: number): string | null =>
  thresholds.reduce<Threshold | null>((band, t) => (engagedMs < t.ms || (band && band.ms >= t.ms) ? band : t), null)?.name ?? null;

/** Engaged ms still needed to reach the next threshold not yet fired, `Infinity` when none is left. */
export const untilNext = (thresholds: List, engagedMs: number, fired: readonly string[]): number =>
  Math.min(...thresholds.filter((t) => t.ms > engagedMs && !fired.includes(t.name)).map((t) => t.ms - engagedMs));
