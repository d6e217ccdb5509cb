// The few statistics the tables need.

export function median(values) {
  const xs = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export const mean = (values) => values.reduce((sum, x) => sum + x, 0) / values.length;

/** `peer / ours`, as the tables print it: "3.2×"; "–" when either side is missing or zero. */
export function ratio(peer, ours) {
  if (!Number.isFinite(peer) || !Number.isFinite(ours) || ours === 0) return '–';
  const r = peer / ours;
  if (r === 0) return '0×';
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toPrecision(2)}×`;
}
