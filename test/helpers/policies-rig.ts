// RunPolicies on its real collaborators: a schedule store in a temp dir, the decision
// recorder, held fires and pending retries on disk, and the clock and timers of FakeTime. The
// engine is a recording fake (which runs it starts or skips, which chains end for good) and
// the power source a switch the test flips. Every test reads what a user would see: the
// decision records, the runs started or skipped, the settings, the log, the pending retry.
// (Shared by the test/unit/engine-run-policies-*.test.ts files; test/helpers/policies.ts is
// the rig of the API-level run policy tests.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FireDecision } from '../../src/core/fire-decisions';
import type { Logger } from '../../src/core/log';
import type { PowerSource } from '../../src/core/power';
import type { Attempt } from '../../src/core/run-records';
import { RunPolicies, type PolicyEngine } from '../../src/core/run-policies';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { Run, RunTrigger } from '../../src/shared/types';
import { FakeTime } from './fake-time';
import { finishedRun } from './runs';
import { storedSchedule } from './stored-schedule';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.parse('2026-06-01T10:00:00Z');

export interface Started {
  id: string;
  trigger: RunTrigger;
  scheduledFor: number | null;
  chain: Attempt | null;
}
export interface Skipped extends Started {
  message: string;
}

/** What a test reads and flips; every field is set afresh before each test. */
export interface PoliciesState {
  dir: string;
  time: FakeTime;
  /** Reassigned by the tests that reopen the store after editing its file by hand. */
  repo: ScheduleRepository;
  lines: string[];
  decisions: FireDecision[];
  started: Started[];
  skipped: Skipped[];
  finals: string[];
  running: Map<string, string>;
  battery: boolean;
  powerReads: number;
}

type Hook = (fn: () => Promise<void> | void) => void;

export function policiesRig(beforeEach: Hook, afterEach: Hook) {
  let open: RunPolicies[] = [];

  const log: Logger = {
    info: (m) => void rig.lines.push(`info ${m}`),
    warn: (m) => void rig.lines.push(`warn ${m}`),
    error: (m) => void rig.lines.push(`error ${m}`),
  };
  const power: PowerSource = {
    onBattery: () => {
      rig.powerReads++;
      return rig.battery;
    },
  };
  const engine: PolicyEngine = {
    start(s, trigger, scheduledFor, chain) {
      rig.started.push({ id: s.id, trigger, scheduledFor, chain });
      const n = rig.started.length;
      return { id: `run_${n}`, command_id: `cmd_run_${n}` } as Run;
    },
    skip(s, trigger, scheduledFor, message, chain) {
      rig.skipped.push({ id: s.id, trigger, scheduledFor, chain, message });
    },
    runningCommand: (id) => rig.running.get(id) ?? null,
    finalFailure: (commandId) => void rig.finals.push(commandId),
  };

  /** A RunPolicies on the shared data dir, started (as the engine does at launch). */
  function policies(): RunPolicies {
    const p = new RunPolicies({
      dataDir: rig.dir,
      repo: rig.repo,
      clock: rig.time.clock,
      timers: rig.time,
      log,
      power,
      onDecision: (d) => void rig.decisions.push(d),
      engine,
    });
    p.start();
    open.push(p);
    return p;
  }

  /** Stops a RunPolicies as the app does when it quits. */
  function quit(p: RunPolicies) {
    p.stop();
    open = open.filter((o) => o !== p);
  }

  function put(id: string, extra: Partial<StoredSchedule> = {}): StoredSchedule {
    const s = storedSchedule(id, extra);
    rig.repo.put(s);
    return rig.repo.get(id) as StoredSchedule;
  }

  function pauseAll(until: number | null) {
    rig.repo.updateSettings({
      ...rig.repo.settings(),
      paused: true,
      paused_until: until === null ? null : new Date(until).toISOString(),
    });
  }

  function resumeAll(p: RunPolicies) {
    rig.repo.updateSettings({ ...rig.repo.settings(), paused: false, paused_until: null });
    p.settingsChanged();
  }

  function failed(s: StoredSchedule, over: Partial<Run> = {}): Run {
    return finishedRun({
      id: 'run_x',
      started_at: '2026-06-01T10:00:00Z',
      finished_at: '2026-06-01T10:00:01Z',
      duration: 1000,
      schedule_id: s.id,
      scheduled_for: '2026-06-01T10:00:00Z',
      shell: '/bin/sh -c',
      ...over,
    });
  }

  const rig = Object.assign({} as PoliciesState, {
    log,
    policies,
    quit,
    put,
    pauseAll,
    resumeAll,
    failed,
  });

  beforeEach(() => {
    rig.dir = mkdtempSync(join(tmpdir(), 'cmdop-run-policies-'));
    rig.time = new FakeTime('2026-06-01T10:00:00Z');
    rig.lines = [];
    rig.decisions = [];
    rig.started = [];
    rig.skipped = [];
    rig.finals = [];
    rig.running = new Map();
    rig.battery = false;
    rig.powerReads = 0;
    open = [];
    rig.repo = ScheduleRepository.open(confStoreFactory, rig.dir, rig.time.clock, log);
  });

  afterEach(() => {
    for (const p of open) p.stop();
    rig.repo.close();
    rmSync(rig.dir, { recursive: true, force: true });
  });

  return rig;
}
