// The Engine (src/core/engine.ts) and its Launcher (src/core/launcher.ts) on real
// collaborators: a schedule store and history files in a temp dir, real child processes in
// their own process groups, and FakeTime for the clock and every timer the engine arms (the
// scheduler, the heartbeat, the retries, the end of orphans). Each test reads what a user
// would see: the history records and where they are on disk, the events and notifications,
// the log, and which process groups are gone.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Engine,
  INTERRUPTED_NOTE,
  ORPHAN_ENDED_NOTE,
  UNWRITTEN_RETRY_MS,
  type EngineOptions,
} from '../../src/core/engine';
import { EventBus } from '../../src/core/events';
import { HEARTBEAT_FILE } from '../../src/core/heartbeat';
import { DEFAULT_RETENTION, HistoryStore, type RunGroup } from '../../src/core/history';
import type { Logger } from '../../src/core/log';
import { PLAN_FILE } from '../../src/core/plan-cache';
import { groupAlive, processStart } from '../../src/core/process-groups';
import { newRun } from '../../src/core/run-records';
import { START_PLAN_CHUNK } from '../../src/core/start-plan';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import { ADHOC_OWNER } from '../../src/shared/cmdop-command';
import { ApiError } from '../../src/shared/errors';
import type { ApiEvent } from '../../src/shared/events';
import { formatTimestamp } from '../../src/shared/time';
import type { Run } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { storedSchedule } from '../helpers/stored-schedule';
import { processGroup } from '../helpers/process-group';

const posix = process.platform !== 'win32';
const MIN = 60_000;
const T0 = Date.parse('2026-06-01T10:00:00Z');
const GRACE_MS = 1000;

let dir: string;
let time: FakeTime;
let repo: ScheduleRepository;
let lines: string[];
let engines: Engine[];
let pgids: number[];
/** How many timers the engines armed for the retry of unwritten history. */
let retryArms: number;

const log: Logger = {
  info: (m) => void lines.push(`info ${m}`),
  warn: (m) => void lines.push(`warn ${m}`),
  error: (m) => void lines.push(`error ${m}`),
};

const realSleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (real time) until `fn` returns something other than undefined/false. */
async function waitFor<T>(fn: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    await realSleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Moves FakeTime on in small steps (letting real children react) until `fn` holds. */
async function driveUntil(fn: () => boolean, maxFakeMs: number, what: string): Promise<void> {
  const end = time.ms + maxFakeMs;
  while (!fn()) {
    if (time.ms >= end) throw new Error(`${what}: not within ${maxFakeMs} ms of fake time`);
    time.advanceBy(25);
    await realSleep(10);
  }
}

interface Harness {
  engine: Engine;
  events: ApiEvent[];
  notified: { run: Run; schedule: StoredSchedule }[];
  finished: (commandId: string) => Run | undefined;
  waitFinished: (commandId: string) => Promise<Run>;
}

function makeEngine(extra: Partial<EngineOptions> = {}): Harness {
  const bus = new EventBus();
  const events: ApiEvent[] = [];
  bus.subscribe((e) => void events.push(e));
  const notified: { run: Run; schedule: StoredSchedule }[] = [];
  const engine = new Engine({
    dataDir: dir,
    repo,
    clock: time.clock,
    timers: {
      setTimeout: (fn, ms) => {
        if (ms === UNWRITTEN_RETRY_MS) retryArms++;
        return time.setTimeout(fn, ms);
      },
      clearTimeout: (handle) => time.clearTimeout(handle),
    },
    events: bus,
    log,
    home: dir,
    killGraceMs: GRACE_MS,
    power: { onBattery: () => false },
    onRunFinished: (run, schedule) => void notified.push({ run, schedule }),
    ...extra,
  });
  engines.push(engine);
  const finished = (commandId: string) => {
    for (const e of events) {
      if (e.type === 'run.finished' && e.run.command_id === commandId) return e.run;
    }
    return undefined;
  };
  return {
    engine,
    events,
    notified,
    finished,
    waitFinished: (commandId) => waitFor(() => finished(commandId), `${commandId} to finish`),
  };
}

function put(id: string, extra: Partial<StoredSchedule> = {}): StoredSchedule {
  repo.put(storedSchedule(id, extra));
  return repo.get(id) as StoredSchedule;
}

/** A command that waits for the file `name` in the data dir, then prints `out`. */
function gateCommand(name: string, out = 'done'): string {
  return `while [ ! -f '${join(dir, name)}' ]; do sleep 0.02; done; echo ${out}`;
}

function open(name: string) {
  writeFileSync(join(dir, name), '');
}

function historyLines(scheduleId: string): Record<string, unknown>[] {
  const path = join(dir, 'history', `${scheduleId}.jsonl`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function writeLastAlive(ms: number) {
  writeFileSync(
    join(dir, HEARTBEAT_FILE),
    JSON.stringify({ last_alive: new Date(ms).toISOString() }),
  );
}

function lastAliveOnDisk(): string {
  return (JSON.parse(readFileSync(join(dir, HEARTBEAT_FILE), 'utf8')) as { last_alive: string })
    .last_alive;
}

/** A run left 'running' in the history files, as a crashed app leaves it. */
function leftRunning(scheduleId: string, startedAt: number, group: RunGroup | null = null): Run {
  const h = new HistoryStore({
    dir: join(dir, 'history'),
    clock: time.clock,
    log,
    retention: () => DEFAULT_RETENTION,
  });
  h.open(time.ms);
  const run = newRun({
    scheduleId,
    trigger: 'schedule',
    scheduledFor: null,
    chain: null,
    now: startedAt,
  });
  h.append(run, group);
  return run;
}

const group = (stubborn = false) => processGroup(pgids, stubborn);

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-engine-'));
  time = new FakeTime('2026-06-01T10:00:00Z');
  lines = [];
  engines = [];
  pgids = [];
  retryArms = 0;
  repo = ScheduleRepository.open(confStoreFactory, dir, time.clock, log);
});

afterEach(async () => {
  for (const pid of pgids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const e of engines) {
    let done = false;
    const stopping = e.stop('cancel').then(() => void (done = true));
    while (!done) {
      time.advanceBy(25);
      await realSleep(5);
    }
    await stopping;
  }
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!posix)('history', () => {
  it('lives in the history folder of the data dir: the record and the output apart', async () => {
    put('sched_a');
    const { engine, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    const run = await waitFinished(command_id);
    expect(run).toMatchObject({ status: 'success', exit_code: 0, stdout: 'hi\n' });
    expect(historyLines('sched_a').at(-1)).toMatchObject({ id: run.id, status: 'success' });
    const output = JSON.parse(
      readFileSync(join(dir, 'history', 'sched_a', `${run.id}.json`), 'utf8'),
    ) as { stdout: string };
    expect(output.stdout).toBe('hi\n');
  });

  it('a run is recorded from its start, with its process group', async () => {
    put('sched_a', { command: gateCommand('go') });
    const { engine, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    const first = historyLines('sched_a')[0] as { pgid: number; status: string };
    expect(first.status).toBe('running');
    expect(groupAlive(first.pgid)).toBe(true);
    expect(historyLines('sched_a')).toHaveLength(1);
    expect(engine.history.getByCommand(command_id)?.status).toBe('running');
    open('go');
    await waitFinished(command_id);
    expect(historyLines('sched_a').map((l) => l.status)).toEqual(['running', 'success']);
  });

  it('a run that cannot start is in history from its start too, then failed with why', async () => {
    put('sched_a', { cwd: join(dir, 'no-such-dir') });
    const { engine, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    expect(engine.history.getByCommand(command_id)?.status).toBe('running');
    const run = await waitFinished(command_id);
    expect(run.status).toBe('failure');
    expect(run.stderr).toContain('no-such-dir');
    expect(engine.getCommand(command_id).status).toBe('failure');
  });
});

describe.skipIf(!posix)('at start', () => {
  it('a run left running is marked interrupted at the last-alive instant, with a note', () => {
    put('sched_a');
    const left = leftRunning('sched_a', T0 - 2 * 3_600_000);
    writeLastAlive(T0 - 3_600_000);
    const { engine, finished, notified } = makeEngine();
    engine.start();
    const run = engine.getCommand(left.command_id);
    expect(run).toMatchObject({
      status: 'interrupted',
      finished_at: formatTimestamp(T0 - 3_600_000),
      duration: 3_600_000,
    });
    expect(run.stderr).toBe(`cmdop-scheduler: ${INTERRUPTED_NOTE}\n`);
    expect(lines).toContain(`warn run ${left.id} of sched_a was interrupted: the app stopped`);
    expect(finished(left.command_id)?.status).toBe('interrupted');
    expect(notified.map((n) => [n.run.id, n.schedule.id])).toEqual([[left.id, 'sched_a']]);
    expect(engine.lastRun('sched_a')).toEqual({
      at: left.started_at,
      exit_code: null,
      duration: 3_600_000,
      status: 'interrupted',
    });
  });

  it('a recorded end without its finish time is no last run', () => {
    put('sched_a');
    const h = new HistoryStore({
      dir: join(dir, 'history'),
      clock: time.clock,
      log,
      retention: () => DEFAULT_RETENTION,
    });
    h.open(time.ms);
    const run = newRun({
      scheduleId: 'sched_a',
      trigger: 'manual',
      scheduledFor: null,
      chain: null,
      now: T0 - MIN,
    });
    h.append({ ...run, status: 'failure', exit_code: 1 });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.getCommand(run.command_id).status).toBe('failure');
    expect(engine.lastRun('sched_a')).toBeNull();
  });

  it('without a last-alive instant, an interrupted run ends at the start', () => {
    put('sched_a');
    const left = leftRunning('sched_a', T0 - 3_600_000);
    const { engine } = makeEngine();
    engine.start();
    expect(engine.getCommand(left.command_id)).toMatchObject({
      status: 'interrupted',
      finished_at: formatTimestamp(T0),
    });
  });

  it('a run whose process group is gone is interrupted, not ended as an orphan', async () => {
    put('sched_a');
    const pgid = await group();
    const start = processStart(pgid);
    process.kill(-pgid, 'SIGKILL');
    await waitFor(() => !groupAlive(pgid), 'the group to end');
    const left = leftRunning('sched_a', T0 - MIN, { pgid, start });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.getCommand(left.command_id).status).toBe('interrupted');
    expect(engine.activeRuns()).toEqual([]);
    expect(lines.some((l) => l.includes('outlived the app'))).toBe(false);
  });

  it('a run whose group still runs is ended, shown meanwhile, and recorded with why', async () => {
    put('sched_a');
    const pgid = await group();
    const left = leftRunning('sched_a', T0 - MIN, { pgid, start: processStart(pgid) });
    const { engine, finished, notified } = makeEngine();
    engine.start();
    expect(lines).toContain(
      `warn run ${left.id} of sched_a outlived the app (process group ${pgid}); ending it`,
    );
    expect(engine.activeRuns().map((r) => r.command_id)).toEqual([left.command_id]);
    expect(engine.runningCommand('sched_a')).toBe(left.command_id);
    expect(engine.getCommand(left.command_id).status).toBe('running');
    await driveUntil(() => finished(left.command_id) !== undefined, 10_000, 'the orphan ends');
    expect(groupAlive(pgid)).toBe(false);
    const run = engine.getCommand(left.command_id);
    expect(run.status).toBe('interrupted');
    expect(run.stderr).toBe(`cmdop-scheduler: ${ORPHAN_ENDED_NOTE}\n`);
    expect(notified.map((n) => n.run.id)).toEqual([left.id]);
    expect(engine.activeRuns()).toEqual([]);
  });

  it('a run of the app that crashed is found by its group and ended by the next start', async () => {
    put('sched_a', { command: 'sleep 60' });
    const crashed = makeEngine();
    crashed.engine.start();
    const { command_id } = crashed.engine.runNow(repo.get('sched_a') as StoredSchedule);
    const { pgid } = historyLines('sched_a')[0] as { pgid: number };
    pgids.push(pgid);
    expect(groupAlive(pgid)).toBe(true);
    // The app is gone without stopping; a new one starts on the same data dir.
    const next = makeEngine();
    next.engine.start();
    expect(next.engine.activeRuns().map((r) => r.command_id)).toEqual([command_id]);
    await driveUntil(() => next.finished(command_id) !== undefined, 10_000, 'the orphan ends');
    await waitFor(() => !groupAlive(pgid), 'the group to end');
    expect(next.engine.getCommand(command_id)).toMatchObject({ status: 'interrupted' });
    expect(next.engine.getCommand(command_id).stderr).toContain(ORPHAN_ENDED_NOTE);
  });

  it('an orphan whose schedule is deleted meanwhile is ended after the grace, unrecorded', async () => {
    put('sched_a');
    const pgid = await group(true);
    const left = leftRunning('sched_a', T0 - MIN, { pgid, start: processStart(pgid) });
    const { engine, finished, notified } = makeEngine();
    engine.start();
    expect(engine.cancelCommand(left.command_id)).toEqual({ cancelled: true });
    repo.delete('sched_a');
    engine.scheduleDeleted('sched_a');
    // SIGTERM is ignored: SIGKILL comes after the configured grace, well before the default.
    await driveUntil(() => !groupAlive(pgid), 4000, 'the stubborn group ends');
    await driveUntil(() => engine.activeRuns().length === 0, 4000, 'the orphan is done');
    expect(finished(left.command_id)).toBeUndefined();
    expect(notified).toEqual([]);
    expect(engine.history.getByCommand(left.command_id)).toBeUndefined();
    expect(existsSync(join(dir, 'history', 'sched_a.jsonl'))).toBe(false);
  });

  it('a second start changes nothing: a run in progress keeps running', async () => {
    put('sched_a', { command: gateCommand('go') });
    const { engine, events, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    engine.start();
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    expect(engine.history.getByCommand(command_id)?.status).toBe('running');
    open('go');
    expect((await waitFinished(command_id)).status).toBe('success');
    expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
  });
});

describe.skipIf(!posix)('planning at start', () => {
  it('a broken schedule is never planned; the valid ones fire', async () => {
    put('sched_ok', { cron: '* * * * *' });
    put('sched_bad', { cron: '* * * * *' });
    repo.close();
    const path = join(dir, 'config.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.schedules.sched_bad.timeout = -5;
    writeFileSync(path, JSON.stringify(file));
    repo = ScheduleRepository.open(confStoreFactory, dir, time.clock, log);
    expect(repo.error('sched_bad')).not.toBeNull();
    const { engine, events } = makeEngine();
    engine.start();
    expect(engine.nextRun(repo.get('sched_bad') as StoredSchedule)).toBeNull();
    time.advanceTo('2026-06-01T10:01:00Z');
    const started = events.filter((e) => e.type === 'run.started');
    expect(started.map((e) => (e as { run: Run }).run.schedule_id)).toEqual(['sched_ok']);
  });

  it('catch-up runs a fire missed while the app was off, after the last-alive instant', () => {
    put('sched_a', { cron: '0 9 * * *', catch_up: true });
    writeLastAlive(T0 - 2 * 3_600_000);
    const { engine, events } = makeEngine();
    engine.start();
    const started = events.filter((e) => e.type === 'run.started') as { run: Run }[];
    expect(started.map((e) => [e.run.trigger, e.run.scheduled_for])).toEqual([
      ['catch_up', '2026-06-01T09:00:00Z'],
    ]);
  });

  it('no catch-up on a first start (no last-alive instant)', () => {
    put('sched_a', { cron: '0 9 * * *', catch_up: true });
    const { engine, events } = makeEngine();
    engine.start();
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
  });

  it('the planned fires are remembered on disk once computed', () => {
    put('sched_a');
    const { engine } = makeEngine();
    engine.start();
    const plan = JSON.parse(readFileSync(join(dir, PLAN_FILE), 'utf8')) as {
      fires: Record<string, [string, number]>;
    };
    expect(Object.keys(plan.fires)).toEqual(['sched_a']);
    expect(plan.fires.sched_a?.[1]).toBe(Date.parse('2026-06-02T03:00:00Z'));
  });

  it('with nothing to compute, nothing is written at start', () => {
    const { engine } = makeEngine();
    engine.start();
    expect(existsSync(join(dir, PLAN_FILE))).toBe(false);
  });
});

describe.skipIf(!posix)('stop', () => {
  it('cancels running commands by default: recorded as interrupted, their group gone', async () => {
    put('sched_a', { command: 'sleep 60' });
    const { engine, notified } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    const { pgid } = historyLines('sched_a')[0] as { pgid: number };
    await engine.stop();
    expect(engine.history.getByCommand(command_id)?.status).toBe('interrupted');
    expect(historyLines('sched_a').at(-1)).toMatchObject({ status: 'interrupted' });
    expect(notified.map((n) => n.run.status)).toEqual(['interrupted']);
    await waitFor(() => !groupAlive(pgid), 'the group to end');
  });

  it("'wait' lets running commands finish and records how they ended", async () => {
    put('sched_a', { command: gateCommand('go') });
    const { engine } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    const stopping = engine.stop('wait');
    open('go');
    await stopping;
    expect(engine.history.getByCommand(command_id)).toMatchObject({
      status: 'success',
      stdout: 'done\n',
    });
  });

  it('a run whose shell had already exited is recorded as it ended, not interrupted', async () => {
    // A background child holds the output open after the shell has exited.
    put('sched_a', { command: 'sleep 30 & echo hi' });
    const { engine } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    const { pgid } = historyLines('sched_a')[0] as { pgid: number };
    pgids.push(pgid);
    await waitFor(() => {
      try {
        process.kill(pgid, 0);
        return false;
      } catch {
        return true; // the shell (the group's leader) is gone
      }
    }, 'the shell to exit');
    await engine.stop();
    expect(engine.history.getByCommand(command_id)).toMatchObject({
      status: 'success',
      stdout: 'hi\n',
    });
  });

  it('writes the last-alive instant and the plan once; a second stop writes nothing', async () => {
    put('sched_a');
    const { engine } = makeEngine();
    engine.start();
    time.advanceBy(2000);
    await engine.stop();
    expect(lastAliveOnDisk()).toBe('2026-06-01T10:00:02.000Z');
    rmSync(join(dir, PLAN_FILE));
    time.advanceBy(60_000);
    await engine.stop();
    expect(lastAliveOnDisk()).toBe('2026-06-01T10:00:02.000Z');
    expect(existsSync(join(dir, PLAN_FILE))).toBe(false);
  });

  it('of an engine never started writes nothing', async () => {
    put('sched_a');
    const { engine } = makeEngine();
    await engine.stop();
    expect(existsSync(join(dir, HEARTBEAT_FILE))).toBe(false);
    expect(existsSync(join(dir, PLAN_FILE))).toBe(false);
  });
});

describe.skipIf(!posix)('history the disk refused', () => {
  /** Runs sched_a to its end while its history log cannot be appended to. */
  async function runRefused(h: Harness): Promise<{ log: string; commandId: string }> {
    const { command_id } = h.engine.runNow(repo.get('sched_a') as StoredSchedule);
    const path = join(dir, 'history', 'sched_a.jsonl');
    rmSync(path);
    mkdirSync(path);
    open('go');
    await h.waitFinished(command_id);
    expect(statSync(path).isDirectory()).toBe(true);
    return { log: path, commandId: command_id };
  }

  it('is written again every few seconds until it is on disk; then the engine idles', async () => {
    put('sched_a', { command: gateCommand('go') });
    const h = makeEngine();
    h.engine.start();
    const idle = time.pendingCount;
    const { log: path, commandId } = await runRefused(h);
    expect(h.engine.getCommand(commandId).status).toBe('success');
    expect(retryArms).toBe(1);
    // Another run meanwhile waits behind the refused record, on the same retry.
    const b = h.engine.runNow(put('sched_b', { command: 'echo b' }));
    await h.waitFinished(b.command_id);
    expect(retryArms).toBe(1);
    expect(existsSync(join(dir, 'history', 'sched_b.jsonl'))).toBe(false);
    rmSync(path, { recursive: true });
    time.advanceBy(UNWRITTEN_RETRY_MS - 1);
    expect(existsSync(path)).toBe(false);
    time.advanceBy(1);
    expect(historyLines('sched_a').map((l) => [l.command_id, l.status])).toEqual([
      [commandId, 'success'],
    ]);
    expect(historyLines('sched_b').map((l) => [l.command_id, l.status])).toEqual([
      [b.command_id, 'running'],
      [b.command_id, 'success'],
    ]);
    expect(time.pendingCount).toBe(idle);
    // Written: no further retry is armed.
    const arms = retryArms;
    time.advanceBy(3 * UNWRITTEN_RETRY_MS);
    expect(retryArms).toBe(arms);
  });

  it('an idle engine with nothing refused arms no retry', async () => {
    put('sched_a', { command: 'echo hi' });
    const h = makeEngine();
    h.engine.start();
    const idle = time.pendingCount;
    const { command_id } = h.engine.runNow(repo.get('sched_a') as StoredSchedule);
    await h.waitFinished(command_id);
    time.advanceBy(3 * UNWRITTEN_RETRY_MS);
    expect(time.pendingCount).toBe(idle);
    expect(retryArms).toBe(0);
  });

  it('a stopped engine does not write it later', async () => {
    put('sched_a', { command: gateCommand('go') });
    const h = makeEngine();
    h.engine.start();
    const { log: path } = await runRefused(h);
    await h.engine.stop();
    rmSync(path, { recursive: true });
    time.advanceBy(3 * UNWRITTEN_RETRY_MS);
    expect(existsSync(path)).toBe(false);
  });
});

describe.skipIf(!posix)('firing', () => {
  it('wake fires what fell due while the clock jumped', () => {
    put('sched_a', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    time.advanceTo('2026-06-01T10:00:50Z');
    time.jump(20_000);
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
    engine.wake();
    const started = events.filter((e) => e.type === 'run.started') as { run: Run }[];
    expect(started.map((e) => e.run.scheduled_for)).toEqual(['2026-06-01T10:01:00Z']);
  });

  it('a schedule disabled in the store is not run even if its fire was planned', () => {
    const s = put('sched_a', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    repo.put({ ...s, enabled: false });
    time.advanceTo('2026-06-01T10:01:00Z');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
  });

  it("a fire while the last run still runs is skipped under overlap 'skip', with why", async () => {
    put('sched_a', { cron: '* * * * *', command: gateCommand('go') });
    put('sched_b', { command: 'echo b' });
    const { engine, events, notified, waitFinished } = makeEngine();
    engine.start();
    time.advanceTo('2026-06-01T10:01:00Z');
    const first = (events.find((e) => e.type === 'run.started') as { run: Run }).run;
    // Another schedule is not held up by it.
    const b = engine.runNow(repo.get('sched_b') as StoredSchedule);
    await waitFinished(b.command_id);
    time.advanceTo('2026-06-01T10:02:00Z');
    const skipped = engine.history.list('sched_a', { limit: 10, offset: 0, status: 'skipped' });
    expect(skipped.data).toHaveLength(1);
    expect(skipped.data[0]).toMatchObject({
      scheduled_for: '2026-06-01T10:02:00Z',
      stderr: expect.stringMatching(/^cmdop-scheduler: skipped: /),
    });
    const skipRun = skipped.data[0] as Run;
    expect(events.some((e) => e.type === 'run.finished' && e.run.id === skipRun.id)).toBe(true);
    expect(notified.map((n) => n.run.id)).toContain(skipRun.id);
    const e = apiError(() => engine.runNow(repo.get('sched_a') as StoredSchedule));
    expect(e.code).toBe('conflict');
    expect(e.details).toEqual({ command_id: first.command_id });
    open('go');
    await waitFinished(first.command_id);
  });
});

describe.skipIf(!posix)('the next run', () => {
  it('is null for a disabled schedule', () => {
    const s = put('sched_a', { enabled: false });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.nextRun(s)).toBeNull();
  });

  it('plans a schedule the engine was not told about yet', () => {
    const { engine } = makeEngine();
    engine.start();
    const s = put('sched_new', { cron: '30 10 * * *' });
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:30:00Z'));
  });

  it('is known before the engine starts', () => {
    const s = put('sched_a', { cron: '30 10 * * *' });
    const { engine } = makeEngine();
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:30:00Z'));
  });

  it('asked for while the start plan is still being computed, a fire since the start still runs', () => {
    const many = Array.from({ length: START_PLAN_CHUNK + 1 }, (_, i) =>
      storedSchedule(`sched_${String(i).padStart(3, '0')}`),
    );
    repo.putMany(many);
    const s = put('sched_minutely', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    // Before the next chunk of the start plan: the clock has moved past 10:01 meanwhile.
    time.ms = Date.parse('2026-06-01T10:01:30Z');
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:02:00Z'));
    engine.wake();
    const started = events.filter((e) => e.type === 'run.started') as { run: Run }[];
    expect(started.map((e) => [e.run.schedule_id, e.run.scheduled_for])).toEqual([
      ['sched_minutely', '2026-06-01T10:01:00Z'],
    ]);
  });

  it('of a fire already due is the one after it', () => {
    const s = put('sched_a', { cron: '30 10 * * *' });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:30:00Z'));
    time.ms = Date.parse('2026-06-01T10:30:00Z'); // the timer has not rung yet
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-02T10:30:00Z'));
    time.ms = Date.parse('2026-06-01T10:45:00Z');
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-02T10:30:00Z'));
  });

  it('a change that cannot be planned is logged and its old plan dropped', () => {
    const s = put('sched_a', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    engine.scheduleChanged({ ...s, cron: 'not a cron' });
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([
      expect.stringMatching(/^error schedule sched_a cannot be planned: ./),
    ]);
    time.advanceTo('2026-06-01T10:01:00Z');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
  });

  it('changes and deletions before the engine starts are taken', () => {
    const s = put('sched_a', { cron: '30 10 * * *' });
    const { engine } = makeEngine();
    engine.scheduleChanged(s);
    engine.scheduleDeleted('sched_gone');
    expect(engine.scheduler.next('sched_a')).toBe(Date.parse('2026-06-01T10:30:00Z'));
  });
});

describe.skipIf(!posix)('commands', () => {
  it('an unknown command is not found; a finished one cannot be cancelled', async () => {
    const s = put('sched_a');
    const { engine, waitFinished } = makeEngine();
    engine.start();
    expect(apiError(() => engine.getCommand('cmd_nope')).message).toBe(
      'Command cmd_nope not found',
    );
    expect(apiError(() => engine.cancelCommand('cmd_nope')).message).toBe(
      'Command cmd_nope not found',
    );
    const { command_id } = engine.runNow(s);
    await waitFinished(command_id);
    expect(engine.getCommand(command_id).next_retry_at).toBeNull();
    const other = put('sched_b', { command: gateCommand('go') });
    const running = engine.runNow(other);
    const e = apiError(() => engine.cancelCommand(command_id));
    expect(apiError(() => engine.cancelCommand('cmd_nope')).code).toBe('not_found');
    expect(engine.runningCommand('sched_b')).toBe(running.command_id);
    open('go');
    expect((await waitFinished(running.command_id)).status).toBe('success');
    expect(e.code).toBe('not_running');
    expect(e.message).toBe(`Command ${command_id} is not running (it ended: success)`);
    expect(e.details).toEqual({ status: 'success' });
  });

  it('run in the environment given to the engine', async () => {
    put('sched_a', { command: 'echo "$ENGINE_TEST_VAR"' });
    const { engine, waitFinished } = makeEngine({
      env: { ...process.env, ENGINE_TEST_VAR: 'from the engine' },
    });
    engine.start();
    const { command_id } = engine.runNow(repo.get('sched_a') as StoredSchedule);
    expect((await waitFinished(command_id)).stdout).toBe('from the engine\n');
  });

  it('ad-hoc: recorded with its command under its owner, counted, never notified', async () => {
    put('sched_a');
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const owner = storedSchedule(ADHOC_OWNER, { command: gateCommand('go', 'adhoc') });
    expect(() => engine.runAdhoc(repo.get('sched_a') as StoredSchedule)).toThrow(
      `runAdhoc takes the ${ADHOC_OWNER} owner`,
    );
    const other = engine.runNow(repo.get('sched_a') as StoredSchedule);
    expect(engine.adhocRunning()).toBe(0);
    await waitFinished(other.command_id);
    const run = engine.runAdhoc(owner);
    expect(run).toMatchObject({ schedule_id: ADHOC_OWNER, trigger: 'manual' });
    expect(run.command).toBe(owner.command);
    const scheduled = engine.runNow(repo.get('sched_a') as StoredSchedule);
    expect(engine.adhocRunning()).toBe(1);
    expect(engine.activeRuns().map((r) => r.command_id)).toEqual([
      run.command_id,
      scheduled.command_id,
    ]);
    await waitFinished(scheduled.command_id);
    expect(engine.adhocRunning()).toBe(1);
    expect(engine.getCommand(scheduled.command_id).command).toBeUndefined();
    open('go');
    await waitFinished(run.command_id);
    expect(engine.history.getByCommand(run.command_id)).toMatchObject({
      status: 'success',
      stdout: 'adhoc\n',
      command: owner.command,
    });
    expect(engine.adhocRunning()).toBe(0);
    expect(notified.map((n) => n.schedule.id)).toEqual(['sched_a', 'sched_a']);
  });

  it('a run notifies with its schedule as it is when the run ends', async () => {
    const s = put('sched_a', { command: gateCommand('go') });
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    repo.put({ ...s, name: 'renamed' });
    open('go');
    await waitFinished(command_id);
    expect(notified.map((n) => n.schedule.name)).toEqual(['renamed']);
  });

  it("deleting a schedule ends its runs, not other schedules', and keeps no history", async () => {
    put('sched_a', { command: 'sleep 60' });
    put('sched_b', { command: gateCommand('go') });
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const a = engine.runNow(repo.get('sched_a') as StoredSchedule);
    const b = engine.runNow(repo.get('sched_b') as StoredSchedule);
    repo.delete('sched_a');
    engine.scheduleDeleted('sched_a');
    const ended = await waitFinished(a.command_id);
    expect(ended.status).toBe('cancelled');
    expect(engine.runningCommand('sched_b')).toBe(b.command_id);
    expect(engine.history.getByCommand(a.command_id)).toBeUndefined();
    expect(existsSync(join(dir, 'history', 'sched_a.jsonl'))).toBe(false);
    expect(notified).toEqual([]);
    open('go');
    await waitFinished(b.command_id);
    expect(notified.map((n) => n.schedule.id)).toEqual(['sched_b']);
  });

  it('without a notification hook, a run ends quietly', async () => {
    const s = put('sched_a');
    const { engine, waitFinished } = makeEngine({ onRunFinished: undefined });
    engine.start();
    await waitFinished(engine.runNow(s).command_id);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('a notification that throws is logged, and the run is recorded all the same', async () => {
    const s = put('sched_a');
    const { engine, waitFinished } = makeEngine({
      onRunFinished: () => {
        throw new Error('notifier down');
      },
    });
    engine.start();
    const { command_id } = engine.runNow(s);
    const run = await waitFinished(command_id);
    expect(lines).toContain(`error notification for ${run.id} failed: notifier down`);
    expect(engine.history.getByCommand(command_id)?.status).toBe('success');
  });
});

describe.skipIf(!posix)('retries', () => {
  const retrying = (command: string) =>
    put('sched_a', { command, retries: 1, retry_delay: 1000, retry_backoff: 1 });

  it('a failure with a retry to come says when, and notifies only once the chain ends', async () => {
    const flag = join(dir, 'failed-once');
    const s = retrying(`if [ -f '${flag}' ]; then echo second; else touch '${flag}'; exit 3; fi`);
    const { engine, notified, waitFinished, events } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    const first = await waitFinished(command_id);
    const at = formatTimestamp(time.ms + 1000);
    expect(first).toMatchObject({ status: 'failure', exit_code: 3, next_retry_at: at });
    expect(engine.getCommand(command_id).next_retry_at).toBe(at);
    expect(notified).toEqual([]);
    time.advanceBy(1000);
    const retry = (events.filter((e) => e.type === 'run.started') as { run: Run }[]).at(-1)
      ?.run as Run;
    expect(retry).toMatchObject({ attempt: 2, retry_of: command_id });
    await waitFinished(retry.command_id);
    expect(engine.getCommand(retry.command_id).stdout).toBe('second\n');
    expect(notified.map((n) => n.run.command_id)).toEqual([retry.command_id]);
  });

  it('cancelling the first command of a chain cancels the retry running now', async () => {
    const flag = join(dir, 'failed-once');
    const s = retrying(`if [ -f '${flag}' ]; then sleep 60; else touch '${flag}'; exit 3; fi`);
    const { engine, waitFinished, events } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    await waitFinished(command_id);
    time.advanceBy(1000);
    const retry = (events.filter((e) => e.type === 'run.started') as { run: Run }[]).at(-1)
      ?.run as Run;
    expect(retry.retry_of).toBe(command_id);
    expect(engine.cancelCommand(command_id)).toEqual({ cancelled: true });
    expect((await waitFinished(retry.command_id)).status).toBe('cancelled');
  });

  it('a new run supersedes a waiting retry: the failure it followed is notified then', async () => {
    const s = retrying('exit 3');
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    await waitFinished(command_id);
    expect(notified).toEqual([]);
    engine.runNow(s);
    expect(notified.map((n) => [n.run.command_id, n.run.status, n.schedule.id])).toEqual([
      [command_id, 'failure', 'sched_a'],
    ]);
    expect(engine.getCommand(command_id).next_retry_at).toBeNull();
  });
});
