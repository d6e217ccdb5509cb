/**
 * `dist/session-metrics-vitals.min.js`: load it after `session-metrics.min.js`. It registers the vitals
 * plugin with `sessionMetrics('use', plugin)`, unhosted: the main file's seam hosts it; through the pre-load stub when the main file is not
 * there yet, so the call is queued and replayed in order like any other.
 */
import { vitalsDefinition } from './index';
import { use } from '../use';

use(vitalsDefinition());
