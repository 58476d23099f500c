// RunPolicies on its real collaborators: a schedule store in a temp dir, the decision
// recorder, held fires and pending retries on disk, and the clock and timers of FakeTime. The
// engine is a recording fake (which runs it starts or skips, which chains end for good) and
// the power source a switch the test flips. Every test reads what a user would see: the
// decision records, the runs started or skipped, the settings, the log, the pending retry.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FireDecision } from '../../src/core/fire-decisions';
import type { Logger } from '../../src/core/log';
import { POWER_POLL_MS, type PowerSource } from '../../src/core/power';
import type { Attempt } from '../../src/core/run-records';
import { RunPolicies, type PolicyEngine } from '../../src/core/run-policies';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { Run, RunTrigger } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { finishedRun } from '../helpers/runs';
import { storedSchedule } from '../helpers/stored-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-06-01T10:00:00Z');

interface Started {
  id: string;
  trigger: RunTrigger;
  scheduledFor: number | null;
  chain: Attempt | null;
}
interface Skipped extends Started {
  message: string;
}

let dir: string;
let time: FakeTime;
let repo: ScheduleRepository;
let lines: string[];
let decisions: FireDecision[];
let started: Started[];
let skipped: Skipped[];
let finals: string[];
let running: Map<string, string>;
let battery: boolean;
let powerReads: number;
let open: RunPolicies[];

const log: Logger = {
  info: (m) => void lines.push(`info ${m}`),
  warn: (m) => void lines.push(`warn ${m}`),
  error: (m) => void lines.push(`error ${m}`),
};
const power: PowerSource = {
  onBattery: () => {
    powerReads++;
    return battery;
  },
};
const engine: PolicyEngine = {
  start(s, trigger, scheduledFor, chain) {
    started.push({ id: s.id, trigger, scheduledFor, chain });
    const n = started.length;
    return { id: `run_${n}`, command_id: `cmd_run_${n}` } as Run;
  },
  skip(s, trigger, scheduledFor, message, chain) {
    skipped.push({ id: s.id, trigger, scheduledFor, chain, message });
  },
  runningCommand: (id) => running.get(id) ?? null,
  finalFailure: (commandId) => void finals.push(commandId),
};

/** A RunPolicies on the shared data dir, started (as the engine does at launch). */
function policies(): RunPolicies {
  const p = new RunPolicies({
    dataDir: dir,
    repo,
    clock: time.clock,
    timers: time,
    log,
    power,
    onDecision: (d) => void decisions.push(d),
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
  repo.put(s);
  return repo.get(id) as StoredSchedule;
}

function pauseAll(until: number | null) {
  repo.updateSettings({
    ...repo.settings(),
    paused: true,
    paused_until: until === null ? null : new Date(until).toISOString(),
  });
}

function resumeAll(p: RunPolicies) {
  repo.updateSettings({ ...repo.settings(), paused: false, paused_until: null });
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

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-run-policies-'));
  time = new FakeTime('2026-06-01T10:00:00Z');
  lines = [];
  decisions = [];
  started = [];
  skipped = [];
  finals = [];
  running = new Map();
  battery = false;
  powerReads = 0;
  open = [];
  repo = ScheduleRepository.open(confStoreFactory, dir, time.clock, log);
});

afterEach(() => {
  for (const p of open) p.stop();
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the decision record of a planned fire', () => {
  it('a run names the run and its command, with reason null and message "runs"', () => {
    const s = put('sched_a', { retries: 2 });
    const p = policies();
    time.advanceBy(5_000);
    p.fire(s, 'schedule', T0);
    expect(started).toEqual([
      { id: 'sched_a', trigger: 'schedule', scheduledFor: T0, chain: null },
    ]);
    expect(decisions).toStrictEqual([
      {
        run_id: 'run_1',
        command_id: 'cmd_run_1',
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 1,
        attempts: 3,
        at: '2026-06-01T10:00:05Z',
        outcome: 'run',
        reason: null,
        message: 'runs',
      },
    ]);
  });

  it('an overlap skip names the command still running; the skipped run carries the message', () => {
    const s = put('sched_a');
    running.set('sched_a', 'cmd_prev');
    policies().fire(s, 'schedule', T0);
    const message = "the previous run (command cmd_prev) is still running and overlap is 'skip'";
    expect(decisions).toStrictEqual([
      {
        running_command_id: 'cmd_prev',
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 1,
        attempts: 1,
        at: '2026-06-01T10:00:00Z',
        outcome: 'skipped',
        reason: 'overlap',
        message,
      },
    ]);
    expect(skipped).toEqual([
      { id: 'sched_a', trigger: 'schedule', scheduledFor: T0, chain: null, message },
    ]);
    expect(started).toEqual([]);
  });

  it('a battery skip names no running command, even while a run of the schedule runs', () => {
    const s = put('sched_a', { run_on_battery: false });
    running.set('sched_a', 'cmd_prev');
    battery = true;
    policies().fire(s, 'schedule', T0);
    expect(decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 1,
        attempts: 1,
        at: '2026-06-01T10:00:00Z',
        outcome: 'skipped',
        reason: 'on_battery',
        message: 'the machine is on battery power and run_on_battery is false',
      },
    ]);
  });
});

