// Area shfmt: the pure formatters and parsers of src/shared (crontab and systemd import and
// export, the JSON export, alert texts and URLs, cmdop shapes, output logs, run stats). All
// are pure functions, so only unit tests are in these slices; test/unit/alert-export.test.ts
// is left out because it starts a real server (slow per mutant) for what the unit tests of
// the formatters already pin.
export default [
  // crontab parsing and printing and the import plan: the crontab tests read and write
  // crontabs; policy-export round-trips the run-policy lines through a crontab. systemd.test
  // is left out: it reads a crontab only to feed systemd-analyze (slow per mutant).
  {
    name: 'shfmt-crontab',
    mutate: [
      'src/shared/crontab-import.ts',
      'src/shared/crontab-export.ts',
      'src/shared/import-plan.ts',
    ],
    tests: [
      'test/unit/crontab.test.ts',
      'test/unit/policy-export.test.ts',
      'test/unit/shfmt-crontab.test.ts',
      'test/unit/shfmt-crontab-lines.test.ts',
    ],
  },
  // systemd units and the JSON export file: systemd.test checks the units with
  // systemd-analyze, shfmt-systemd pins their text without it; policy-export and
  // shfmt-export-format read and write the JSON export.
  {
    name: 'shfmt-export',
    mutate: ['src/shared/systemd.ts', 'src/shared/export-format.ts'],
    tests: [
      'test/unit/systemd.test.ts',
      'test/unit/policy-export.test.ts',
      'test/unit/shfmt-systemd.test.ts',
      'test/unit/shfmt-export-format.test.ts',
      'test/unit/shfmt-export-file.test.ts',
    ],
  },
  // alert texts, webhook bodies and alert URLs: the alert-format tests and the shfmt ones
  // build every payload and URL; notifications.test.ts shows the desktop notices that use
  // the same notice texts.
  {
    name: 'shfmt-alerts',
    mutate: [
      'src/shared/webhook-payload.ts',
      'src/shared/alert-url.ts',
      'src/shared/notice-text.ts',
    ],
    tests: [
      'test/unit/alert-formats.test.ts',
      'test/unit/notifications.test.ts',
      'test/unit/shfmt-webhook-payload.test.ts',
      'test/unit/shfmt-alert-url.test.ts',
      'test/unit/shfmt-notice-text.test.ts',
    ],
  },
  // the cmdop run shapes, the output log text and the run statistics: each has its own
  // small unit test files (the older ones and the shfmt ones).
  {
    name: 'shfmt-runs',
    mutate: ['src/shared/cmdop-command.ts', 'src/shared/output-log.ts', 'src/shared/run-stats.ts'],
    tests: [
      'test/unit/cmdop-shapes.test.ts',
      'test/unit/output-log.test.ts',
      'test/unit/run-stats.test.ts',
      'test/unit/shfmt-cmdop-command.test.ts',
      'test/unit/shfmt-output-log.test.ts',
      'test/unit/shfmt-run-stats.test.ts',
    ],
  },
];
