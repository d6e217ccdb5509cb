/**
 * CSV for every report (RFC 4180: comma, CRLF, quotes doubled), for the people who live in spreadsheets.
 * Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe:
 * user ids and paths come from browsers, and opening an export must not execute them
 * (OWASP, "CSV Injection").
 */
export type Cell = string | number | boolean | null | undefined;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
