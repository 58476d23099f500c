// Why a planned fire did or did not become a run: the one place that decides it, and the
// one place that records it. The decision log (decisions/recorder.ts: every planned fire
// with its outcome) hooks in through `onDecision`; the log file gets each kind of refusal
// once per episode, since an every-second schedule in a week-long pause would fill it.
import { formatTimestamp } from '../shared/time';
import type { RunTrigger } from '../shared/types';
import type { Logger } from './log';
import type { PauseState } from './pause';

export type DecisionReason =
  /** The global pause (settings). */
  | 'paused'
  /** The schedule's own paused_until. */
  | 'schedule_paused'
  /** On battery power, and run_on_battery is false. */
  | 'on_battery'
  /** The previous run still runs and overlap is 'skip'. */
  | 'overlap'
  /** A pending retry gave way: a newer run of the schedule started, or the user cancelled it. */
  | 'retry_superseded'
  | 'retry_cancelled';

export interface FireDecision {
  schedule_id: string;
  /** The cron instant (null for a manual run). */
  scheduled_for: string | null;
  trigger: RunTrigger;
  /** 1 for a fire, n for the (n-1)th retry; `attempts` is 1 + the schedule's retries. */
  attempt: number;
  attempts: number;
  at: string;
  /** run: it starts; skipped: recorded as a skipped run; not_run: nothing is recorded. */
  outcome: 'run' | 'skipped' | 'not_run';
  reason: DecisionReason | null;
  message: string;
  /** outcome run: the run that started. */
  run_id?: string;
  command_id?: string;
  /** reason overlap: the command still running. */
  running_command_id?: string;
}

export type Verdict =
  | { outcome: 'run'; command?: undefined }
  | { outcome: 'skipped' | 'not_run'; reason: DecisionReason; message: string; command?: string };

export interface FireFacts {
  trigger: RunTrigger;
  global: PauseState;
  own: PauseState;
  runOnBattery: boolean;
  /** Asked only when it matters (reading power costs a few file reads). */
  onBattery: () => boolean;
  overlap: 'skip' | 'allow';
  /** The command of a run of the schedule in progress, or null. */
  running: string | null;
}

function until(p: PauseState): string {
  return p.paused && p.until !== null ? `until ${formatTimestamp(p.until)}` : 'until resumed';
}

/**
 * The rules, in order: pauses first (nothing is recorded: a pause is the user's choice),
 * then battery power (a skipped run says why), then overlap. A manual run ignores pauses
 * and battery power: the user asked for it now.
 */
export function decide(f: FireFacts): Verdict {
  const manual = f.trigger === 'manual';
  if (!manual && f.global.paused) {
    return {
      outcome: 'not_run',
      reason: 'paused',
      message: `schedules are paused ${until(f.global)}`,
    };
  }
  if (!manual && f.own.paused) {
    return {
      outcome: 'not_run',
      reason: 'schedule_paused',
      message: `the schedule is paused ${until(f.own)}`,
    };
  }
  if (!manual && !f.runOnBattery && f.onBattery()) {
    return {
      outcome: 'skipped',
      reason: 'on_battery',
      message: 'the machine is on battery power and run_on_battery is false',
    };
  }
  if (f.running !== null && f.overlap === 'skip') {
    return {
      outcome: 'skipped',
      reason: 'overlap',
      message: `the previous run (command ${f.running}) is still running and overlap is 'skip'`,
      command: f.running,
    };
  }
  return { outcome: 'run' };
}

export class DecisionRecorder {
  /** Schedules whose current refusal was logged, by reason: logged again when it changes. */
  readonly #told = new Map<string, DecisionReason>();

  constructor(
    private readonly log: Logger,
    private readonly onDecision?: (d: FireDecision) => void,
  ) {}

  record(d: FireDecision): void {
    try {
      this.onDecision?.(d);
    } catch (e) {
      this.log.error(`decision hook failed: ${(e as Error).message}`);
    }
    const what = d.attempt > 1 ? `retry ${d.attempt} of ${d.attempts}` : `fire (${d.trigger})`;
    if (d.reason === null) {
      this.#told.delete(d.schedule_id);
      return;
    }
    if (this.#told.get(d.schedule_id) === d.reason) return;
    this.#told.set(d.schedule_id, d.reason);
    this.log.info(
      `schedule ${d.schedule_id}: ${what} ${d.outcome.replace('_', ' ')}: ${d.message}`,
    );
  }
}
