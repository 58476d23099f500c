// @ts-nocheck
// 
// The commands running now: starts each (its environment, shell and process group), streams
// its output live, and turns its end into the finished run record. What happens next (a
// retry, a notice) is the engine's call, told through `onEnd`.
import { homedir } from 'node:os';
import { ADHOC_OWNER } from '../shared/cmdop-command';
import { formatTimestamp, type Clock } from '../shared/time';
import type { Run, RunTrigger } from '../shared/types';
import { runEnvironment } from './environment';
import type { EventBus } from './events';
import type { HistoryStore } from './history';
import { LiveFeed, type LiveRun } from './live-feed';
import { LiveOutput } from './live-output';
import type { Logger } from './log';
import { processStart } from './process-groups';
import { failedToStart, startRun, type RunHandle } from './runner';
import { newRun, type Attempt } from './run-records';
import type { StoredSchedule } from './schedules';
import type { Timers } from './timers';

/** Why a run ended early: the app stops (recorded as interrupted) or its schedule is deleted. */
export type EndedBy = 'shutdown' | 'delete' | null;

interface ActiveRun extends LiveRun {
  handle: RunHandle;
  endedBy: EndedBy;
}

export interface LauncherOptions {
  clock: Clock;
  timers: Timers;
  events: EventBus;
  log: Logger;
  history: HistoryStore;
  /** The environment commands start from; default process.env. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  killGraceMs?: number;
  outputFlushMs?: number;
  /** A run ended and its record is complete (not yet written: the engine decides). */
  onEnd: (run: Run, schedule: StoredSchedule, endedBy: EndedBy) => void;
}

export class Launcher {
  readonly #o: LauncherOptions;
  readonly #active = new Map<string, ActiveRun>();
  readonly #live: LiveFeed;
  /** The app's environment, copied once: process.env is an interceptor, slow to copy. */
  #baseEnv: NodeJS.ProcessEnv | null = null;

  constructor(options: LauncherOptions) {
    this.#o = options;
    this.#live = new LiveFeed(
      options.events,
      options.timers,
      () => this.#active.values(),
      options.outputFlushMs,
    );
  }

  /** Runs in progress, oldest first. */
  runs(): Run[] {
    return [...this.#active.values()].map((a) => a.run);
  }

  commandOf(scheduleId: string): string | null {
    for (const a of this.#active.values())
      if (a.run.schedule_id === scheduleId) return a.run.command_id;
    return null;
  }

  /** A running command with its output so far. */
  get(commandId: string): Run | undefined {
    const a = this.#active.get(commandId);
    return a && { ...a.run, ...a.live.snapshot() };
  }

  /** Cancels the command, or the running retry of it; false when neither runs. */
  cancel(commandId: string): boolean {
    const active =
      this.#active.get(commandId) ??
      [...this.#active.values()].find((a) => a.run.retry_of === commandId);
    active?.handle.cancel();
    return active !== undefined;
  }

  cancelSchedule(scheduleId: string): void {
    for (const a of this.#active.values()) {
      if (a.run.schedule_id !== scheduleId) continue;
      a.endedBy = 'delete';
      a.handle.cancel();
    }
  }

  /** The app stops: cancel every run (or let them finish); resolves when all have ended. */
  async stop(running: 'cancel' | 'wait'): Promise<void> {
    const active = [...this.#active.values()];
    if (running === 'cancel') {
      for (const a of active) {
        a.endedBy = 'shutdown';
        a.handle.cancel();
      }
    }
    await Promise.all(active.map((a) => a.handle.done));
  }

  start(
    s: StoredSchedule,
    trigger: RunTrigger,
    scheduledFor: number | null,
    chain: Attempt | null,
  ): Run {
    const { clock, history, log } = this.#o;
    const run = newRun({ scheduleId: s.id, trigger, scheduledFor, chain, now: clock.now() });
    this.#baseEnv ??= { ...(this.#o.env ?? process.env) };
    const how = runEnvironment(s, this.#baseEnv);
    run.shell = how.label;
    run.env_file = how.envFile;
    // An ad-hoc command has no schedule to say what ran: its run records it.
    if (s.id === ADHOC_OWNER) run.command = s.command;
    const active: ActiveRun = {
      run,
      live: new LiveOutput(),
      handle: undefined as unknown as RunHandle,
      endedBy: null,
    };
    let recorded = false;
    // An env file that cannot be read fails the run with its reason in stderr.
    active.handle = how.problem
      ? failedToStart(how.problem, clock.now(), clock)
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
                history.append(run, { pgid, start: processStart(pgid) });
                recorded = true;
              } catch (e) {
                log.error(`recording run ${run.id} failed: ${(e as Error).message}`);
              }
            },
          },
          clock,
        );
    this.#active.set(run.command_id, active);
    if (!recorded) history.append(run);
    this.#o.events.emit({ type: 'run.started', run });
    void active.handle.done
      .then((outcome) => {
        this.#live.flush(active);
        this.#active.delete(run.command_id);
        const status =
          active.endedBy === 'shutdown' && outcome.status === 'cancelled'
            ? 'interrupted'
            : outcome.status;
        const ended: Run = {
          ...run,
          finished_at: formatTimestamp(outcome.finishedAt),
          duration: outcome.finishedAt - outcome.startedAt,
          exit_code: outcome.exitCode,
          signal: outcome.signal,
          stdout: outcome.stdout,
          stderr: outcome.stderr,
          truncated: outcome.truncated,
          status,
        };
        this.#o.onEnd(ended, s, active.endedBy);
      })
      .catch((e: unknown) => {
        // A bug while recording the end must not take the engine down with it.
        this.#active.delete(run.command_id);
        log.error(`recording the end of run ${run.id} failed: ${(e as Error).stack ?? String(e)}`);
      });
    return run;
  }
}
