/** The sites that sent sessions, for the dashboard's site selector: every site ever seen, with its session count. */
import { num, type Exec } from './filter';

export interface SiteCount {
  siteId: string;
  weighted: number;
}

export function siteReports(exec: Exec) {
  return {
    async sites(): Promise<SiteCount[]> {
      // Grouped on the primary key's leading column (site_id, id): an index scan, no sort.
      const rows = await exec.all({ sql: 'SELECT site_id, SUM(weight) AS w FROM sessions GROUP BY site_id', params: [] });
      return rows.map((r) => ({ siteId: String(r.site_id), weighted: num(r.w) }));
    },
  };
}
