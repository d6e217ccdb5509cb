// TimeMe.js: time on page with its idle detection, the way its README starts it.
import TimeMe from 'timeme.js';

TimeMe.initialize({ currentPageName: 'bench', idleTimeoutInSeconds: window.BENCH.idleSeconds });
window.bench = { engagedMs: () => TimeMe.getTimeOnCurrentPageInMilliseconds() };
