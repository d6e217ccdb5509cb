// The two vendors of the wiring pages (wired-data.html, wired-init.html): posthog-js, loaded just
// before (routed by the test from node_modules), and gtag's snippet queue with every command copied to
// localStorage ('vendor-log', shared by the tabs, kept across the reload), as vendors.js does.
window.posthog.init('phc_test', {
  api_host: 'https://vendor.test',
  autocapture: false,
  capture_pageview: false,
  capture_pageleave: false,
  disable_session_recording: true,
  disable_surveys: true,
  advanced_disable_flags: true,
  advanced_disable_decide: true,
  persistence: 'localStorage',
  opt_out_useragent_filter: true,
});
window.dataLayer = [];
window.gtag = function () {
  window.dataLayer.push(arguments);
  var list = JSON.parse(localStorage.getItem('vendor-log') || '[]');
  list.push(Array.from(arguments));
  localStorage.setItem('vendor-log', JSON.stringify(list));
};
