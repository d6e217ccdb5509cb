import { defineConfig } from '@playwright/test';

/**
 * Real-browser tests run in Debian's Chromium (`/usr/bin/chromium`): Playwright's own browser
 * download cannot reach its host from these machines. `test/run.mjs` installs it where missing.
 */
export const chromiumLaunch = {
  executablePath: process.env.SM_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  // The repository root, so the collector's browser tests are found too: Playwright only discovers
  // files under testDir, and a `../` pattern in testMatch never matches.
  testDir: '..',
  testMatch: ['test/e2e/**/*.spec.ts', 'collector/test/e2e/**/*.spec.ts'],
  outputDir: '../test-results',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]] : 'list',
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
    trace: 'retain-on-failure',
  },
});
