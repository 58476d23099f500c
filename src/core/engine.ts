// The engine: fires schedules (scheduler), runs them (runner), records them (history),
// and tells everyone (events, notifications). One instance owns one data directory.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import { formatTimestamp, type Clock } from '../shared/time';
import type { LastRun, Run, RunStarted, RunTrigger } from '../shared/types';
import type { EventBus } from './events';
import { Heartbeat } from './heartbeat';
import { HistoryStore } from './history';
import { LiveOutput } from './live-output';
import type { Logger } from './log';
import { startRun, type RunHandle, type RunOutcome } from './runner';
import { Scheduler, type Fire, type Plannable, type Timers } from './scheduler';
import type { ScheduleRepository, StoredSchedule } from './schedules';

export interface EngineOptions {
  dataDir: string;
  repo: ScheduleRepository;
  clock: Clock;
  timers: Timers;
  events: EventBus;
  log: Logger;
  /** Called once per finished run (notifications); never allowed to throw into the engine. */
  onRunFinished?: (run: Run, schedule: StoredSchedule) => void;
  /** The environment commands start from; default process.env. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  killGraceMs?: number;
  /** How often live output is pushed out as events. */
  outputFlushMs?: number;
}

const OUTPUT_FLUSH_MS = 100;

interface ActiveRun {
  run: Run;
  handle: RunHandle;
  /** Its output so far (GET /v1/commands/:id) and the chunks waiting for the next flush. */
  live: LiveOutput;
  /** Set when the run ends because the app stops (interrupted) or its schedule is deleted. */
  endedBy: 'shutdown' | 'delete' | null;
}

export function toPlannable(s: StoredSchedule): Plannable {
  return {
    id: s.id,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    catch_up: s.catch_up,
    updatedAt: Date.parse(s.updated_at),
  };
}

export class Engine {
  readonly history: HistoryStore;
  readonly scheduler: Scheduler;
  readonly #o: EngineOptions;
  readonly #heartbeat: Heartbeat;
  readonly #active = new Map<string, ActiveRun>();
  #flushTimer: unknown = null;
  #started = false;

