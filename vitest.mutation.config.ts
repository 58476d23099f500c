// The suite Stryker runs against each mutant of src/core and src/shared (`npm run test:mutation`):
// the in-process unit and API tests. Left out: the browser end-to-end files and the D-Bus
// test, which drive the built app in other processes (a mutant of src/ is not in their code);
// the component tests of src/renderer (happy-dom: one of them measures scrolling, which
// Stryker's instrumented run breaks); and globalSetup, which rebuilds out/ (the sandbox
// keeps the build `npm run test:mutation` made first).
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    // MUTATION_TESTS narrows the run to some files while working on one module's survivors.
    include: process.env.MUTATION_TESTS?.split(',') ?? [
      'test/unit/**/*.test.ts',
      'test/api/**/*.test.ts',
    ],
    maxWorkers: 1,
  },
});
