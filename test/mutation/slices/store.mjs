// Slices of the persistence area (history, the schedule store, backups, settings, decisions,
// the data directory's small files). Unit tests only: every module here does its I/O on a
// temp dir, so a unit test reaches it in milliseconds where an API test starts a server.
export default [
  // history.ts is the biggest module of the area: alone, so a change to its tests reruns it
  // only. Its own tests, plus run-stats (counted from history's index) and the index tests.
  {
    name: 'store-history',
    mutate: ['src/core/history.ts'],
    tests: [
      'test/unit/history.test.ts',
      'test/unit/history-index.test.ts',
      'test/unit/history-pending.test.ts',
      'test/unit/store-history.test.ts',
    ],
  },
  // The parts history.ts is built from (files, index, pending writes, records): reached
  // through HistoryStore's tests and their own.
  {
    name: 'store-history-parts',
    mutate: [
      'src/core/history-files.ts',
      'src/core/history-index.ts',
      'src/core/history-pending.ts',
      'src/core/history-record.ts',
    ],
    tests: [
      'test/unit/history.test.ts',
      'test/unit/history-index.test.ts',
      'test/unit/history-pending.test.ts',
      'test/unit/store-history.test.ts',
      'test/unit/store-history-parts.test.ts',
    ],
  },
  // The schedule store (over 400 lines): alone, against the store's unit tests.
  {
    name: 'store-schedules',
    mutate: ['src/core/schedules.ts'],
    tests: [
      'test/unit/store.test.ts',
      'test/unit/store-journal.test.ts',
      'test/unit/store-trust.test.ts',
      'test/unit/store-schedules.test.ts',
    ],
  },
  // The files under the schedule store (file format, journal, trust, private writes, the
  // stored shape): the store's unit tests read and write all of them on a temp dir; token
  // and secrets tests write private files too.
  {
    name: 'store-files',
    mutate: [
      'src/core/store-file.ts',
      'src/core/store-journal.ts',
      'src/core/store-trust.ts',
      'src/core/private-fs.ts',
      'src/core/stored-schedule.ts',
    ],
    tests: [
      'test/unit/store.test.ts',
      'test/unit/store-journal.test.ts',
      'test/unit/store-trust.test.ts',
      'test/unit/store-schedules.test.ts',
      'test/unit/store-files.test.ts',
      'test/unit/store-journal-lines.test.ts',
      'test/unit/store-private-fs.test.ts',
      'test/unit/token.test.ts',
      'test/unit/secrets.test.ts',
    ],
  },
  // Small modules of the data directory, each with its own unit test.
  {
    name: 'store-small',
    mutate: [
      'src/core/lock.ts',
      'src/core/token.ts',
      'src/core/secrets.ts',
      'src/core/data-dir.ts',
      'src/core/socket-path.ts',
      'src/core/run-stats.ts',
      'src/core/run-records.ts',
      'src/core/persisted-map.ts',
      'src/core/storage-health.ts',
    ],
    tests: [
      'test/unit/store-storage-health.test.ts',
      'test/unit/lock.test.ts',
      'test/unit/token.test.ts',
      'test/unit/secrets.test.ts',
      'test/unit/run-stats.test.ts',
      'test/unit/run-policies.test.ts',
      'test/unit/store-small.test.ts',
    ],
  },
  // Backups and the settings service: direct unit tests on a temp dir (the API tests of
  // both start a server per test file, seconds per mutant).
  {
    name: 'store-backups',
    mutate: ['src/core/backups.ts', 'src/core/settings-service.ts'],
    tests: ['test/unit/store-backups.test.ts', 'test/unit/store-settings.test.ts'],
  },
  // The decision log: recorder, its file store and the queries, unit-tested on a temp dir.
  {
    name: 'store-decisions',
    mutate: [
      'src/core/decisions/query.ts',
      'src/core/decisions/recorder.ts',
      'src/core/decisions/store.ts',
    ],
    tests: [
      'test/unit/store-decisions-file.test.ts',
      'test/unit/store-decisions-verdicts.test.ts',
      'test/unit/store-decisions-missed-and-disabled.test.ts',
      'test/unit/store-decisions-queries.test.ts',
    ],
  },
];
