// The engine: fires schedules (scheduler), runs them (runner), records them (history),
// and tells everyone (events, notifications). One instance owns one data directory.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ADHOC_OWNER } from '../shared/cmdop-command';
import { ApiError } from '../shared/errors';
import { nextFireTime } from '../shared/fires';
import { newRunIds } from '../shared/ids';
import { formatTimestamp, type Clock } from '../shared/time';
import type { LastRun, Run, RunStarted, RunTrigger } from '../shared/types';
import type { EventBus } from './events';
import { Heartbeat } from './heartbeat';
import { HistoryStore, type RunGroup, type RunMeta } from './history';
import { LiveOutput } from './live-output';
import type { Logger } from './log';
import { PlanCache } from './plan-cache';
import { endGroup, isRunsGroup, processStart } from './process-groups';
import { StartPlanner } from './start-plan';
import { DEFAULT_KILL_GRACE_MS, startRun, type RunHandle, type RunOutcome } from './runner';
import type { StorageHealth } from './storage-health';
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
  /** Told when history cannot be written, and when it can again. */
  health?: StorageHealth;
}

const OUTPUT_FLUSH_MS = 100;
/** How often records the disk refused are tried again, while there are any. */
export const UNWRITTEN_RETRY_MS = 10_000;

export const INTERRUPTED_NOTE = 'the app stopped while this command ran';
export const ORPHAN_ENDED_NOTE =
  'the app stopped while this command ran; its processes were still running and were ended';

interface ActiveRun {
  run: Run;
  handle: RunHandle;
  /** Its output so far (GET /v1/commands/:id) and the chunks waiting for the next flush. */
  live: LiveOutput;
  /** Set when the run ends because the app stops (interrupted) or its schedule is deleted. */
  endedBy: 'shutdown' | 'delete' | null;
}

/** A run left behind by a crash whose processes still ran: being ended, then recorded. */
interface Orphan {
  run: RunMeta;
  done: Promise<void>;
  cancel(): void;
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
  readonly #planCache: PlanCache;
  #startPlan: StartPlanner | null = null;
  readonly #active = new Map<string, ActiveRun>();
  readonly #orphans = new Map<string, Orphan>();
  /**
   * Each schedule's environment, prepared when first needed after it changed (a stored
   * schedule is replaced, never mutated): copying process.env costs ~0.1 ms a fire.
   */
  readonly #envs = new WeakMap<StoredSchedule, NodeJS.ProcessEnv>();
  #baseEnv: NodeJS.ProcessEnv | null = null;
  #flushTimer: unknown = null;
  #retryTimer: unknown = null;
  #started = false;

