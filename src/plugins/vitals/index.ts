/**
 * `session-metrics/vitals`: LCP, INP, CLS, FCP and TTFB per page, measured by web-vitals (an optional
 * peer dependency; the script-tag file bundles it) and written to the page record of the page each
 * metric was measured on (pageOfMetric.ts). The value per page is the one web-vitals reported last for
 * it: `reportAllChanges` hands every update, so INP and CLS keep growing on the record until the page
 * is hidden, and what the record holds at the end is web-vitals' own final value.
 *
 * Soft navigations: with `reportSoftNavs` (default true) a browser that reports them (Chromium's Soft
 * Navigation API) gives each single-page-app route its own metrics; elsewhere every metric is the hard
 * navigation's and lands on the document's first page only (docs/attention.md).
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from 'web-vitals';
import type { PageVitals } from '../../core/attention';
import { definePlugin, type HostedPlugin, type TrackerPlugin } from '../../plugin/index';
import { createPageNames, pageOfMetric, rememberPage } from './pageOfMetric';

export interface VitalsPluginOptions {
  /**
   * Attribute metrics of soft navigations to their own route, where the browser reports them.
   * @defaultValue true
   */
  reportSoftNavs?: boolean;
}

/** The vitals plugin, hosted: for `createTracker({ plugins })` and `tracker.use`. */
export const vitalsPlugin = (options?: VitalsPluginOptions): HostedPlugin => definePlugin(vitalsDefinition(options));

/**
 * The vitals plugin before hosting: what its script-tag file hands to the main file with the plugin
 * seam, which hosts it (so the host ships once per page, not once per plugin file).
 */
export function vitalsDefinition({ reportSoftNavs = true }: VitalsPluginOptions = {}): TrackerPlugin {
  return {
    name: 'vitals',
    setup(context) {
      const names = createPageNames();
      const byPage = new Map<string, PageVitals>();
      let running = true;
      const offPage = context.on('pagestart', (page) => rememberPage(names, page.url, page.name));
      const report = (metric: MetricType) => {
        const page = running ? pageOfMetric(names, metric.navigationURL) : null;
        if (page === null) return;
        const vitals = { ...byPage.get(page), [metric.name]: metric.value };
        byPage.set(page, vitals);
        context.setPageField('vitals', vitals, page);
      };
      // web-vitals has no way to unsubscribe: after stop() its reports are ignored.
      for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(report, { reportAllChanges: true, reportSoftNavs });
      return () => {
        running = false;
        offPage();
      };
    },
  };
}
