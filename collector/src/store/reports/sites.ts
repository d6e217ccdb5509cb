/**
 * The sites that sent sessions, for the dashboard's site selector: every site with sessions, with its
 * weighted session count over all time. Read from the per site and day rollup (site_day, migration 006:
 * a row per site and day, integer weights in millionths), not from every session row: the list is asked
 * for on every page load, next to the headline, and a scan of a year of sessions held that up. The rollup
 * keeps the days retention removed (store/erasure.ts), as the headline's figures do.
 */
import { WEIGHT_SCALE } from '../buckets';
import { num, type Exec } from './filter';

export interface SiteCount {
  siteId: string;
  weighted: number;
}

export function siteReports(exec: Exec) {
  return {
    async sites(): Promise<SiteCount[]> {
      const rows = await exec.all({ sql: 'SELECT site_id, SUM(weight_micro) AS w FROM site_day GROUP BY site_id HAVING SUM(sessions) > 0', params: [] });
      return rows.map((r) => ({ siteId: String(r.site_id), weighted: num(r.w) / WEIGHT_SCALE }));
    },
  };
}