describe('fires held by the global pause', () => {
  it('a catch_up schedule runs once, its latest held fire, when the pause is lifted', () => {
    const s = put('sched_a', { catch_up: true, cron: '0 * * * *' });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    time.advanceBy(HOUR);
    p.fire(s, 'schedule', T0 + HOUR);
    expect(started).toEqual([]);
    expect(decisions.map((d) => [d.outcome, d.reason, d.message])).toEqual([
      ['not_run', 'paused', 'schedules are paused until resumed'],
      ['not_run', 'paused', 'schedules are paused until resumed'],
    ]);
    resumeAll(p);
    expect(started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0 + HOUR, chain: null },
    ]);
    expect(decisions[2]).toMatchObject({ trigger: 'catch_up', outcome: 'run' });
    // Released once: lifting it again runs nothing more.
    p.settingsChanged();
    expect(started).toHaveLength(1);
  });

  it('a fire of a schedule without catch_up is dropped', () => {
    const s = put('sched_a', { catch_up: false });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    resumeAll(p);
    expect(started).toEqual([]);
    expect(decisions).toHaveLength(1);
  });

  it('changes while still paused release nothing', () => {
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T12:00:00Z' });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    // The pause is made a timed one, and the schedule is renamed: still paused.
    pauseAll(T0 + HOUR);
    p.settingsChanged();
    p.scheduleChanged(put('sched_a', { catch_up: true, name: 'renamed' }));
    // Its own pause lifted by hand does not end the global one.
    p.scheduleChanged(put('sched_a', { catch_up: true, paused_until: null }));
    expect(started).toEqual([]);
    expect(decisions).toHaveLength(1);
    resumeAll(p);
    expect(started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it('a fire missed while catch_up was off is not caught up once it is turned on', () => {
    const s = put('sched_a', { catch_up: false });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    p.scheduleChanged(put('sched_a', { catch_up: true }));
    resumeAll(p);
    expect(started).toEqual([]);
  });

  it('an overlap skip is not held for later, even with catch_up', () => {
    const s = put('sched_a', { catch_up: true });
    running.set('sched_a', 'cmd_prev');
    const p = policies();
    p.fire(s, 'schedule', T0);
    running.clear();
    p.settingsChanged();
    p.scheduleChanged(s);
    expect(started).toEqual([]);
    expect(decisions.map((d) => d.reason)).toEqual(['overlap']);
    // Nothing was kept for it either: a restart reads held.json without complaint.
    quit(p);
    policies();
    expect(lines.filter((l) => !l.startsWith('info'))).toEqual([]);
  });

  it('a paused fire does not set the power watch looking at the power', () => {
    const s = put('sched_a', { catch_up: true });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    time.advanceBy(10 * POWER_POLL_MS);
    expect(powerReads).toBe(0);
  });

  it('disabling a schedule, or turning catch_up off, drops its held fire for good', () => {
    const a = put('sched_a', { catch_up: true });
    const b = put('sched_b', { catch_up: true });
    const c = put('sched_c', { catch_up: true });
    pauseAll(null);
    const p = policies();
    for (const s of [a, b, c]) p.fire(s, 'schedule', T0);
    p.scheduleChanged(put('sched_a', { catch_up: true, enabled: false }));
    p.scheduleChanged(put('sched_a', { catch_up: true, enabled: true }));
    p.scheduleChanged(put('sched_b', { catch_up: false }));
    p.scheduleChanged(put('sched_b', { catch_up: true }));
    resumeAll(p);
    expect(started.map((r) => r.id)).toEqual(['sched_c']);
  });

  it('a held fire whose schedule was disabled, lost catch_up or was removed while the app was off does not run', () => {
    for (const id of ['sched_a', 'sched_b', 'sched_c', 'sched_d']) put(id, { catch_up: true });
    pauseAll(null);
    const first = policies();
    for (const s of repo.all()) first.fire(s, 'schedule', T0);
    quit(first);
    put('sched_a', { catch_up: true, enabled: false });
    put('sched_b', { catch_up: false });
    repo.delete('sched_c');
    const p = policies();
    resumeAll(p);
    expect(started).toEqual([
      { id: 'sched_d', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('a held fire of a schedule broken by hand while the app was off', () => {
  it('does not run when the pause is lifted', () => {
    put('sched_x', { catch_up: true });
    put('sched_ok', { catch_up: true });
    pauseAll(null);
    const first = policies();
    for (const s of repo.all()) first.fire(s, 'schedule', T0);
    quit(first);
    repo.close();
    const path = join(dir, 'config.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.schedules.sched_x.cron = 'bad';
    writeFileSync(path, JSON.stringify(file));
    repo = ScheduleRepository.open(confStoreFactory, dir, time.clock, log);
    expect(repo.error('sched_x')).toMatch(/cron/);
    const p = policies();
    resumeAll(p);
    expect(started).toEqual([
      { id: 'sched_ok', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });
});

describe('the global pause as the API reads it', () => {
  it('not paused, paused until resumed, and paused until an instant', () => {
    const p = policies();
    expect(p.globalPause()).toStrictEqual({ paused: false, paused_until: null });
    pauseAll(null);
    expect(p.globalPause()).toStrictEqual({ paused: true, paused_until: null });
    pauseAll(T0 + HOUR);
    expect(p.globalPause()).toStrictEqual({ paused: true, paused_until: '2026-06-01T11:00:00Z' });
  });
});

describe('the end of a timed global pause', () => {
  it('writes paused:false (other settings kept), logs it, tells listeners and runs held fires', () => {
    const s = put('sched_a', { catch_up: true });
    repo.updateSettings({
      ...repo.settings(),
      notifications: { muted: true },
      history: { max_runs: 50, max_age_days: 7 },
    });
    pauseAll(T0 + HOUR);
    const before = repo.settings();
    const p = policies();
    const heard: string[] = [];
    p.onSettingsChanged(() => heard.push('kept'));
    const unsubscribe = p.onSettingsChanged(() => heard.push('unsubscribed'));
    unsubscribe();
    p.fire(s, 'schedule', T0);
    time.advanceTo(T0 + HOUR - 1);
    expect(started).toEqual([]);
    expect(heard).toEqual([]);
    time.advanceTo(T0 + HOUR);
    expect(repo.settings()).toEqual({ ...before, paused: false, paused_until: null });
    expect(lines).toContain('info the timed pause of all schedules ended');
    expect(heard).toEqual(['kept']);
    expect(started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
    expect(p.globalPause()).toStrictEqual({ paused: false, paused_until: null });
  });

  it('when the settings cannot be saved, says so and still ends the pause', () => {
    const s = put('sched_a', { catch_up: true });
    pauseAll(T0 + HOUR);
    const p = policies();
    let heard = 0;
    p.onSettingsChanged(() => heard++);
    p.fire(s, 'schedule', T0);
    repo.updateSettings = () => {
      throw new Error('disk full');
    };
    time.advanceTo(T0 + HOUR);
    expect(lines).toContain('warn the pause ended but the settings could not be saved: disk full');
    expect(lines).toContain('info the timed pause of all schedules ended');
    expect(heard).toBe(1);
    expect(p.globalPause().paused).toBe(false);
    expect(started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it("the end of a schedule's own pause does not end the global pause", () => {
    pauseAll(null);
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T11:00:00Z' });
    const p = policies();
    let heard = 0;
    p.onSettingsChanged(() => heard++);
    p.fire(s, 'schedule', T0);
    time.advanceTo(T0 + HOUR);
    expect(repo.settings()).toMatchObject({ paused: true, paused_until: null });
    expect(lines).not.toContain('info the timed pause of all schedules ended');
    expect(heard).toBe(0);
    expect(started).toEqual([]);
  });
});

describe("a schedule's own pause", () => {
  it('its end runs the held fire once, as a catch-up', () => {
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T11:00:00Z' });
    const p = policies();
    p.fire(s, 'schedule', T0);
    expect(decisions[0]).toMatchObject({ outcome: 'not_run', reason: 'schedule_paused' });
    time.advanceTo(T0 + HOUR);
    expect(started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });

  it('lifted by hand, the held fire runs at once', () => {
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T11:00:00Z' });
    const p = policies();
    p.fire(s, 'schedule', T0);
    time.advanceBy(MIN);
    p.scheduleChanged(put('sched_a', { catch_up: true, paused_until: null }));
    expect(started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });
});

describe('fires held for battery power', () => {
  function heldOnBattery(p: RunPolicies, id = 'sched_bat') {
    const s = put(id, { catch_up: true, run_on_battery: false });
    battery = true;
    p.fire(s, 'schedule', T0);
    expect(skipped.map((r) => r.id)).toContain(id);
    return s;
  }

  it('run once AC is back, at the next look at the power', () => {
    const p = policies();
    heldOnBattery(p);
    time.advanceBy(POWER_POLL_MS);
    expect(started).toEqual([]);
    battery = false;
    time.advanceBy(POWER_POLL_MS - 1);
    expect(started).toEqual([]);
    time.advanceBy(1);
    expect(started).toEqual([
      { id: 'sched_bat', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });

  it('run at once after a wake from sleep finds AC', () => {
    const p = policies();
    heldOnBattery(p);
    battery = false;
    p.wake();
    expect(started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it('are still waited for after a restart', () => {
    const first = policies();
    heldOnBattery(first);
    quit(first);
    policies();
    battery = false;
    time.advanceBy(POWER_POLL_MS);
    expect(started.map((r) => [r.id, r.trigger])).toEqual([['sched_bat', 'catch_up']]);
  });

  it('an edit of the schedule while on battery neither runs nor forgets it', () => {
    const p = policies();
    heldOnBattery(p);
    p.scheduleChanged(put('sched_bat', { catch_up: true, run_on_battery: false, name: 'new' }));
    expect(skipped).toHaveLength(1);
    expect(decisions).toHaveLength(1);
    battery = false;
    time.advanceBy(POWER_POLL_MS);
    expect(started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it("the end of another schedule's pause does not forget it", () => {
    const p = policies();
    heldOnBattery(p);
    // Another schedule's own pause ends and its held fire runs meanwhile.
    const own = put('sched_own', { catch_up: true, paused_until: '2026-06-01T10:10:00Z' });
    p.scheduleChanged(own);
    p.fire(own, 'schedule', T0);
    time.advanceTo(T0 + 10 * MIN);
    expect(started.map((r) => r.id)).toEqual(['sched_own']);
    battery = false;
    time.advanceBy(POWER_POLL_MS);
    expect(started.map((r) => r.id)).toEqual(['sched_own', 'sched_bat']);
  });

  it('deleting another schedule does not forget it', () => {
    const p = policies();
    heldOnBattery(p);
    const other = put('sched_other');
    p.scheduleChanged(other);
    repo.delete('sched_other');
    p.scheduleDeleted('sched_other');
    battery = false;
    time.advanceBy(POWER_POLL_MS);
    expect(started.map((r) => r.id)).toEqual(['sched_bat']);
  });

  it('deleting the held schedule stops the looks at the power', () => {
    const p = policies();
    heldOnBattery(p);
    time.advanceBy(POWER_POLL_MS);
    const reads = powerReads;
    expect(reads).toBeGreaterThan(0);
    p.scheduleDeleted('sched_bat');
    time.advanceBy(10 * POWER_POLL_MS);
    expect(powerReads).toBe(reads);
  });
});

describe('retries', () => {
  it('a failure queues the retry after the delay; another chain starting supersedes it', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN });
    const p = policies();
    time.advanceBy(1_000);
    expect(p.ended(failed(s), s)).toBe(T0 + 1_000 + MIN);
    expect(p.pendingRetry('sched_a')).toMatchObject({ after: 'cmd_1', attempt: 2 });
    // The same chain starting leaves it; another schedule starting is no concern of it.
    p.starting('sched_a', { attempt: 2, retry_of: 'cmd_1' });
    p.starting('sched_other', null);
    expect(p.pendingRetry('sched_a')).toBeDefined();
    expect(decisions).toEqual([]);
    time.advanceBy(1_000);
    p.starting('sched_a', null);
    expect(p.pendingRetry('sched_a')).toBeUndefined();
    expect(decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 3,
        at: '2026-06-01T10:00:02Z',
        outcome: 'not_run',
        reason: 'retry_superseded',
        message: 'a newer run of the schedule started',
      },
    ]);
    expect(finals).toEqual(['cmd_1']);
    time.advanceBy(HOUR);
    expect(started).toEqual([]);
  });

  it("a failure of another chain replaces the pending retry and ends the old chain's last failure", () => {
    const s = put('sched_a', { retries: 2 });
    const p = policies();
    p.ended(failed(s), s);
    // A retry of the same chain replacing it ends nothing.
    p.ended(failed(s, { command_id: 'cmd_2', attempt: 2, retry_of: 'cmd_1' }), s);
    expect(finals).toEqual([]);
    expect(p.pendingRetry('sched_a')).toMatchObject({ after: 'cmd_2', retry_of: 'cmd_1' });
    p.ended(failed(s, { command_id: 'cmd_9', trigger: 'manual', scheduled_for: null }), s);
    expect(finals).toEqual(['cmd_2']);
    expect(p.pendingRetry('sched_a')).toMatchObject({ after: 'cmd_9', retry_of: 'cmd_9' });
  });

  it('retryAfter answers for the failed command only; cancelRetry records who cancelled', () => {
    const s = put('sched_a', { retries: 3 });
    const p = policies();
    const at = p.ended(failed(s, { command_id: 'cmd_2', attempt: 2, retry_of: 'cmd_1' }), s);
    expect(p.retryAfter('cmd_2')).toBe(at);
    expect(p.retryAfter('cmd_1')).toBeNull();
    expect(p.retryAfter('cmd_none')).toBeNull();
    expect(p.cancelRetry('cmd_none')).toBe(false);
    expect(p.cancelRetry('cmd_1')).toBe(true);
    expect(p.pendingRetry('sched_a')).toBeUndefined();
    expect(decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 3,
        attempts: 4,
        at: '2026-06-01T10:00:00Z',
        outcome: 'not_run',
        reason: 'retry_cancelled',
        message: 'cancelled (command cmd_1)',
      },
    ]);
    expect(p.cancelRetry('cmd_1')).toBe(false);
  });

  it('disabling the schedule cancels its retry; another edit keeps it', () => {
    const s = put('sched_a', { retries: 1 });
    const p = policies();
    p.ended(failed(s), s);
    p.scheduleChanged(put('sched_a', { retries: 1, name: 'renamed' }));
    expect(p.pendingRetry('sched_a')).toBeDefined();
    expect(decisions).toEqual([]);
    p.scheduleChanged(put('sched_a', { retries: 1, enabled: false }));
    expect(p.pendingRetry('sched_a')).toBeUndefined();
    expect(decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 2,
        at: '2026-06-01T10:00:00Z',
        outcome: 'not_run',
        reason: 'retry_cancelled',
        message: 'the schedule was disabled',
      },
    ]);
    // Disabled again with nothing pending: nothing more is recorded.
    p.scheduleChanged(put('sched_a', { retries: 1, enabled: false, name: 'x' }));
    expect(decisions).toHaveLength(1);
  });

  it('deleting the schedule drops its retry', () => {
    const s = put('sched_a', { retries: 1 });
    const p = policies();
    p.ended(failed(s), s);
    repo.delete('sched_a');
    p.scheduleDeleted('sched_a');
    expect(p.pendingRetry('sched_a')).toBeUndefined();
  });

  it('a retry falls due and runs as the next attempt of its chain', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN });
    const p = policies();
    p.ended(failed(s), s);
    time.advanceBy(MIN);
    expect(started).toEqual([
      {
        id: 'sched_a',
        trigger: 'schedule',
        scheduledFor: T0,
        chain: { attempt: 2, retry_of: 'cmd_1' },
      },
    ]);
    expect(decisions).toStrictEqual([
      {
        run_id: 'run_1',
        command_id: 'cmd_run_1',
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 3,
        at: '2026-06-01T10:01:00Z',
        outcome: 'run',
        reason: null,
        message: 'runs',
      },
    ]);
    expect(finals).toEqual([]);
  });

  it('the retry of a manual run has no scheduled instant', () => {
    const s = put('sched_a', { retries: 1, retry_delay: MIN });
    const p = policies();
    p.ended(failed(s, { trigger: 'manual', scheduled_for: null }), s);
    time.advanceBy(MIN);
    expect(started).toEqual([
      {
        id: 'sched_a',
        trigger: 'manual',
        scheduledFor: null,
        chain: { attempt: 2, retry_of: 'cmd_1' },
      },
    ]);
    expect(decisions[0]).toMatchObject({ scheduled_for: null, trigger: 'manual', outcome: 'run' });
  });

  it('a retry due while the previous run still runs is skipped, and its chain ends', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN });
    const p = policies();
    p.ended(failed(s), s);
    running.set('sched_a', 'cmd_other');
    time.advanceBy(MIN);
    expect(started).toEqual([]);
    const message = "the previous run (command cmd_other) is still running and overlap is 'skip'";
    expect(skipped).toEqual([
      {
        id: 'sched_a',
        trigger: 'schedule',
        scheduledFor: T0,
        chain: { attempt: 2, retry_of: 'cmd_1' },
        message,
      },
    ]);
    expect(decisions[0]).toMatchObject({
      attempt: 2,
      outcome: 'skipped',
      reason: 'overlap',
      running_command_id: 'cmd_other',
      message,
    });
    expect(finals).toEqual(['cmd_1']);
  });

  it('a retry due during a pause does not run, is not recorded as a run, and its chain ends', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN, catch_up: true });
    const p = policies();
    p.ended(failed(s), s);
    pauseAll(null);
    time.advanceBy(MIN);
    expect(started).toEqual([]);
    expect(skipped).toEqual([]);
    expect(decisions.map((d) => [d.attempt, d.outcome, d.reason])).toEqual([
      [2, 'not_run', 'paused'],
    ]);
    expect(finals).toEqual(['cmd_1']);
    // A retry is not held: lifting the pause runs nothing.
    resumeAll(p);
    expect(started).toEqual([]);
  });

  it('the retries of schedules removed while the app was off are quietly dropped', () => {
    const a = put('sched_a', { retries: 2, retry_delay: MIN });
    const b = put('sched_b', { retries: 2, retry_delay: MIN });
    const first = policies();
    first.ended(failed(a), a);
    first.ended(failed(b, { command_id: 'cmd_b' }), b);
    quit(first);
    repo.delete('sched_a');
    repo.delete('sched_b');
    const p = policies();
    expect(p.cancelRetry('cmd_b')).toBe(true);
    expect(decisions).toStrictEqual([
      {
        schedule_id: 'sched_b',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 1,
        at: '2026-06-01T10:00:00Z',
        outcome: 'not_run',
        reason: 'retry_cancelled',
        message: 'cancelled (command cmd_b)',
      },
    ]);
    time.advanceBy(HOUR);
    expect(started).toEqual([]);
    expect(finals).toEqual([]);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('a schedule the store could not read', () => {
  it('its pending retry does not run', () => {
    repo.close();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        schemaVersion: 1,
        schedules: { sched_broken: storedSchedule('sched_broken', { cron: 'bad', retries: 2 }) },
      }),
    );
    repo = ScheduleRepository.open(confStoreFactory, dir, time.clock, log);
    const s = repo.get('sched_broken') as StoredSchedule;
    expect(repo.error('sched_broken')).not.toBeNull();
    expect(s.retries).toBe(2);
    const p = policies();
    p.ended(failed(s), s);
    time.advanceBy(HOUR);
    expect(started).toEqual([]);
    expect(skipped).toEqual([]);
    expect(decisions).toEqual([]);
  });
});
