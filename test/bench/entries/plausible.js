// plausible-tracker: page views (it has no engaged-time or page-leave feature in this version).
import Plausible from 'plausible-tracker';

const { enableAutoPageviews } = Plausible({ domain: 'bench.test', apiHost: window.BENCH.base, trackLocalhost: true });
enableAutoPageviews();
window.bench = {};
