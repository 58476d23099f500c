// @ts-nocheck
// 
// Mutation testing of the plain-Node core (`npm run test:mutation`): see README, Development.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant, a schema built at import) can only be tested by
  // re-running every test; these are left out of the score and listed as ignored.
  ignoreStatic: true,
  // Two cores on the machines this runs on; each test run already starts servers and children.
  concurrency: 1,
  incremental: true,
  // A cache of this checkout's results (ignored: it churns with every change and would
  // conflict in merges); a rerun tests only mutants whose code or tests changed.
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 20000,
  // The whole in-process suite runs once first, with coverage per test: minutes on two cores.
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
