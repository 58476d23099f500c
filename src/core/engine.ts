// The engine: fires schedules (scheduler), runs them (runner), records them (history),
// and tells everyone (events, notifications). One instance owns one data directory.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../shared/errors';
import { formatTimestamp, type Clock } from '../shared/time';
import type { LastRun, Run, RunStarted, RunTrigger } from '../shared/types';
import { runEnvironment } from './environment';
import type { EventBus } from './events';
import type { FireDecision } from './fire-decisions';
import { Heartbeat } from './heartbeat';
import { HistoryStore } from './history';
import { LiveFeed, type LiveRun } from './live-feed';
import { LiveOutput } from './live-output';
import type { Logger } from './log';
import { PlanCache } from './plan-cache';
import { toPlannable } from './plannable';
import type { PowerSource } from './power';
import { isRunsGroup, processStart } from './process-groups';
import { Orphans } from './orphans';
import { StartPlanner } from './start-plan';
import {
  DEFAULT_KILL_GRACE_MS,
  failedToStart,
  startRun,
  type RunHandle,
  type RunOutcome,
} from './runner';
import { RunPolicies } from './run-policies';
import { newRun, skippedRun, type Attempt } from './run-records';
import type { StorageHealth } from './storage-health';
import { nextDue, Scheduler, type Fire, type Timers } from './scheduler';
import type { ScheduleRepository, StoredSchedule } from './schedules';

export { toPlannable } from './plannable';

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
  /** Battery or AC, for run_on_battery; default /sys/class/power_supply. */
  power?: PowerSource;
  /** Every decision about a planned fire or a retry (a decision log hooks in here). */
  onDecision?: (d: FireDecision) => void;
}
/** How often records the disk refused are tried again, while there are any. */
export const UNWRITTEN_RETRY_MS = 10_000;

export const INTERRUPTED_NOTE = 'the app stopped while this command ran';
export const ORPHAN_ENDED_NOTE =
  'the app stopped while this command ran; its processes were still running and were ended';

interface ActiveRun extends LiveRun {
  handle: RunHandle;
  /** Set when the run ends because the app stops (interrupted) or its schedule is deleted. */
  endedBy: 'shutdown' | 'delete' | null;
}

