/**
 * Build-time features. The default script tag (`dist/session-metrics.min.js`) is built with
 * `__SM_PLUGINS__` defined as `false`, so the minifier drops the plugin port from it: a page pays for the
 * plugin seam only when it loads `dist/session-metrics.plugins.min.js` (the way Plausible ships its script
 * extensions as script variants). The npm entries, the tests and that file keep it.
 */
declare const __SM_PLUGINS__: boolean | undefined;

/** Whether this build has the plugin seam (src/browser/plugins.ts). Imports nothing: every layer may read it. */
export const PLUGINS: boolean = typeof __SM_PLUGINS__ == 'undefined' || __SM_PLUGINS__;
