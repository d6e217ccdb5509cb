/**
 * `dist/session-metrics-vitals.min.js`: load it after `session-metrics.min.js`. It registers the vitals
 * plugin with `sessionMetrics('use', plugin)`; through the pre-load stub when the main file is not
 * there yet, so the call is queued and replayed in order like any other.
 */
import { vitalsPlugin } from './index';
import { use } from '../use';

use(vitalsPlugin());