export class Engine {
  readonly history: HistoryStore;
  readonly scheduler: Scheduler;
  /** Pauses, battery power and retries around each fire. */
  readonly policies: RunPolicies;
  readonly #o: EngineOptions;
  readonly #heartbeat: Heartbeat;
  readonly #planCache: PlanCache;
  #startPlan: StartPlanner | null = null;
  readonly #active = new Map<string, ActiveRun>();
  /** Runs left behind by a crash whose processes still ran: being ended, then recorded. */
  readonly #orphans: Orphans;
  readonly #live: LiveFeed;
  /** The app's environment, copied once: process.env is an interceptor, slow to copy. */
  #baseEnv: NodeJS.ProcessEnv | null = null;
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
    this.#orphans = new Orphans(timers, log, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    this.#live = new LiveFeed(
      options.events,
      timers,
      () => this.#active.values(),
      options.outputFlushMs,
    );
    this.policies = new RunPolicies({
      dataDir: options.dataDir,
      repo,
      clock,
      timers,
      log,
      health: options.health,
      power: options.power,
      onDecision: options.onDecision,
      engine: {
        start: (s, trigger, at, chain) => void this.#start(s, trigger, at, chain),
        skip: (s, trigger, at, message, chain) =>
          this.#recordSkipped(s, trigger, at, message, chain),
        runningCommand: (id) => this.runningCommand(id),
        finalFailure: (commandId) => this.#finalFailure(commandId),
      },
    });
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
      if (!group) continue;
      this.#orphans.end(run, group, (orphan) => {
        if (!this.#o.repo.get(orphan.schedule_id)) return; // deleted meanwhile: history gone
        this.#finished(this.history.interrupt(orphan, this.#o.clock.now(), ORPHAN_ENDED_NOTE));
      });
    }
    this.#retryUnwrittenLater();
    const valid = this.#o.repo.all().filter((s) => this.#o.repo.error(s.id) === null);
    this.#startPlan = new StartPlanner({
      scheduler: this.scheduler,
      schedules: valid.map(toPlannable), // a broken one is shown with its error, never fired
      remembered: this.#planCache.read(),
      from: this.#o.clock.now(),
      onDone: (computed) => {
        if (lastAlive !== null) this.scheduler.catchUp(lastAlive);
        // Nothing new to remember when every fire was remembered already.
        if (computed > 0) this.#planCache.write(this.scheduler.planned());
      },
    });
    // Before the first fire: held fires and pending retries are loaded, the power is known.
    this.policies.start();
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
    await Promise.all([...active.map((a) => a.handle.done), ...this.#orphans.done()]);
    // Let the done-handlers record the final state before the heartbeat's last word.
    await new Promise((resolve) => setImmediate(resolve));
    this.policies.stop();
    this.#heartbeat.stop();
    this.#planCache.write(this.scheduler.planned());
    if (this.#retryTimer !== null) this.#o.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.history.retryUnwritten();
    await this.history.flush();
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
    this.policies.wake();
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
    const next = planned !== null && planned <= now ? nextDue(toPlannable(s), now) : planned;
    return this.policies.nextRun(s, next);
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
    this.policies.scheduleChanged(s);
  }

  scheduleDeleted(id: string): void {
    this.#startPlan?.forget(id);
    this.scheduler.unplan(id);
    this.policies.scheduleDeleted(id);
    for (const a of this.#active.values()) {
      if (a.run.schedule_id !== id) continue;
      a.endedBy = 'delete';
      a.handle.cancel();
    }
    this.#orphans.cancelSchedule(id);
    this.history.deleteSchedule(id);
  }

  /** Runs in progress, oldest first (the tray lists them with Cancel). */
  activeRuns(): Run[] {
    return [...this.#orphans.runs(), ...[...this.#active.values()].map((a) => a.run)];
  }

  runningCommand(scheduleId: string): string | null {
    for (const a of this.#active.values())
      if (a.run.schedule_id === scheduleId) return a.run.command_id;
    return this.#orphans.commandOf(scheduleId);
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
    const run = this.#start(schedule, 'manual', null, null);
    return { command_id: run.command_id, status: 'running' };
  }

  getCommand(commandId: string): Run {
    const active = this.#active.get(commandId);
    if (active) return { ...active.run, ...active.live.snapshot() };
    const orphan = this.#orphans.get(commandId);
    if (orphan) return orphan;
    const run = this.history.getByCommand(commandId);
    if (!run) throw ApiError.notFound('Command', commandId);
    return this.withRetry(run);
  }

  /** A recorded run with `next_retry_at`: set while the retry after it waits. */
  withRetry(run: Run): Run {
    const at = this.policies.retryAfter(run.command_id);
    return { ...run, next_retry_at: at === null ? null : formatTimestamp(at) };
  }

  /**
   * Cancels a run, or the retries of a failed one: any command of a chain of attempts
   * stops the chain (the attempt running now, or the retry waiting).
   */
  cancelCommand(commandId: string): { cancelled: true } {
    const active =
      this.#active.get(commandId) ??
      [...this.#active.values()].find((a) => a.run.retry_of === commandId);
    active?.handle.cancel();
    if (active || this.#orphans.cancel(commandId) || this.policies.cancelRetry(commandId)) {
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
    // Pauses, battery power and overlap decide whether it runs (run-policies.ts).
    this.policies.fire(schedule, fire.trigger, fire.scheduledFor);
  }

  #recordSkipped(
    s: StoredSchedule,
    trigger: RunTrigger,
    scheduledFor: number | null,
    why: string,
    chain: Attempt | null,
  ) {
    const run = skippedRun(
      { scheduleId: s.id, trigger, scheduledFor, chain, now: this.#o.clock.now() },
      why,
    );
    this.history.append(run);
    this.#finished(run);
  }

  /** A failed run whose retry did not happen after all is its chain's last: notify now. */
  #finalFailure(commandId: string) {
    const run = this.history.getByCommand(commandId);
    const schedule = run && this.#o.repo.get(run.schedule_id);
    if (run && schedule) this.#notify(run, schedule);
  }

  #start(
    s: StoredSchedule,
    trigger: RunTrigger,
    scheduledFor: number | null,
    chain: Attempt | null,
  ): Run {
    this.policies.starting(s.id, chain);
    const run = newRun({
      scheduleId: s.id,
      trigger,
      scheduledFor,
      chain,
      now: this.#o.clock.now(),
    });
    this.#baseEnv ??= { ...(this.#o.env ?? process.env) };
    const how = runEnvironment(s, this.#baseEnv);
    run.shell = how.label;
    run.env_file = how.envFile;
    const active: ActiveRun = {
      run,
      live: new LiveOutput(),
      handle: undefined as unknown as RunHandle,
      endedBy: null,
    };
    let recorded = false;
    // An env file that cannot be read fails the run with its reason in stderr.
    active.handle = how.problem
      ? failedToStart(how.problem, this.#o.clock.now(), this.#o.clock)
      : startRun(
          {
            command: s.command,
            cwd: s.cwd ?? this.#o.home ?? homedir(),
            env: how.env,
            shell: how.shell,
            timeoutMs: s.timeout,
            killGraceMs: this.#o.killGraceMs,
            onOutput: (stream, chunk) => this.#live.push(active, stream, chunk),
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

  #complete(active: ActiveRun, s: StoredSchedule, outcome: RunOutcome) {
    this.#live.flush(active);
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
    const current = active.endedBy === 'delete' ? undefined : this.#o.repo.get(s.id);
    if (current) this.history.append(run);
    this.#retryUnwrittenLater();
    // A failure with a retry to come is not the end: the notice waits for the last attempt.
    const retryAt = active.endedBy === null ? this.policies.ended(run, current) : null;
    if (retryAt !== null) {
      const next_retry_at = formatTimestamp(retryAt);
      this.#o.events.emit({ type: 'run.finished', run: { ...run, next_retry_at } });
      return;
    }
    this.#finished(run, active.endedBy === 'delete' ? undefined : (current ?? s));
  }

  #finished(run: Run, schedule = this.#o.repo.get(run.schedule_id)) {
    this.#o.events.emit({ type: 'run.finished', run });
    if (schedule) this.#notify(run, schedule);
  }

  #notify(run: Run, schedule: StoredSchedule) {
    if (!this.#o.onRunFinished) return;
    try {
      this.#o.onRunFinished(run, schedule);
    } catch (e) {
      this.#o.log.error(`notification for ${run.id} failed: ${(e as Error).message}`);
    }
  }
}
