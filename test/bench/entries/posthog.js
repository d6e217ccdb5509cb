// posthog-js: page views and page leaves ($pageleave carries $prev_pageview_duration, its only time figure).
// Remote config, flags, surveys, autocapture and replay are off: they add work and network calls
// that have nothing to do with time on page. Its bot filter drops every event from headless
// Chromium (webdriver flag, HeadlessChrome brand), so the benchmark opts out of it, as posthog advises for tests.
import posthog from 'posthog-js';

posthog.init('phc_bench', {
  api_host: window.BENCH.base,
  capture_pageview: true,
  capture_pageleave: true,
  autocapture: false,
  disable_session_recording: true,
  disable_surveys: true,
  advanced_disable_flags: true,
  disable_compression: true,
  persistence: 'localStorage',
  disable_external_dependency_loading: true,
  opt_out_useragent_filter: true,
});
window.bench = {};
