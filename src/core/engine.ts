// The engine: fires schedules (scheduler), runs them (runner), records them (history),
// and tells everyone (events, notifications). One instance owns one data directory.
import { join } from 'node:path';
import { ADHOC_OWNER } from '../shared/cmdop-command';
import { ApiError } from '../shared/errors';
import { formatTimestamp, type Clock } from '../shared/time';
import type { LastRun, Run, RunStarted, RunTrigger } from '../shared/types';
import type { EventBus } from './events';
import type { FireDecision } from './fire-decisions';
import { Heartbeat } from './heartbeat';
import { HistoryStore } from './history';
import { Launcher, type EndedBy } from './launcher';
import type { Logger } from './log';
import { PlanCache } from './plan-cache';
import { toPlannable } from './plannable';
import type { PowerSource } from './power';
import { isRunsGroup } from './process-groups';
import { Orphans } from './orphans';
import { StartPlanner } from './start-plan';
import { DEFAULT_KILL_GRACE_MS } from './runner';
import { RunPolicies } from './run-policies';
import { skippedRun, type Attempt } from './run-records';
import type { StorageHealth } from './storage-health';
import { nextDue, Scheduler, type Fire, type Missed, type Timers } from './scheduler';
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
  /** Every decision about a planned fire or a retry (the decision log hooks in here). */
  onDecision?: (d: FireDecision) => void;
  /** Fires found long past while running (asleep, a clock jump): for the decision log. */
  onMissed?: (m: Missed) => void;
}
/** How often records the disk refused are tried again, while there are any. */
export const UNWRITTEN_RETRY_MS = 10_000;

export const INTERRUPTED_NOTE = 'the app stopped while this command ran';
export const ORPHAN_ENDED_NOTE =
  'the app stopped while this command ran; its processes were still running and were ended';

export class Engine {
  readonly history: HistoryStore;
  readonly scheduler: Scheduler;
  /** Pauses, battery power and retries around each fire. */
  readonly policies: RunPolicies;
  readonly #o: EngineOptions;
  readonly #heartbeat: Heartbeat;
  readonly #planCache: PlanCache;
  #startPlan: StartPlanner | null = null;
  readonly #launcher: Launcher;
  /** Runs left behind by a crash whose processes still ran: being ended, then recorded. */
  readonly #orphans: Orphans;
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
    this.scheduler = new Scheduler({
      clock,
      timers,
      log,
      onFire: (f) => this.#onFire(f),
      onMissed: options.onMissed,
    });
    this.#planCache = new PlanCache(options.dataDir, log);
    this.#heartbeat = new Heartbeat(options.dataDir, clock, timers, log, undefined, options.health);
    this.#orphans = new Orphans(timers, log, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    this.#launcher = new Launcher({
      clock,
      timers,
      log,
      events: options.events,
      history: this.history,
      env: options.env,
      home: options.home,
      killGraceMs: options.killGraceMs,
      outputFlushMs: options.outputFlushMs,
      onEnd: (run, s, endedBy) => this.#ended(run, s, endedBy),
    });
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
        start: (s, trigger, at, chain) => this.#start(s, trigger, at, chain),
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
        if (!this.#keepsHistory(orphan.schedule_id)) return; // deleted meanwhile: history gone
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
    await Promise.all([this.#launcher.stop(running), ...this.#orphans.done()]);
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
    // next after now, as the scheduler will once it has handled this one. A planned fire
    // still to come is the first due after now, so nextDue would give the same: asking it
    // for every planned fire (the `||` mutant) cannot be told apart.
    // Stryker disable next-line LogicalOperator: see above
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
    this.#launcher.cancelSchedule(id);
    // Its runs that outlived the app are being ended already (Orphans.end): nothing to cancel.
    this.history.deleteSchedule(id);
  }

  /** Runs in progress, oldest first (the tray lists them with Cancel). */
  activeRuns(): Run[] {
    return [...this.#orphans.runs(), ...this.#launcher.runs()];
  }

  runningCommand(scheduleId: string): string | null {
    return this.#launcher.commandOf(scheduleId) ?? this.#orphans.commandOf(scheduleId);
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

  /**
   * An ad-hoc command (POST /v1/commands): the same runner, output caps, start gate and
   * orphan handling as a schedule's run, recorded under ADHOC_OWNER (its `id`). No overlap
   * rule and no pause apply: as with run-now, someone asked for it at this moment.
   */
  runAdhoc(owner: StoredSchedule): Run {
    if (owner.id !== ADHOC_OWNER) throw new Error(`runAdhoc takes the ${ADHOC_OWNER} owner`);
    return this.#start(owner, 'manual', null, null);
  }

  /** Ad-hoc commands running now (a cap keeps a client from starting thousands). */
  adhocRunning(): number {
    return this.#launcher.runs().filter((r) => r.schedule_id === ADHOC_OWNER).length;
  }

  /** Whether a run of this owner is recorded: its schedule exists, or it is ad-hoc. */
  #keepsHistory(scheduleId: string): boolean {
    return scheduleId === ADHOC_OWNER || this.#o.repo.get(scheduleId) !== undefined;
  }

  getCommand(commandId: string): Run {
    const running = this.#launcher.get(commandId) ?? this.#orphans.get(commandId);
    if (running) return running;
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
    if (
      this.#launcher.cancel(commandId) ||
      this.#orphans.cancel(commandId) ||
      this.policies.cancelRetry(commandId)
    ) {
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
    const run = this.#launcher.start(s, trigger, scheduledFor, chain);
    this.#retryUnwrittenLater();
    return run;
  }

  #ended(run: Run, s: StoredSchedule, endedBy: EndedBy) {
    // A deleted schedule's history is gone; do not bring it back.
    if (endedBy !== 'delete' && this.#keepsHistory(s.id)) this.history.append(run);
    const current = endedBy === 'delete' ? undefined : this.#o.repo.get(s.id);
    this.#retryUnwrittenLater();
    // A failure with a retry to come is not the end: the notice waits for the last attempt.
    const retryAt = endedBy === null ? this.policies.ended(run, current) : null;
    if (retryAt !== null) {
      const next_retry_at = formatTimestamp(retryAt);
      this.#o.events.emit({ type: 'run.finished', run: { ...run, next_retry_at } });
      return;
    }
    // No schedule, no notification: a deleted one's, or an ad-hoc command's (whoever ran it
    // has the answer).
    const silent = endedBy === 'delete' || s.id === ADHOC_OWNER;
    this.#finished(run, silent ? undefined : (current ?? s));
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
