import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// What `npm run test:mutation` (stryker.config.mjs) runs against each mutant: the unit tests of the
// mutated folders, from the `sdk` project of test/vitest.config.ts (happy-dom, fake clock). A mutant
// counts as killed only by the tests of its own module, not by the tracker's tests that happen to
// run through it; the React and collector projects test nothing Stryker mutates.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    environment: 'happy-dom',
    include: ['test/unit/core/**/*.test.ts', 'test/unit/delivery/**/*.test.ts'],
  },
});
