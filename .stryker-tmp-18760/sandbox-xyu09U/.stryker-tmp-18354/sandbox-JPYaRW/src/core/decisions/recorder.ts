// @ts-nocheck
// 
// What became of every planned fire, recorded as the engine decides: the policies' verdicts
// (ran, skipped for a pause, battery power or overlap, retried, caught up), the fires the
// scheduler found missed while it ran (asleep, a clock jump), the fires of the time the app
// was not running (from the heartbeat, at start), and those of a disabled spell (when it is
// enabled again). Alike decisions in a row are one entry (a span), so an every-second
// schedule in a week-long pause is one line, not 604,800.
import { randomBase62 } from '../../shared/ids';
import {
  DECISION_COUNT_MAX,
  type Decision,
  type DecisionKind,
  type DecisionReason,
  type LastDecision,
} from '../../shared/decisions-api';
import { lastDecisionText } from '../../shared/decision-sentence';
import { zoneOffset } from '../../shared/dst';
import { isFixedTime, nextFireDetails, previousFireTime } from '../../shared/fires';
import { formatTimestamp, type Clock } from '../../shared/time';
import type { FireDecision } from '../fire-decisions';
import type { Logger } from '../log';
import type { StoredSchedule } from '../stored-schedule';
import type { Timers } from '../timers';
import { DecisionStore, type Retention } from './store';

/** A planned fire the scheduler found long past (reported by Scheduler's onMissed). */
export interface MissedFires {
  scheduleId: string;
  /** The first and last cron instants missed. */
  first: number;
  last: number;
  /** When the scheduler last looked at the clock before, and now. */
  since: number | null;
  now: number;
}

export interface DecisionLogOptions {
  dataDir: string;
  clock: Clock;
  timers: Timers;
  log: Logger;
  retention: () => Retention;
  schedule: (id: string) => StoredSchedule | undefined;
  /** A schedule's newest decision now reads differently (for the row and the tray). */
  onLastChanged?: (scheduleId: string) => void;
}

/** Kinds whose fires in a row are one entry. */
const SPANS: ReadonlySet<DecisionKind> = new Set([
  'skipped_overlap',
  'skipped_paused',
  'skipped_disabled',
  'skipped_battery',
  'missed',
]);

const iso = formatTimestamp;
const wall = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** The cron instants in [first, last] (counted up to DECISION_COUNT_MAX). */
function countFires(s: StoredSchedule, first: number, last: number): number {
  return Math.max(
    1,
    nextFireDetails(s.cron, s.timezone, first - 1, DECISION_COUNT_MAX, last + 1).length,
  );
}

/** What a DST gap did to the fire at this instant: the wall time named and the one used. */
function movedByDst(s: StoredSchedule, at: number): { asked: string; used: string } | null {
  if (!isFixedTime(s.cron)) return null;
  const [f] = nextFireDetails(s.cron, s.timezone, at - 1, 1);
  if (!f || f.at !== at || !f.moved) return null;
  return { asked: wall(f.named), used: wall(f.at + zoneOffset(s.timezone, f.at)) };
}

function kindOf(d: FireDecision): { kind: DecisionKind; reason: DecisionReason | null } {
  if (d.attempt > 1) return { kind: 'retry', reason: null };
  switch (d.reason) {
    case 'paused':
    case 'schedule_paused':
      return { kind: 'skipped_paused', reason: d.reason };
    case 'on_battery':
      return { kind: 'skipped_battery', reason: null };
    case 'overlap':
      return { kind: 'skipped_overlap', reason: null };
    default:
      return { kind: d.trigger === 'catch_up' ? 'caught_up' : 'ran', reason: null };
  }
}

