// Loads the vendor named in ?vendor= the way a site would, then session-metrics, the adapters' base and the adapter file.
(function () {
  var params = new URLSearchParams(location.search);
  var vendor = params.get('vendor');
  // Every command the vendor got, kept in localStorage: it outlives a reload and a command given while
  // the page unloads, and every tab of the site appends to the same list.
  function log(command) {
    var list = JSON.parse(localStorage.getItem('vendor-log') || '[]');
    list.push(command);
    localStorage.setItem('vendor-log', JSON.stringify(list));
  }
  var inits = {
    posthog: function () {
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
    },
    ga4: function () {
      // gtag.js cannot load here: its snippet's queue, with every command copied to the test.
      window.dataLayer = [];
      window.gtag = function () { window.dataLayer.push(arguments); log(Array.from(arguments)); };
    },
    matomo: function () {
      window._paq = { push: function (command) { log(command); } };
    },
    segment: function () {
      // analytics.js with its project settings given (no fetch of cdn.segment.com settings), sending
      // to the routed endpoint; its lazy chunks come from the routed CDN path.
      window.analytics = window.AnalyticsNext.AnalyticsBrowser.load(
        { writeKey: 'wk_test', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'wk_test', apiHost: 'vendor.test/v1', protocol: 'https' } } } },
        { disableClientPersistence: false },
      );
    },
    amplitude: function () {
      window.amplitude.init('amp_test', undefined, {
        serverUrl: 'https://vendor.test/2/httpapi',
        autocapture: false,
        flushIntervalMillis: 300,
        logLevel: 0,
      });
    },
    mixpanel: function () {
      window.mixpanel.init('mp_test', {
        api_host: 'https://vendor.test',
        track_pageview: false,
        persistence: 'localStorage',
        batch_flush_interval_ms: 300,
        ignore_dnt: true,
      });
    },
    plausible: function () {
      // @plausible-analytics/tracker's init binds window.plausible = track; captureOnLocalhost also
      // lets it send under webdriver (it ignores automated browsers otherwise).
      window.plausibleTracker.init({ domain: 'adapters.test', endpoint: 'https://vendor.test/api/event', autoCapturePageviews: false, captureOnLocalhost: true, logging: false });
    },
    otlp: function () {},
  };
  function script(src, attributes, async) {
    var s = document.createElement('script');
    s.src = src;
    s.async = !!async;
    for (var k in attributes || {}) s.setAttribute(k, attributes[k]);
    document.head.appendChild(s);
  }
  var sdk = { posthog: '/vendor/posthog.js', segment: '/vendor/segment.js', amplitude: '/vendor/amplitude.js' }[vendor];
  function start() {
    inits[vendor]();
    var adapterAttributes = vendor == 'otlp' ? { 'data-endpoint': params.get('otlp'), 'data-metrics': params.get('metrics') || 'false' } : {};
    // The stub, and init with the transport that feeds the adapter files (docs/adapters.md, "Script tag"):
    // it calls window.sessionMetricsAdapters at send time, so the files may load in any order.
    window.sessionMetrics = window.sessionMetrics || function () { (sessionMetrics.q = sessionMetrics.q || []).push(arguments); };
    window.sessionMetrics('init', {
      endpoint: '/collect',
      siteId: 'adapters',
      bufferTimeBeforeEnd: 2,
      flushInterval: 5,
      debugMode: params.get('debug') == 'true',
      transport: { name: 'adapters', send: function (records, options) { return sessionMetricsAdapters(vendor, records, options); } },
    });
    // The adapter file runs after base.min.js (both async=false: inserted scripts run in insertion
    // order); session-metrics.min.js, async, before or after them.
    var main = function () { script('/dist/session-metrics.min.js', {}, true); };
    if (params.get('order') != 'adapter-first') main();
    script('/dist/adapters/base.min.js', {}, false);
    script('/dist/adapters/' + vendor + '.min.js', adapterAttributes, false);
    if (params.get('order') == 'adapter-first') main();
  }
  if (vendor == 'plausible' || vendor == 'mixpanel') {
    // ES modules (mixpanel-browser's global build needs its snippet): imported, then put where a
    // site's snippet would put them.
    import('/vendor/' + vendor + '.js').then(function (m) {
      if (vendor == 'mixpanel') window.mixpanel = m.default;
      else window.plausibleTracker = m;
      start();
    });
  } else if (sdk) {
    var s = document.createElement('script');
    s.src = sdk;
    s.onload = start;
    document.head.appendChild(s);
  } else start();
})();
