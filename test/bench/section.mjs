// BENCHMARKS.md holds the SDK's tables (written whole by test/bench/run.mjs) and the collector's
// (written by collector/bench/run.ts between the markers below). Each writer replaces only its part.
export const COLLECTOR_START = '<!-- collector benchmark: written by npm run bench:collector -->';
export const COLLECTOR_END = '<!-- end of the collector benchmark -->';

/** The collector's block of a BENCHMARKS.md text, markers included, or '' when it has none. */
export function collectorSection(text) {
  const start = text.indexOf(COLLECTOR_START);
  const end = text.indexOf(COLLECTOR_END);
  return start >= 0 && end > start ? text.slice(start, end + COLLECTOR_END.length) : '';
}

/** `text` with its collector block replaced by `section` (appended when it had none). */
export function withCollectorSection(text, section) {
  const old = collectorSection(text);
  if (old) return text.replace(old, section);
  return `${text.trimEnd()}\n\n${section}\n`;
}