/** A decision about `s` made at `now`: the given fields over empty ones. */
export function newDecision(
  s: Pick<StoredSchedule, 'id' | 'catch_up'>,
  now: number,
  fields: Partial<Decision> & Pick<Decision, 'kind' | 'ran'>,
): Decision {
  const at = iso(now);
  return {
    id: `dec_${randomBase62(16)}`,
    schedule_id: s.id,
    scheduled_for: at,
    last_scheduled_for: at,
    count: 1,
    decided_at: at,
    reason: null,
    span_from: null,
    span_to: null,
    run_id: null,
    command_id: null,
    attempt: null,
    attempts: null,
    asked: null,
    used: null,
    catch_up: s.catch_up,
    message: '',
    ...fields,
  };
}

export class DecisionLog {
  readonly store: DecisionStore;
  readonly #o: DecisionLogOptions;
  /** When the app started: fires before it were decided at start (app_stopped). */
  #startedAt: number | null = null;
  #sleep: { from: number | null; to: number | null } = { from: null, to: null };
  /** Disabled schedules, since when (for the span recorded when one is enabled again). */
  readonly #disabledSince = new Map<string, number>();

  constructor(options: DecisionLogOptions) {
    this.#o = options;
    this.store = new DecisionStore(options);
  }

  /**
   * At start: every enabled schedule's fires between the last instant the app was alive and
   * now were missed because it was not running (one entry each).
   */
  started(lastAlive: number | null, schedules: StoredSchedule[]): void {
    const now = this.#o.clock.now();
    this.#startedAt = now;
    for (const s of schedules) {
      if (!s.enabled) this.#disabledSince.set(s.id, Date.parse(s.updated_at));
    }
    if (lastAlive === null) return;
    for (const s of schedules) {
      if (!s.enabled) continue;
      try {
        const [first] = nextFireDetails(s.cron, s.timezone, lastAlive, 1, now + 1);
        const last = previousFireTime(s.cron, s.timezone, now);
        if (!first || last === null || last < first.at) continue;
        this.#missed(s, first.at, last, 'app_stopped', lastAlive, now);
      } catch (e) {
        this.#o.log.warn(`decisions of ${s.id} at start: ${(e as Error).message}`);
      }
    }
  }

  /** The machine is going to sleep (the tray's powerMonitor). */
  suspending(): void {
    this.#sleep = { from: this.#o.clock.now(), to: null };
  }

  /** The machine woke: fires found missed now were missed asleep. Call before engine.wake(). */
  resumed(): void {
    this.#sleep = { from: this.#sleep.from, to: this.#o.clock.now() };
  }

  /** Fires the scheduler found long past while it ran. */
  missed(m: MissedFires): void {
    const s = this.#o.schedule(m.scheduleId);
    if (!s) return;
    let first = m.first;
    // Those before the start were recorded as app_stopped already.
    if (this.#startedAt !== null && first <= this.#startedAt) {
      if (m.last <= this.#startedAt) return;
      const [after] = nextFireDetails(s.cron, s.timezone, this.#startedAt, 1, m.last + 1);
      first = after?.at ?? m.last;
    }
    const { from, to } = this.#sleep;
    const asleep = to !== null && m.now - to <= 120_000;
    const spanFrom = asleep ? (from ?? m.since) : m.since;
    this.#missed(s, first, m.last, asleep ? 'asleep' : 'clock_jump', spanFrom, asleep ? to : m.now);
  }

  /** A verdict of the run policies (fire-decisions.ts). Manual runs are not planned fires. */
  record(d: FireDecision): void {
    if (d.trigger === 'manual' || d.scheduled_for === null) return;
    const s = this.#o.schedule(d.schedule_id);
    if (!s) return;
    const at = Date.parse(d.scheduled_for);
    const { kind: decided, reason } = kindOf(d);
    const moved = decided === 'ran' ? movedByDst(s, at) : null;
    const kind = moved ? 'moved_dst' : decided;
    const ran = d.outcome === 'run';
    this.#add(s, {
      kind,
      ran,
      reason,
      scheduled_for: d.scheduled_for,
      last_scheduled_for: d.scheduled_for,
      count: 1,
      run_id: ran ? (d.run_id ?? null) : null,
      command_id: ran ? (d.command_id ?? null) : (d.running_command_id ?? null),
      attempt: kind === 'retry' ? d.attempt : null,
      attempts: kind === 'retry' ? d.attempts : null,
      asked: moved?.asked ?? null,
      used: moved?.used ?? null,
      message: d.message,
    });
  }

