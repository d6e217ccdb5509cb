import { test as base } from '@playwright/test';
import { startTestServer, type TestServer } from './server';

/** `server`: a fresh static server and receiver for each test. */
export const test = base.extend<{ server: TestServer }>({
  server: async ({}, use) => {
    const server = await startTestServer();
    await use(server);
    await server.close();
  },
});

export { expect } from '@playwright/test';
