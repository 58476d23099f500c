// Slices of the engine area: the scheduler, the runner, the run policies, the launcher and
// the engine itself, and the small parts they are built from. Unit tests on FakeTime and
// temp dirs wherever a module can be reached that way; API tests (a real server per file,
// ~3-4 s per mutant) only for the modules the server alone puts together.
export default [
  // The scheduler alone on FakeTime (about 220 mutants, its own slice): its unit tests, plus
  // the two suites that drive a real Scheduler through the start plan and a random delay.
  {
    name: 'engine-scheduler',
    mutate: ['src/core/scheduler.ts'],
    tests: [
      'test/unit/scheduler.test.ts',
      'test/unit/scheduler-order.test.ts',
      'test/unit/scheduler-readme.test.ts',
      'test/unit/engine-scheduler.test.ts',
      'test/unit/start-plan.test.ts',
      'test/unit/run-policies.test.ts',
    ],
  },
  // Running one command, and ending the groups of runs that outlived the app: real shells
  // and process groups, with injected timers for the timeout and the grace. The output
  // capture and the group checks are only ever used by runs and orphans, and these tests
  // exercise them through real children.
  {
    name: 'engine-runner',
    mutate: [
      'src/core/runner.ts',
      'src/core/output.ts',
      'src/core/process-groups.ts',
      'src/core/orphans.ts',
    ],
    tests: [
      'test/unit/runner.test.ts',
      'test/unit/output.test.ts',
      'test/unit/start-gate.test.ts',
      'test/unit/engine-orphans.test.ts',
      'test/unit/engine-runner-mutants-run-end.test.ts',
      'test/unit/engine-runner-mutants-starts.test.ts',
      'test/unit/engine-runner-mutants-process-groups.test.ts',
      'test/unit/engine-runner-fs.test.ts',
    ],
  },
  // The small parts with unit tests of their own (FakeTime, real files in temp dirs): pauses
  // and the decision rules, the alarm and the event bus, the run environment, the heartbeat,
  // held fires, the plan cache and start plan, live output and its feed, the safety net, and
  // the power source and its watch (a fake power_supply tree), the retry queue.
  {
    name: 'engine-parts',
    mutate: [
      'src/core/pause.ts',
      'src/core/fire-decisions.ts',
      'src/core/timers.ts',
      'src/core/events.ts',
      'src/core/environment.ts',
      'src/core/heartbeat.ts',
      'src/core/held-fires.ts',
      'src/core/plan-cache.ts',
      'src/core/start-plan.ts',
      'src/core/plannable.ts',
      'src/core/live-output.ts',
      'src/core/live-feed.ts',
      'src/core/safety-net.ts',
      'src/core/power.ts',
      'src/core/retries.ts',
    ],
    tests: [
      'test/unit/engine-pause.test.ts',
      'test/unit/engine-fire-decisions.test.ts',
      'test/unit/engine-timers.test.ts',
      'test/unit/engine-environment.test.ts',
      'test/unit/engine-heartbeat.test.ts',
      'test/unit/engine-held-fires.test.ts',
      'test/unit/engine-plan-cache.test.ts',
      'test/unit/engine-plannable.test.ts',
      'test/unit/engine-live-feed.test.ts',
      'test/unit/engine-power.test.ts',
      'test/unit/engine-retries.test.ts',
      'test/unit/engine-live-output.test.ts',
      'test/unit/engine-safety-net.test.ts',
      'test/unit/engine-start-plan.test.ts',
      'test/unit/run-policies.test.ts',
      'test/unit/start-plan.test.ts',
      'test/unit/output-log.test.ts',
      'test/unit/safety-net.test.ts',
    ],
  },
  // The fire preview is put together by the server (the store, the pauses): the preview
  // routes' own API test is the only one about it.
  {
    name: 'engine-fire-preview',
    mutate: ['src/core/fire-preview.ts'],
    tests: ['test/api/fires.test.ts', 'test/unit/engine-fire-preview.test.ts'],
  },
  // The run policies (pauses, battery, overlap, retries) act only inside a running engine:
  // the API tests of each policy, the unit tests of the decision rules, and RunPolicies
  // itself on a real store, FakeTime and a recording engine.
  {
    name: 'engine-policies',
    mutate: ['src/core/run-policies.ts'],
    tests: [
      'test/unit/run-policies.test.ts',
      'test/api/pause.test.ts',
      'test/api/retries.test.ts',
      'test/api/battery.test.ts',
      'test/api/decisions.test.ts',
      'test/unit/engine-run-policies-decision-record.test.ts',
      'test/unit/engine-run-policies-global-pause.test.ts',
      'test/unit/engine-run-policies-own-pause-battery.test.ts',
      'test/unit/engine-run-policies-retries.test.ts',
    ],
  },
  // The engine and the launcher: the API tests about starting runs, their lifecycle, live
  // output, the environment and orphans, and the Engine itself on a real store, history
  // files, real children and FakeTime.
  {
    name: 'engine-engine',
    mutate: ['src/core/engine.ts', 'src/core/launcher.ts'],
    tests: [
      'test/api/engine-lifecycle.test.ts',
      'test/api/lifecycle.test.ts',
      'test/api/runs.test.ts',
      'test/api/live-output.test.ts',
      'test/api/environment.test.ts',
      'test/api/orphans.test.ts',
      'test/api/stuck-runs.test.ts',
      'test/unit/engine-engine-history.test.ts',
      'test/unit/engine-engine-start.test.ts',
      'test/unit/engine-engine-stop.test.ts',
      'test/unit/engine-engine-firing.test.ts',
      'test/unit/engine-engine-commands.test.ts',
    ],
  },
];
