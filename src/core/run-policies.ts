// The run policies around the engine's fire → run path: timed pauses, battery power,
// retries, and the catch-up of fires they held back. The engine asks here whether a fire
// runs, tells here when a run starts and ends, and is called back to start or skip runs;
// every verdict goes through one DecisionRecorder (see fire-decisions.ts).
import { formatTimestamp, parseTimestamp, type Clock } from '../shared/time';
import type { Run, RunTrigger } from '../shared/types';
import { decide, DecisionRecorder, type FireDecision, type Verdict } from './fire-decisions';
import { HeldFires, type HeldFire } from './held-fires';
import type { Logger } from './log';
import type { Attempt } from './run-records';
import { globalPause, PauseWatch, resumesAt, schedulePause, unpausedNext } from './pause';
import { toPlannable } from './plannable';
import { PowerWatch, sysfsPower, type PowerSource } from './power';
import { RetryQueue, retryWait, type PendingRetry } from './retries';
import { nextDue } from './scheduler';
import type { ScheduleRepository, StoredSchedule } from './schedules';
import type { StorageHealth } from './storage-health';
import type { Timers } from './timers';

/** What the policies need the engine to do. */
export interface PolicyEngine {
  /** Starts a run; the run is returned so the decision can name it. */
  start(
    s: StoredSchedule,
    trigger: RunTrigger,
    scheduledFor: number | null,
    chain: Attempt | null,
  ): Run | void;
  skip(
    s: StoredSchedule,
    trigger: RunTrigger,
    scheduledFor: number | null,
    message: string,
    chain: Attempt | null,
  ): void;
  runningCommand(scheduleId: string): string | null;
  /** A failed run turned out to be its chain's last (its retry did not happen): notify now. */
  finalFailure(commandId: string): void;
}

export interface RunPoliciesOptions {
  dataDir: string;
  repo: ScheduleRepository;
  clock: Clock;
  timers: Timers;
  log: Logger;
  health?: StorageHealth;
  /** Default: /sys/class/power_supply. */
  power?: PowerSource;
  /** Every decision about a planned fire or a retry (the decision log hooks in here). */
  onDecision?: (d: FireDecision) => void;
  engine: PolicyEngine;
}

const RETRIED: ReadonlySet<string> = new Set(['failure', 'timeout']);

export class RunPolicies {
  readonly #o: RunPoliciesOptions;
  readonly #retries: RetryQueue;
  readonly #held: HeldFires;
  readonly #pauses: PauseWatch;
  readonly #power: PowerWatch;
  readonly #decisions: DecisionRecorder;
  readonly #settingsListeners = new Set<() => void>();
  /** The future ends of schedules' own pauses, kept as they change (there may be 10,000). */
  readonly #ownPauses = new Map<string, number>();

