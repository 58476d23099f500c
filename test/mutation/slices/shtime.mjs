// Time and cron (area shtime): pure modules of src/shared, measured against unit tests only —
// every one of them is reachable without a server, so no slice here pays for an API test.
export default [
  // The validator: its own unit tests, and the field/step rules pinned by input-rules.
  {
    name: 'shtime-cron',
    mutate: ['src/shared/cron.ts'],
    tests: [
      'test/unit/cron.test.ts',
      'test/unit/input-rules.test.ts',
      'test/unit/shtime-cron.test.ts',
    ],
  },
  // DST rules on fire instants: the zone tests of fires.test.ts and their edge cases.
  {
    name: 'shtime-fires',
    mutate: ['src/shared/fires.ts'],
    tests: ['test/unit/fires.test.ts', 'test/unit/cron.test.ts', 'test/unit/shtime-fires.test.ts'],
  },
  // Offset tables: the zone tests through fires, and direct ones on the transitions.
  {
    name: 'shtime-dst',
    mutate: ['src/shared/dst.ts'],
    tests: ['test/unit/fires.test.ts', 'test/unit/shtime-dst.test.ts'],
  },
  // Local times an expression names: the fire tests (in UTC they are the wall times).
  {
    name: 'shtime-wall',
    mutate: ['src/shared/wall-times.ts'],
    tests: ['test/unit/cron.test.ts', 'test/unit/fires.test.ts', 'test/unit/shtime-wall.test.ts'],
  },
  // Small pure helpers with their own unit tests: timestamps, the random delay's offset, and
  // the editor's explanation of an expression.
  {
    name: 'shtime-small',
    mutate: ['src/shared/time.ts', 'src/shared/random-delay.ts', 'src/shared/cron-explain.ts'],
    tests: [
      'test/unit/time.test.ts',
      'test/unit/shtime-time.test.ts',
      'test/unit/shtime-explain.test.ts',
    ],
  },
  // The decision log's and fire preview's shared words (sentences, DST notes); decisions.ts,
  // decisions-api.ts and fires-api.ts are otherwise constants and schemas (static mutants).
  {
    name: 'shtime-decisions',
    mutate: [
      'src/shared/decision-sentence.ts',
      'src/shared/decisions.ts',
      'src/shared/decisions-api.ts',
      'src/shared/fires-api.ts',
    ],
    tests: ['test/unit/shtime-sentence.test.ts'],
  },
];
