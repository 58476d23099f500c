// The Engine (src/core/engine.ts) and its Launcher (src/core/launcher.ts) on real
// collaborators: a schedule store and history files in a temp dir, real child processes in
// their own process groups, and FakeTime for the clock and every timer the engine arms (the
// scheduler, the heartbeat, the retries, the end of orphans). Each test reads what a user
// would see: the history records and where they are on disk, the events and notifications,
// the log, and which process groups are gone.
//
// engineRig registers the set-up every engine-engine-*.test.ts shares: a fresh data dir,
// FakeTime and schedule store before each test; after it, the leftover process groups are
// killed and every engine is stopped (driving FakeTime so their grace timers ring). What a
// test reassigns per test (the dir, the clock, the store, the log lines) lives in fields of
// the rig, so a file that calls engineRig once at its top sees each test's own.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, UNWRITTEN_RETRY_MS, type EngineOptions } from '../../src/core/engine';
import { EventBus } from '../../src/core/events';
import { HEARTBEAT_FILE } from '../../src/core/heartbeat';
import { DEFAULT_RETENTION, HistoryStore, type RunGroup } from '../../src/core/history';
import type { Logger } from '../../src/core/log';
import { newRun } from '../../src/core/run-records';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { ApiEvent } from '../../src/shared/events';
import type { Run } from '../../src/shared/types';
import { FakeTime } from './fake-time';
import { storedSchedule } from './stored-schedule';
import { processGroup } from './process-group';

export const posix = process.platform !== 'win32';
export const MIN = 60_000;
export const T0 = Date.parse('2026-06-01T10:00:00Z');
const GRACE_MS = 1000;

const realSleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (real time) until `fn` returns something other than undefined/false. */
export async function waitFor<T>(fn: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    await realSleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface Harness {
  engine: Engine;
  events: ApiEvent[];
  notified: { run: Run; schedule: StoredSchedule }[];
  finished: (commandId: string) => Run | undefined;
  waitFinished: (commandId: string) => Promise<Run>;
}

type BeforeEach = (fn: () => void) => void;
type AfterEach = (fn: () => Promise<void> | void) => void;

export function engineRig(beforeEach: BeforeEach, afterEach: AfterEach) {
  // Filled afresh before each test; the test files read it as rig.dir, rig.time and so on.
  const rig = {} as {
    dir: string;
    time: FakeTime;
    repo: ScheduleRepository;
    lines: string[];
    pgids: number[];
    /** How many timers the engines armed for the retry of unwritten history. */
    retryArms: number;
  };
  let engines: Engine[];

  const log: Logger = {
    info: (m) => void rig.lines.push(`info ${m}`),
    warn: (m) => void rig.lines.push(`warn ${m}`),
    error: (m) => void rig.lines.push(`error ${m}`),
  };

  /** Moves FakeTime on in small steps (letting real children react) until `fn` holds. */
  async function driveUntil(fn: () => boolean, maxFakeMs: number, what: string): Promise<void> {
    const end = rig.time.ms + maxFakeMs;
    while (!fn()) {
      if (rig.time.ms >= end) throw new Error(`${what}: not within ${maxFakeMs} ms of fake time`);
      rig.time.advanceBy(25);
      await realSleep(10);
    }
  }

  function makeEngine(extra: Partial<EngineOptions> = {}): Harness {
    const bus = new EventBus();
    const events: ApiEvent[] = [];
    bus.subscribe((e) => void events.push(e));
    const notified: { run: Run; schedule: StoredSchedule }[] = [];
    const engine = new Engine({
      dataDir: rig.dir,
      repo: rig.repo,
      clock: rig.time.clock,
      timers: {
        setTimeout: (fn, ms) => {
          if (ms === UNWRITTEN_RETRY_MS) rig.retryArms++;
          return rig.time.setTimeout(fn, ms);
        },
        clearTimeout: (handle) => rig.time.clearTimeout(handle),
      },
      events: bus,
      log,
      home: rig.dir,
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
    rig.repo.put(storedSchedule(id, extra));
    return rig.repo.get(id) as StoredSchedule;
  }

  /** A command that waits for the file `name` in the data dir, then prints `out`. */
  function gateCommand(name: string, out = 'done'): string {
    return `while [ ! -f '${join(rig.dir, name)}' ]; do sleep 0.02; done; echo ${out}`;
  }

  function open(name: string) {
    writeFileSync(join(rig.dir, name), '');
  }

  function historyLines(scheduleId: string): Record<string, unknown>[] {
    const path = join(rig.dir, 'history', `${scheduleId}.jsonl`);
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  function writeLastAlive(ms: number) {
    writeFileSync(
      join(rig.dir, HEARTBEAT_FILE),
      JSON.stringify({ last_alive: new Date(ms).toISOString() }),
    );
  }

  function lastAliveOnDisk(): string {
    return (
      JSON.parse(readFileSync(join(rig.dir, HEARTBEAT_FILE), 'utf8')) as { last_alive: string }
    ).last_alive;
  }

  /** The history files of the data dir, opened as a past app run wrote them. */
  function openHistory(): HistoryStore {
    const h = new HistoryStore({
      dir: join(rig.dir, 'history'),
      clock: rig.time.clock,
      log,
      retention: () => DEFAULT_RETENTION,
    });
    h.open(rig.time.ms);
    return h;
  }

  /** A run left 'running' in the history files, as a crashed app leaves it. */
  function leftRunning(scheduleId: string, startedAt: number, group: RunGroup | null = null): Run {
    const h = openHistory();
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

  const group = (stubborn = false) => processGroup(rig.pgids, stubborn);

  beforeEach(() => {
    rig.dir = mkdtempSync(join(tmpdir(), 'cmdop-engine-'));
    rig.time = new FakeTime('2026-06-01T10:00:00Z');
    rig.lines = [];
    engines = [];
    rig.pgids = [];
    rig.retryArms = 0;
    rig.repo = ScheduleRepository.open(confStoreFactory, rig.dir, rig.time.clock, log);
  });

  afterEach(async () => {
    for (const pid of rig.pgids.splice(0)) {
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
        rig.time.advanceBy(25);
        await realSleep(5);
      }
      await stopping;
    }
    rig.repo.close();
    rmSync(rig.dir, { recursive: true, force: true });
  });

  return Object.assign(rig, {
    log,
    driveUntil,
    makeEngine,
    put,
    gateCommand,
    open,
    historyLines,
    writeLastAlive,
    lastAliveOnDisk,
    openHistory,
    leftRunning,
    group,
  });
}
