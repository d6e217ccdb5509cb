// session-metrics: the smallest useful npm import, a tracker that sends to one endpoint.
import { createTracker } from '../../../dist/index.js';

const { base, idleSeconds } = window.BENCH;
const tracker = createTracker({ endpoint: `${base}/collect`, siteId: 'bench', bufferTimeBeforeEnd: idleSeconds });
window.bench = { engagedMs: () => tracker.snapshot()?.engagedMs ?? 0 };
