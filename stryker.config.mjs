// Mutation testing of the plain-Node core (`npm run test:mutation`): see README, Development.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Two cores on the machines this runs on; each test run already starts servers and children.
  concurrency: 1,
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