  constructor(options: EngineOptions) {
    this.#o = options;
    const { clock, timers, log, repo } = options;
    this.history = new HistoryStore({
      dir: join(options.dataDir, 'history'),
      clock,
      log,
      retention: () => repo.settings().history,
    });
    this.scheduler = new Scheduler({ clock, timers, log, onFire: (f) => this.#onFire(f) });
    this.#heartbeat = new Heartbeat(options.dataDir, clock, timers, log);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const lastAlive = this.#heartbeat.read();
    for (const run of this.history.open(lastAlive ?? this.#o.clock.now())) {
      this.#o.log.warn(`run ${run.id} of ${run.schedule_id} was interrupted: the app stopped`);
      this.#finished(run);
    }
    for (const s of this.#o.repo.all()) this.scheduler.plan(toPlannable(s));
    this.scheduler.start();
    if (lastAlive !== null) this.scheduler.catchUp(lastAlive);
    this.#heartbeat.start();
  }

  /** Stops firing; running commands are cancelled (recorded as interrupted) or awaited. */
  async stop(running: 'cancel' | 'wait' = 'cancel'): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.scheduler.stop();
    const active = [...this.#active.values()];
    if (running === 'cancel') {
      for (const a of active) {
        a.endedBy = 'shutdown';
        a.handle.cancel();
      }
    }
    await Promise.all(active.map((a) => a.handle.done));
    // Let the done-handlers record the final state before the heartbeat's last word.
    await new Promise((resolve) => setImmediate(resolve));
    this.#heartbeat.stop();
    await this.history.flush();
  }

  /** Call after the machine resumes from sleep or the clock was changed. */
  wake(): void {
    this.scheduler.wake();
  }

  scheduleChanged(s: StoredSchedule): void {
    this.scheduler.plan(toPlannable(s));
  }

  scheduleDeleted(id: string): void {
    this.scheduler.unplan(id);
    for (const a of this.#active.values()) {
      if (a.run.schedule_id !== id) continue;
      a.endedBy = 'delete';
      a.handle.cancel();
    }
    this.history.deleteSchedule(id);
  }

  /** Runs in progress, oldest first (the tray lists them with Cancel). */
  activeRuns(): Run[] {
    return [...this.#active.values()].map((a) => a.run);
  }

  runningCommand(scheduleId: string): string | null {
    for (const a of this.#active.values())
      if (a.run.schedule_id === scheduleId) return a.run.command_id;
    return null;
  }

  /** Run now: works on disabled schedules; refused while a run is in progress under overlap `skip`. */
  runNow(schedule: StoredSchedule): RunStarted {
    const running = this.runningCommand(schedule.id);
    if (running !== null && schedule.overlap === 'skip') {
      throw new ApiError(
        'conflict',
        `Schedule ${schedule.id} is already running (command ${running}); its overlap is 'skip'`,
        { command_id: running },
      );
    }
    const run = this.#start(schedule, 'manual', null);
    return { command_id: run.command_id, status: 'running' };
  }

  getCommand(commandId: string): Run {
    const active = this.#active.get(commandId);
    if (active) return { ...active.run, ...active.live.snapshot() };
    const run = this.history.getByCommand(commandId);
    if (!run) throw ApiError.notFound('Command', commandId);
    return run;
  }

  cancelCommand(commandId: string): { cancelled: true } {
    const active = this.#active.get(commandId);
    if (active) {
      active.handle.cancel();
      return { cancelled: true };
    }
    const run = this.history.getByCommand(commandId);
    if (!run) throw ApiError.notFound('Command', commandId);
    throw new ApiError(
      'not_running',
      `Command ${commandId} is not running (it ended: ${run.status})`,
      {
        status: run.status,
      },
    );
  }

  lastRun(scheduleId: string): LastRun | null {
    const meta = this.history.lastFinishedMeta(scheduleId);
    if (!meta || meta.finished_at === null) return null;
    return {
      at: meta.started_at,
      exit_code: meta.exit_code,
      duration: meta.duration,
      status: meta.status,
    };
  }

  #onFire(fire: Fire): void {
    const schedule = this.#o.repo.get(fire.scheduleId);
    if (!schedule || !schedule.enabled) return;
    if (this.#o.repo.settings().paused) {
      this.#o.log.info(`schedules are paused: ${schedule.id} did not run`);
      return;
    }
    const trigger: RunTrigger = fire.trigger;
    const running = this.runningCommand(schedule.id);
    if (running !== null && schedule.overlap === 'skip') {
      this.#recordSkipped(schedule, trigger, fire.scheduledFor, running);
      return;
    }
    this.#start(schedule, trigger, fire.scheduledFor);
  }

  #recordSkipped(s: StoredSchedule, trigger: RunTrigger, scheduledFor: number, running: string) {
    const at = formatTimestamp(this.#o.clock.now());
    const run: Run = {
      ...this.#blankRun(s, trigger, scheduledFor),
      status: 'skipped',
      started_at: at,
      finished_at: at,
      duration: 0,
      stderr: `cmdop-scheduler: skipped: the previous run (command ${running}) is still running and overlap is 'skip'\n`,
    };
    this.history.append(run);
    this.#finished(run);
  }

  #blankRun(s: StoredSchedule, trigger: RunTrigger, scheduledFor: number | null): Run {
    return {
      id: newId('run'),
      started_at: formatTimestamp(this.#o.clock.now()),
      finished_at: null,
      exit_code: null,
      duration: null,
      stdout: '',
      stderr: '',
      schedule_id: s.id,
      command_id: newId('cmd'),
      trigger,
      status: 'running',
      scheduled_for: scheduledFor === null ? null : formatTimestamp(scheduledFor),
      signal: null,
      truncated: false,
    };
  }

  #start(s: StoredSchedule, trigger: RunTrigger, scheduledFor: number | null): Run {
    const run = this.#blankRun(s, trigger, scheduledFor);
    const env = { ...(this.#o.env ?? process.env), ...s.env };
    const active: ActiveRun = {
      run,
      handle: undefined as unknown as RunHandle,
      live: new LiveOutput(),
      endedBy: null,
    };
    active.handle = startRun(
      {
        command: s.command,
        cwd: s.cwd ?? this.#o.home ?? homedir(),
        env,
        timeoutMs: s.timeout,
        killGraceMs: this.#o.killGraceMs,
        onOutput: (stream, chunk) => this.#buffer(active, stream, chunk),
      },
      this.#o.clock,
    );
    this.#active.set(run.command_id, active);
    this.history.append(run);
    this.#o.events.emit({ type: 'run.started', run });
    void active.handle.done.then((outcome) => this.#complete(active, s, outcome));
    return run;
  }

  #buffer(active: ActiveRun, stream: 'stdout' | 'stderr', chunk: string) {
    active.live.push(stream, chunk);
    if (this.#flushTimer === null) {
      this.#flushTimer = this.#o.timers.setTimeout(() => {
        this.#flushTimer = null;
        for (const a of this.#active.values()) this.#flush(a);
      }, this.#o.outputFlushMs ?? OUTPUT_FLUSH_MS);
    }
  }

  #flush(active: ActiveRun) {
    const { run } = active;
    for (const { stream, offset, chunk } of active.live.drain()) {
      this.#o.events.emit({
        type: 'run.output',
        command_id: run.command_id,
        run_id: run.id,
        schedule_id: run.schedule_id,
        stream,
        offset,
        chunk,
      });
    }
  }

  #complete(active: ActiveRun, s: StoredSchedule, outcome: RunOutcome) {
    this.#flush(active);
    this.#active.delete(active.run.command_id);
    const status =
      active.endedBy === 'shutdown' && outcome.status === 'cancelled'
        ? 'interrupted'
        : outcome.status;
    const run: Run = {
      ...active.run,
      finished_at: formatTimestamp(outcome.finishedAt),
      duration: outcome.finishedAt - outcome.startedAt,
      exit_code: outcome.exitCode,
      signal: outcome.signal,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      truncated: outcome.truncated,
      status,
    };
    // A deleted schedule's history is gone; do not bring it back.
    if (active.endedBy !== 'delete' && this.#o.repo.get(s.id)) this.history.append(run);
    this.#finished(run, active.endedBy === 'delete' ? undefined : (this.#o.repo.get(s.id) ?? s));
  }

  #finished(run: Run, schedule = this.#o.repo.get(run.schedule_id)) {
    this.#o.events.emit({ type: 'run.finished', run });
    if (!schedule || !this.#o.onRunFinished) return;
    try {
      this.#o.onRunFinished(run, schedule);
    } catch (e) {
      this.#o.log.error(`notification for ${run.id} failed: ${(e as Error).message}`);
    }
  }
}
