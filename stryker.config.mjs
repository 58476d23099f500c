// Mutation testing of the plain-Node core (`npm run test:mutation`): see README, Development.
// `scripts/mutation.mjs` runs Stryker once per slice of test/mutation/slices/ (one module or
// a few, against the tests that are about them) and sets MUTATION_SLICE, so each slice keeps
// its own incremental cache and report; run bare, Stryker mutates everything against the
// whole in-process suite (hours: every API test covers the service).
const slice = process.env.MUTATION_SLICE;
const dir = slice ? `reports/mutation/slices/${slice}` : 'reports/mutation';

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
  // Two cores; the API tests mostly wait on servers and children, so two runners overlap well.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  incremental: true,
  // A cache of this checkout's results (ignored: it churns with every change and would
  // conflict in merges); a rerun tests only mutants whose code or tests changed.
  incrementalFile: `${dir}/stryker-incremental.json`,
  reporters: slice ? ['json', 'progress'] : ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${dir}/index.html` },
  jsonReporter: { fileName: `${dir}/mutation.json` },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 20000,
  // The in-process suite runs once first, with coverage per test.
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
