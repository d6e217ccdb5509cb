import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Three projects: the SDK's pure core and browser layer (happy-dom, fake clock), the React component
// (happy-dom), and the collector (Node, against the real SQLite and PostgreSQL it supports).
export default defineConfig({
  // Paths are relative to the repository root, where `npm test` runs.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      {
        test: {
          name: 'sdk',
          environment: 'happy-dom',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        // The dashboard imports the SDK's React entry by its package name, from source as its Vite build does.
        resolve: { alias: { 'session-metrics/react': fileURLToPath(new URL('../src/react/index.ts', import.meta.url)) } },
        test: {
          name: 'react',
          environment: 'happy-dom',
          include: ['test/react/**/*.test.tsx'],
        },
      },
      {
        test: {
          name: 'collector',
          environment: 'node',
          include: ['collector/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The PostgreSQL contract suite shares one database; files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
