/**
 * Deterministic per-session sampling (SEMANTICS.md, "Sampling"): decided from a hash of the session
 * id, so every tab and reload of a session agrees without talking to the others.
 */

/** FNV-1a (32 bit) of `id`, scaled to [0, 1). */
export function hashUnit(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

/** Whether the session `id` is kept at `rate` in [0, 1]. */
export const isSampled = (id: string, rate: number): boolean => hashUnit(id) < rate;