  /** A schedule was written: enabling one records the fires of its disabled spell. */
  scheduleChanged(s: StoredSchedule): void {
    const now = this.#o.clock.now();
    if (!s.enabled) {
      if (!this.#disabledSince.has(s.id)) this.#disabledSince.set(s.id, now);
      return;
    }
    const since = this.#disabledSince.get(s.id);
    if (since === undefined) return;
    this.#disabledSince.delete(s.id);
    const [first] = nextFireDetails(s.cron, s.timezone, since, 1, now + 1);
    const last = previousFireTime(s.cron, s.timezone, now);
    if (!first || last === null || last < first.at) return;
    this.#add(s, {
      kind: 'skipped_disabled',
      ran: false,
      reason: null,
      scheduled_for: iso(first.at),
      last_scheduled_for: iso(last),
      count: countFires(s, first.at, last),
      span_from: iso(since),
      span_to: iso(now),
      message: 'the schedule was disabled',
    });
  }

  /** When a disabled schedule was disabled (its fires since then do not run). */
  disabledSince(id: string): number | null {
    return this.#disabledSince.get(id) ?? null;
  }

  scheduleDeleted(id: string): void {
    this.#disabledSince.delete(id);
    this.store.remove(id);
  }

  last(id: string): LastDecision | null {
    const d = this.store.last(id);
    if (!d) return null;
    const { kind, ran, scheduled_for, last_scheduled_for, reason, count, message } = d;
    return { kind, ran, scheduled_for, last_scheduled_for, reason, count, message };
  }

  close(): void {
    this.store.close();
  }

  #missed(
    s: StoredSchedule,
    first: number,
    last: number,
    reason: DecisionReason,
    from: number | null,
    to: number | null,
  ) {
    const what = { app_stopped: 'the app was not running', asleep: 'the machine was asleep' };
    this.#add(s, {
      kind: 'missed',
      ran: false,
      reason,
      scheduled_for: iso(first),
      last_scheduled_for: iso(last),
      count: countFires(s, first, last),
      span_from: from === null ? null : iso(from),
      span_to: to === null ? null : iso(to),
      message: `${what[reason as keyof typeof what] ?? 'the clock jumped forward'}; catch-up is ${s.catch_up ? 'on' : 'off'}`,
    });
  }

  #add(s: StoredSchedule, fields: Partial<Decision> & Pick<Decision, 'kind' | 'ran'>) {
    const d = newDecision(s, this.#o.clock.now(), fields);
    const prev = this.store.last(s.id);
    const before = prev ? lastDecisionText(prev) : null;
    if (prev && this.#continues(prev, d)) {
      prev.last_scheduled_for = d.last_scheduled_for;
      prev.count = Math.min(DECISION_COUNT_MAX, prev.count + d.count);
      prev.decided_at = d.decided_at;
      prev.span_to = d.span_to ?? prev.span_to;
      prev.message = d.message;
      this.store.grew(prev);
      return;
    }
    this.store.add(d);
    if (before !== lastDecisionText(d) || prev?.ran !== d.ran) this.#o.onLastChanged?.(s.id);
  }

  /** Whether `d` extends the span `prev`: the same refusal, for the same reason, later on. */
  #continues(prev: Decision, d: Decision): boolean {
    return (
      SPANS.has(d.kind) &&
      prev.kind === d.kind &&
      prev.reason === d.reason &&
      prev.command_id === d.command_id &&
      (d.kind !== 'missed' || prev.span_from === d.span_from) &&
      Date.parse(d.scheduled_for) > Date.parse(prev.last_scheduled_for)
    );
  }
}
