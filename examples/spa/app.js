// A framework-free single-page app measured with the npm build (ESM). Routes change with
// history.pushState; session-metrics notices them by itself and keeps dwell time per page.
import { createTracker } from '../../dist/index.js';

const BASE = '/examples/spa';

export const tracker = createTracker({
  endpoint: '/collect',
  siteId: 'demo-spa',
  // One page per route, not per lesson: /lesson/101 and /lesson/102 are both /lesson/:id.
  pageName: (url) => url.pathname.slice(BASE.length).replace(/^\/lesson\/\d+$/, '/lesson/:id') || '/',
  thresholds: { casual: 30, engaged: { seconds: 300, below: true } },
});
window.tracker = tracker;

const views = {
  '/': () => '<h1>Home</h1><p>Pick a lesson.</p>',
  '/lesson/:id': (path) => `<h1>Lesson ${path.split('/').pop()}</h1><p>Read, scroll, watch.</p>`,
  '/quiz': () => '<h1>Quiz</h1><p><input placeholder="Your answer"></p>',
};

function render() {
  const path = location.pathname.slice(BASE.length) || '/';
  const route = /^\/lesson\/\d+$/.test(path) ? '/lesson/:id' : path.replace(/\/$/, '') || '/';
  document.getElementById('view').innerHTML = (views[route] ?? (() => '<h1>Not found</h1>'))(path);
}

document.addEventListener('click', (e) => {
  const link = e.target.closest('a[data-route]');
  if (!link) return;
  e.preventDefault();
  history.pushState({}, '', link.getAttribute('href'));
  render();
});
window.addEventListener('popstate', render);
tracker.on('pagechange', () => {
  document.getElementById('pages').textContent = JSON.stringify(tracker.snapshot()?.pages ?? [], null, 2);
});
render();
