// Mutation testing of the SDK's pure rules and its delivery layer: `npm run test:mutation` (minutes;
// not part of `npm test`). Each mutant is run against the SDK's unit tests (test/vitest.stryker.config.ts);
// a mutant that survives is a change to a rule that no test notices. The HTML report goes to
// reports/mutation/index.html. Equivalent survivors are named in docs/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'test/vitest.stryker.config.ts' },
  mutate: [
    'src/delivery/**/*.ts',
    // The pure rules of src/core; the others follow once the tracker refactor has settled them.
    'src/core/breaks.ts',
    'src/core/pages.ts',
    'src/core/sampling.ts',
    'src/core/thresholds.ts',
    'src/core/timeline.ts',
    'src/core/alerts.ts',
    'src/core/crossTab.ts',
    'src/core/schedule.ts',
    // Types only.
    '!src/delivery/types.ts',
  ],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Two cores, shared: one mutant at a time per core.
  concurrency: 2,
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