  constructor(options: EngineOptions) {
    this.#o = options;
    const { clock, timers, log, repo } = options;
    this.history = new HistoryStore({
      dir: join(options.dataDir, 'history'),
      clock,
      log,
      retention: () => repo.settings().history,
      health: options.health,
    });
    this.scheduler = new Scheduler({ clock, timers, log, onFire: (f) => this.#onFire(f) });
    this.#planCache = new PlanCache(options.dataDir, log);
    this.#heartbeat = new Heartbeat(options.dataDir, clock, timers, log, undefined, options.health);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const lastAlive = this.#heartbeat.read();
    const interrupted = this.history.open(lastAlive ?? this.#o.clock.now(), {
      note: INTERRUPTED_NOTE,
      keepRunning: (_run, group) => group !== null && isRunsGroup(group),
    });
    for (const run of interrupted) {
      this.#o.log.warn(`run ${run.id} of ${run.schedule_id} was interrupted: the app stopped`);
      this.#finished(run);
    }
    for (const { run, group } of this.history.stillRunning()) {
      if (group) this.#endOrphan(run, group);
    }
    this.#retryUnwrittenLater();
    const valid = this.#o.repo.all().filter((s) => this.#o.repo.error(s.id) === null);
    this.#startPlan = new StartPlanner({
      scheduler: this.scheduler,
      schedules: valid.map(toPlannable), // a broken one is shown with its error, never fired
      remembered: this.#planCache.read(),
      from: this.#o.clock.now(),
      onDone: () => {
        if (lastAlive !== null) this.scheduler.catchUp(lastAlive);
        this.#planCache.write(this.scheduler.planned());
      },
    });
    this.scheduler.start();
    this.#startPlan.run();
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
    await Promise.all([
      ...active.map((a) => a.handle.done),
      ...[...this.#orphans.values()].map((o) => o.done),
    ]);
    // Let the done-handlers record the final state before the heartbeat's last word.
    await new Promise((resolve) => setImmediate(resolve));
    this.#heartbeat.stop();
    this.#planCache.write(this.scheduler.planned());
    if (this.#retryTimer !== null) this.#o.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.history.retryUnwritten();
    await this.history.flush();
  }

  /**
   * A run of before a crash whose process group still runs: it counts as running (overlap
   * 'skip' holds, cancel works) until the group is ended; then it is recorded interrupted.
   */
  #endOrphan(run: RunMeta, group: RunGroup) {
    this.#o.log.warn(
      `run ${run.id} of ${run.schedule_id} outlived the app (process group ${group.pgid}); ending it`,
    );
    const grace = this.#o.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    let ending: Promise<void> | null = null;
    const cancel = () => (ending ??= endGroup(group.pgid, grace, this.#o.timers));
    const done = cancel().then(() => {
      this.#orphans.delete(run.command_id);
      if (!this.#keepsHistory(run.schedule_id)) return; // deleted meanwhile: its history is gone
      const ended = this.history.interrupt(run, this.#o.clock.now(), ORPHAN_ENDED_NOTE);
      this.#finished(ended);
    });
    this.#orphans.set(run.command_id, { run, done, cancel });
    void done.catch((e: unknown) => this.#o.log.error(`ending run ${run.id}: ${String(e)}`));
  }

  /** While the disk refuses history records, try again now and then; idle otherwise. */
  #retryUnwrittenLater() {
    if (this.#retryTimer !== null || this.history.unwrittenCount === 0 || !this.#started) return;
    this.#retryTimer = this.#o.timers.setTimeout(() => {
      this.#retryTimer = null;
      this.history.retryUnwritten();
      this.#retryUnwrittenLater();
    }, UNWRITTEN_RETRY_MS);
  }

  /** Call after the machine resumes from sleep or the clock was changed. */
  wake(): void {
    this.scheduler.wake();
  }

  /**
   * The planned next fire of a schedule (what the scheduler will do, computed once); null
   * when disabled, broken or never firing again.
   */
  nextRun(s: StoredSchedule): number | null {
    if (!s.enabled || this.#o.repo.error(s.id) !== null) return null;
    if (!this.scheduler.isPlanned(s.id)) {
      if (this.#startPlan && !this.#startPlan.done) this.#startPlan.ensure(s.id);
      if (!this.scheduler.isPlanned(s.id)) this.scheduleChanged(s);
    }
    const planned = this.scheduler.next(s.id);
    const now = this.#o.clock.now();
    // Already due (about to fire, or missed while asleep and not yet noticed): say what is
    // next after now, as the scheduler will once it has handled this one.
    if (planned !== null && planned <= now) return nextFireTime(s.cron, s.timezone, now);
    return planned;
  }

  scheduleChanged(s: StoredSchedule): void {
    this.#startPlan?.forget(s.id);
    try {
      this.scheduler.plan(toPlannable(s));
    } catch (e) {
      // Validation passed but planning failed (a parser gap): the others still run.
      this.scheduler.unplan(s.id);
      this.#o.log.error(`schedule ${s.id} cannot be planned: ${(e as Error).message}`);
    }
  }

  scheduleDeleted(id: string): void {
    this.#startPlan?.forget(id);
    this.scheduler.unplan(id);
    for (const a of this.#active.values()) {
      if (a.run.schedule_id !== id) continue;
      a.endedBy = 'delete';
      a.handle.cancel();
    }
    for (const o of this.#orphans.values()) if (o.run.schedule_id === id) void o.cancel();
    this.history.deleteSchedule(id);
  }

  /** Runs in progress, oldest first (the tray lists them with Cancel). */
  activeRuns(): Run[] {
    const orphans = [...this.#orphans.values()].map((o) => ({ ...o.run, stdout: '', stderr: '' }));
    return [...orphans, ...[...this.#active.values()].map((a) => a.run)];
  }

  runningCommand(scheduleId: string): string | null {
    for (const a of this.#active.values())
      if (a.run.schedule_id === scheduleId) return a.run.command_id;
    for (const o of this.#orphans.values())
      if (o.run.schedule_id === scheduleId) return o.run.command_id;
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

  /**
   * An ad-hoc command (POST /v1/commands): the same runner, output caps, start gate and
   * orphan handling as a schedule's run, recorded under ADHOC_OWNER (its `id`). No overlap
   * rule and no pause apply: as with run-now, someone asked for it at this moment.
   */
  runAdhoc(owner: StoredSchedule): Run {
    if (owner.id !== ADHOC_OWNER) throw new Error(`runAdhoc takes the ${ADHOC_OWNER} owner`);
    return this.#start(owner, 'manual', null);
  }

  /** Ad-hoc commands running now (a cap keeps a client from starting thousands). */
  adhocRunning(): number {
    let n = 0;
    for (const a of this.#active.values()) if (a.run.schedule_id === ADHOC_OWNER) n++;
    return n;
  }

  /** Whether a run of this owner is recorded: its schedule exists, or it is ad-hoc. */
  #keepsHistory(scheduleId: string): boolean {
    return scheduleId === ADHOC_OWNER || this.#o.repo.get(scheduleId) !== undefined;
  }

  getCommand(commandId: string): Run {
    const active = this.#active.get(commandId);
    if (active) return { ...active.run, ...active.live.snapshot() };
    const orphan = this.#orphans.get(commandId);
    if (orphan) return { ...orphan.run, stdout: '', stderr: '' };
    const run = this.history.getByCommand(commandId);
    if (!run) throw ApiError.notFound('Command', commandId);
    return run;
  }

  cancelCommand(commandId: string): { cancelled: true } {
    const active = this.#active.get(commandId) ?? this.#orphans.get(commandId);
    if (active) {
      if ('handle' in active) active.handle.cancel();
      else void active.cancel();
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
      ...newRunIds(),
      started_at: formatTimestamp(this.#o.clock.now()),
      finished_at: null,
      exit_code: null,
      duration: null,
      stdout: '',
      stderr: '',
      schedule_id: s.id,
      trigger,
      status: 'running',
      scheduled_for: scheduledFor === null ? null : formatTimestamp(scheduledFor),
      signal: null,
      truncated: false,
      // An ad-hoc command has no schedule to say what ran: its run records it.
      ...(s.id === ADHOC_OWNER ? { command: s.command } : {}),
    };
  }

  #start(s: StoredSchedule, trigger: RunTrigger, scheduledFor: number | null): Run {
    const run = this.#blankRun(s, trigger, scheduledFor);
    const env = this.#environment(s);
    const active: ActiveRun = {
      run,
      handle: undefined as unknown as RunHandle,
      live: new LiveOutput(),
      endedBy: null,
    };
    let recorded = false;
    active.handle = startRun(
      {
        command: s.command,
        cwd: s.cwd ?? this.#o.home ?? homedir(),
        env,
        timeoutMs: s.timeout,
        killGraceMs: this.#o.killGraceMs,
        onOutput: (stream, chunk) => this.#buffer(active, stream, chunk),
        // Recorded before the command may start: after a crash, its group is found again.
        onSpawned: (pgid) => {
          try {
            this.history.append(run, { pgid, start: processStart(pgid) });
            recorded = true;
          } catch (e) {
            this.#o.log.error(`recording run ${run.id} failed: ${(e as Error).message}`);
          }
        },
      },
      this.#o.clock,
    );
    this.#active.set(run.command_id, active);
    if (!recorded) this.history.append(run);
    this.#retryUnwrittenLater();
    this.#o.events.emit({ type: 'run.started', run });
    void active.handle.done
      .then((outcome) => this.#complete(active, s, outcome))
      .catch((e: unknown) => {
        // A bug while recording the end must not take the engine down with it.
        this.#active.delete(run.command_id);
        this.#o.log.error(
          `recording the end of run ${run.id} failed: ${(e as Error).stack ?? String(e)}`,
        );
      });
    return run;
  }

  #environment(s: StoredSchedule): NodeJS.ProcessEnv {
    let env = this.#envs.get(s);
    if (!env) {
      this.#baseEnv ??= { ...(this.#o.env ?? process.env) };
      env = { ...this.#baseEnv, ...s.env };
      this.#envs.set(s, env);
    }
    return env;
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
    if (active.endedBy !== 'delete' && this.#keepsHistory(s.id)) this.history.append(run);
    this.#retryUnwrittenLater();
    // No schedule, no notification: a deleted one's, or an ad-hoc command's (whoever ran it
    // has the answer).
    const silent = active.endedBy === 'delete' || s.id === ADHOC_OWNER;
    this.#finished(run, silent ? undefined : (this.#o.repo.get(s.id) ?? s));
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
