/**
 * `dist/session-metrics-attention.min.js`: load it after `session-metrics.min.js`. It registers the
 * attention plugin with `sessionMetrics('use', plugin)` (queued through the pre-load stub when the main
 * file is not there yet).
 */
import { attentionDefinition } from './index';
import { use } from '../use';

use(attentionDefinition());