  constructor(options: RunPoliciesOptions) {
    this.#o = options;
    const { dataDir, clock, timers, log, health } = options;
    this.#decisions = new DecisionRecorder(log, options.onDecision);
    this.#retries = new RetryQueue({
      dataDir,
      clock,
      timers,
      log,
      health,
      onDue: (r) => this.#retryDue(r),
    });
    this.#held = new HeldFires({ dataDir, log, timers, health });
    this.#pauses = new PauseWatch({
      clock,
      timers,
      log,
      ends: () => this.#pauseEnds(),
      onEnded: (key) => this.#pauseEnded(key),
    });
    this.#power = new PowerWatch(options.power ?? sysfsPower(), timers, log, () =>
      this.#release(this.#held.release('battery')),
    );
  }

  start(): void {
    for (const s of this.#o.repo.all()) this.#notePause(s);
    this.#held.load();
    this.#retries.start();
    this.#power.start();
    this.#power.wait(this.#held.has('battery'));
    this.#pauses.start();
  }

  stop(): void {
    this.#pauses.stop();
    this.#power.stop();
    this.#retries.stop();
    this.#held.close();
  }

  /** A settings change outside the API (a timed pause ended): for SettingsService's event. */
  onSettingsChanged(listener: () => void): () => void {
    this.#settingsListeners.add(listener);
    return () => this.#settingsListeners.delete(listener);
  }

  /** The global pause as it stands now (an ended timed pause is no pause). */
  globalPause(): { paused: boolean; paused_until: string | null } {
    const p = globalPause(this.#o.repo.settings(), this.#o.clock.now());
    return {
      paused: p.paused,
      paused_until: p.paused && p.until !== null ? formatTimestamp(p.until) : null,
    };
  }

  /** A planned fire: it runs, is recorded as skipped, or does not run (held if it catches up). */
  fire(s: StoredSchedule, trigger: RunTrigger, scheduledFor: number): void {
    const verdict = this.#verdict(s, trigger);
    // Stryker disable next-line StringLiteral: a fire's chain is only read for its attempt
    const chain = { attempt: 1, retry_of: '' };
    if (verdict.outcome === 'run') {
      const run = this.#o.engine.start(s, trigger, scheduledFor, null);
      this.#record(s, trigger, scheduledFor, chain, verdict, run);
      return;
    }
    this.#record(s, trigger, scheduledFor, chain, verdict);
    if (verdict.outcome === 'skipped') {
      this.#o.engine.skip(s, trigger, scheduledFor, verdict.message, null);
    }
    const by =
      verdict.reason === 'on_battery' ? 'battery' : verdict.reason === 'overlap' ? null : 'pause';
    if (by !== null && s.catch_up) {
      this.#held.hold({ schedule_id: s.id, by, scheduled_for: scheduledFor });
      if (by === 'battery') this.#power.wait(true);
    }
  }

  /** Any run of the schedule is starting: a pending retry of another chain gives way to it. */
  starting(scheduleId: string, chain: Attempt | null): void {
    const pending = this.#retries.forSchedule(scheduleId);
    if (!pending || chain?.retry_of === pending.retry_of) return;
    this.#retries.remove(scheduleId);
    this.#recordRetry(pending, 'retry_superseded', 'a newer run of the schedule started');
    this.#o.engine.finalFailure(pending.after);
  }

  /** A run ended: when it is retried (ms), or null when it was its chain's last attempt. */
  ended(run: Run, s: StoredSchedule | undefined): number | null {
    if (!s || !RETRIED.has(run.status) || run.attempt >= s.retries + 1) return null;
    const at = this.#o.clock.now() + retryWait(s, run.attempt);
    const replaced = this.#retries.add({
      schedule_id: s.id,
      after: run.command_id,
      retry_of: run.retry_of ?? run.command_id,
      attempt: run.attempt + 1,
      at,
      trigger: run.trigger,
      scheduled_for: run.scheduled_for,
    });
    if (replaced && replaced.retry_of !== (run.retry_of ?? run.command_id)) {
      this.#o.engine.finalFailure(replaced.after);
    }
    return at;
  }

  /** Cancels the retry waiting after this command (any attempt of its chain); false if none. */
  cancelRetry(commandId: string): boolean {
    const pending = this.#retries.forCommand(commandId);
    if (!pending) return false;
    this.#retries.remove(pending.schedule_id);
    this.#recordRetry(pending, 'retry_cancelled', `cancelled (command ${commandId})`);
    return true;
  }

  /** The retry waiting for a schedule, if any. */
  pendingRetry(scheduleId: string): PendingRetry | undefined {
    return this.#retries.forSchedule(scheduleId);
  }

  /** When the retry after this (failed) command runs, or null. */
  retryAfter(commandId: string): number | null {
    const pending = this.#retries.forCommand(commandId);
    return pending && pending.after === commandId ? pending.at : null;
  }

  /** `next_run` under the pauses in force: later, or null while paused until resumed. */
  nextRun(s: StoredSchedule, planned: number | null): number | null {
    return unpausedNext(planned, this.resumesAt(s), (from) => nextDue(toPlannable(s), from));
  }

  /**
   * When the schedule's fires run again under the pauses in force (global and its own): now
   * when not paused, the end of the pause, or null while paused until resumed. A fire
   * before it does not run; one exactly at it does. `now` is the caller's when it compares
   * the answer with its own reading of the clock (a tick between two reads is a pause).
   */
  resumesAt(s: StoredSchedule, now = this.#o.clock.now()): number | null {
    return resumesAt([globalPause(this.#o.repo.settings(), now), schedulePause(s, now)], now);
  }

  scheduleChanged(s: StoredSchedule): void {
    if (this.#notePause(s)) this.#pauses.refresh();
    if (!s.enabled) {
      const pending = this.#retries.remove(s.id);
      if (pending) this.#recordRetry(pending, 'retry_cancelled', 'the schedule was disabled');
    }
    const held = this.#held.peek(s.id);
    if (held && (!s.enabled || !s.catch_up)) this.#held.take(s.id);
    // Lifting a schedule's pause by hand ends it as its instant would have.
    else if (held?.by === 'pause' && !this.#paused(s)) {
      this.#held.take(s.id);
      this.#release([held]);
    }
    this.#power.wait(this.#held.has('battery'));
  }

  scheduleDeleted(id: string): void {
    this.#retries.remove(id);
    this.#held.take(id);
    // A refresh more recomputes the same wake-up; one less leaves a wake-up at the old end
    // that finds nothing to release (the held fire was taken just above).
    // Stryker disable next-line ConditionalExpression: see above, no one can tell
    if (this.#ownPauses.delete(id)) this.#pauses.refresh();
    this.#power.wait(this.#held.has('battery'));
  }

  /** The settings changed through the API: a pause may have been set, moved or lifted. */
  settingsChanged(): void {
    this.#pauses.refresh();
    if (!this.globalPause().paused) this.#release(this.#held.release('pause'));
  }

  /** After a resume from sleep: the power may have changed meanwhile. */
  wake(): void {
    this.#power.check();
  }

  #paused(s: StoredSchedule): boolean {
    const now = this.#o.clock.now();
    return globalPause(this.#o.repo.settings(), now).paused || schedulePause(s, now).paused;
  }

  #verdict(s: StoredSchedule, trigger: RunTrigger): Verdict {
    const now = this.#o.clock.now();
    return decide({
      trigger,
      global: globalPause(this.#o.repo.settings(), now),
      own: schedulePause(s, now),
      runOnBattery: s.run_on_battery,
      onBattery: () => this.#power.onBattery(),
      overlap: s.overlap,
      running: this.#o.engine.runningCommand(s.id),
    });
  }

  #record(
    s: StoredSchedule,
    trigger: RunTrigger,
    scheduledFor: number | null,
    chain: Attempt,
    v: Verdict,
    run?: Run | void,
  ) {
    this.#decisions.record({
      ...(run ? { run_id: run.id, command_id: run.command_id } : {}),
      ...(v.command ? { running_command_id: v.command } : {}),
      schedule_id: s.id,
      scheduled_for: scheduledFor === null ? null : formatTimestamp(scheduledFor),
      trigger,
      attempt: chain.attempt,
      attempts: s.retries + 1,
      at: formatTimestamp(this.#o.clock.now()),
      outcome: v.outcome,
      reason: v.outcome === 'run' ? null : v.reason,
      message: v.outcome === 'run' ? 'runs' : v.message,
    });
  }

  #recordRetry(r: PendingRetry, reason: 'retry_superseded' | 'retry_cancelled', message: string) {
    const s = this.#o.repo.get(r.schedule_id);
    this.#decisions.record({
      schedule_id: r.schedule_id,
      scheduled_for: r.scheduled_for,
      trigger: r.trigger,
      attempt: r.attempt,
      attempts: (s?.retries ?? 0) + 1,
      at: formatTimestamp(this.#o.clock.now()),
      outcome: 'not_run',
      reason,
      message,
    });
  }

  #retryDue(r: PendingRetry) {
    const s = this.#o.repo.get(r.schedule_id);
    if (!s || this.#o.repo.error(s.id) !== null) return;
    const scheduledFor = r.scheduled_for === null ? null : parseTimestamp(r.scheduled_for);
    const chain = { attempt: r.attempt, retry_of: r.retry_of };
    if (r.attempt > s.retries + 1) {
      // The schedule was edited to retry less: this chain is over.
      this.#o.engine.finalFailure(r.after);
      return;
    }
    const verdict = this.#verdict(s, r.trigger);
    if (verdict.outcome === 'run') {
      const run = this.#o.engine.start(s, r.trigger, scheduledFor, chain);
      this.#record(s, r.trigger, scheduledFor, chain, verdict, run);
      return;
    }
    this.#record(s, r.trigger, scheduledFor, chain, verdict);
    if (verdict.outcome === 'skipped') {
      this.#o.engine.skip(s, r.trigger, scheduledFor, verdict.message, chain);
    }
    // A retry is not held for later: the failure it follows is reported now.
    this.#o.engine.finalFailure(r.after);
  }

  /**
   * Records a schedule's pause end; true when that changed what PauseWatch waits for. A true
   * too many only costs a refresh that computes the same wake-up (the two `=> false` mutants
   * of the conditions below survive for that reason; their `=> true` twins are killed, so
   * the lines cannot be marked).
   */
  #notePause(s: StoredSchedule): boolean {
    const own = schedulePause(s, this.#o.clock.now());
    const until = own.paused ? own.until : null;
    if (until === null) return this.#ownPauses.delete(s.id);
    // Stryker disable next-line BooleanLiteral: a refresh more computes the same wake-up
    if (this.#ownPauses.get(s.id) === until) return false;
    this.#ownPauses.set(s.id, until);
    return true;
  }

  #pauseEnds(): Map<string, number> {
    const now = this.#o.clock.now();
    const ends = new Map<string, number>();
    const g = globalPause(this.#o.repo.settings(), now);
    if (g.paused && g.until !== null) ends.set('', g.until);
    for (const [id, until] of this.#ownPauses) {
      if (until > now) ends.set(id, until);
      else this.#ownPauses.delete(id);
    }
    return ends;
  }

  #pauseEnded(key: string) {
    if (key !== '') {
      const held = this.#held.take(key);
      // Releasing nothing would only re-state the power watch (`held` => true survives).
      if (held) this.#release([held]);
      return;
    }
    // The settings stop saying "paused"; if the disk refuses, globalPause() already says not.
    const settings = this.#o.repo.settings();
    try {
      this.#o.repo.updateSettings({ ...settings, paused: false, paused_until: null });
    } catch (e) {
      this.#o.log.warn(
        `the pause ended but the settings could not be saved: ${(e as Error).message}`,
      );
    }
    this.#o.log.info('the timed pause of all schedules ended');
    for (const listener of this.#settingsListeners) listener();
    this.#release(this.#held.release('pause'));
  }

  /** Held fires run once now, each as a catch-up; one still held by something waits again. */
  #release(held: HeldFire[]) {
    for (const h of held) {
      const s = this.#o.repo.get(h.schedule_id);
      if (!s || !s.enabled || !s.catch_up || this.#o.repo.error(s.id) !== null) continue;
      this.fire(s, 'catch_up', h.scheduled_for);
    }
    this.#power.wait(this.#held.has('battery'));
  }
}
