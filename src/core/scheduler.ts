// The firing core: the next fire of every enabled schedule, kept in a min-heap, and one
// timer for the earliest. The wait is capped so that a suspend, a clock change or a late
// timer is noticed within MAX_WAIT_MS; every wake compares the wall clock with the plan.
// Time and timers are injected so DST, sleeps and clock jumps are tested deterministically.
import { nextFireTime, previousFireTime } from '../shared/cron';
import { nextFireDetails, type FireDetail } from '../shared/fires';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import type { Timers } from './timers';

export type { Timers } from './timers';

/** What the scheduler needs to know of a schedule. */
export interface Plannable {
  id: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  catch_up: boolean;
  /** When the schedule was last written: fires before it are never caught up. */
  updatedAt: number;
  /**
   * ms every fire is moved by (random_delay's fixed offset). The schedule behaves as if its
   * cron instants were that much later: DST is applied to the cron instant, then the delay.
   */
  delay?: number;
}

export interface Fire {
  scheduleId: string;
  /** The cron instant that caused the run. */
  scheduledFor: number;
  trigger: 'schedule' | 'catch_up';
}

/** The longest the timer sleeps: a bound on how late a suspend or clock jump is noticed. */
export const MAX_WAIT_MS = 30_000;
/**
 * A fire noticed later than this was missed (the machine slept, the clock jumped, the app
 * was stopped) rather than merely late: it runs only if the schedule catches up.
 */
export const LATE_TOLERANCE_MS = MAX_WAIT_MS + 30_000;
/**
 * cronie's rule: the clock going back by less than this is a correction, and instants that
 * already fired are not fired again; a bigger step back is a new time, so re-plan from it.
 */
export const BACKWARD_JUMP_REPLAN_MS = 3 * 3600_000;

interface Entry {
  schedule: Plannable;
  /** The cron instant. */
  next: number;
  /** When it fires: the cron instant plus the schedule's delay. */
  due: number;
  version: number;
}

const delayOf = (s: Plannable) => s.delay ?? 0;

/** The first cron instant whose delayed fire comes after `fromMs`. */
function firstFire(s: Plannable, fromMs: number): number | null {
  return nextFireTime(s.cron, s.timezone, fromMs - delayOf(s));
}

/** When a schedule fires next after `fromMs`, its delay included; null when never. */
export function nextDue(s: Plannable, fromMs: number): number | null {
  const next = firstFire(s, fromMs);
  return next === null ? null : next + delayOf(s);
}

/** A fire as planned: the cron instant (`at`) and when it runs, the delay included. */
export interface DueFire extends FireDetail {
  due: number;
}

/**
 * The next `count` fires after `fromMs` as the scheduler plans them, with what DST did to
 * each: the same fires.ts steps as `nextDue`, for the preview routes.
 */
export function dueFires(s: Plannable, fromMs: number, count: number, untilMs: number): DueFire[] {
  const delay = delayOf(s);
  return nextFireDetails(s.cron, s.timezone, fromMs - delay, count, untilMs - delay).map((f) => ({
    ...f,
    due: f.at + delay,
  }));
}

/** The latest cron instant whose delayed fire is at or before `atMs`. */
function latestFire(s: Plannable, atMs: number): number | null {
  return previousFireTime(s.cron, s.timezone, atMs - delayOf(s));
}

interface HeapNode {
  at: number;
  id: string;
  version: number;
}

class MinHeap {
  readonly #items: HeapNode[] = [];

  peek(): HeapNode | undefined {
    return this.#items[0];
  }

  push(node: HeapNode) {
    const a = this.#items;
    a.push(node);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as HeapNode).at <= node.at) break;
      a[i] = a[parent] as HeapNode;
      i = parent;
    }
    a[i] = node;
  }

  pop(): HeapNode | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as HeapNode).at < (a[l] as HeapNode).at ? r : l;
      if ((a[child] as HeapNode).at >= last.at) break;
      a[i] = a[child] as HeapNode;
      i = child;
    }
    a[i] = last;
    return top;
  }

  // Stryker disable next-line BlockStatement: stale nodes are skipped by version; clearing frees memory
  clear() {
    this.#items.length = 0;
  }
}

/** Fires found long past (asleep, a clock jump): the first and last cron instants missed. */
export interface Missed {
  scheduleId: string;
  first: number;
  last: number;
  /** When the clock was looked at before (null: never), and now. */
  since: number | null;
  now: number;
}

export interface SchedulerOptions {
  clock: Clock;
  timers: Timers;
  log: Logger;
  onFire(fire: Fire): void;
  /** Told of missed fires before any catch-up of them (the decision log). */
  onMissed?(missed: Missed): void;
}

export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  /** Planned, enabled schedules that never fire again (nothing in the heap for them). */
  readonly #exhausted = new Set<string>();
  readonly #heap = new MinHeap();
  readonly #opts: SchedulerOptions;
  #timer: unknown = null;
  #running = false;
  #lastWake: number | null = null;
  /** The look at the clock before this one: where a miss's span begins. */
  #previousWake: number | null = null;
  #version = 0;

  constructor(options: SchedulerOptions) {
    this.#opts = options;
  }

  /** Adds or re-plans one schedule from now. Never catches up (create, edit, enable). */
  plan(schedule: Plannable): void {
    this.planFrom(schedule, this.#opts.clock.now());
  }

  /**
   * Plans from an earlier instant (the engine's start, while it plans in the background):
   * a fire between then and now is due at once rather than skipped.
   */
  planFrom(schedule: Plannable, fromMs: number): void {
    const next = schedule.enabled ? firstFire(schedule, fromMs) : null;
    this.planAt(schedule, next);
  }

  /** Plans with a next fire already known (remembered from the last run of the app). */
  planAt(schedule: Plannable, next: number | null): void {
    this.#place(schedule, next);
    if (this.#running) this.#arm();
  }

  #place(schedule: Plannable, next: number | null): void {
    this.#entries.delete(schedule.id);
    this.#exhausted.delete(schedule.id);
    if (schedule.enabled && next !== null) this.#insert(schedule, next);
    else if (schedule.enabled) this.#exhausted.add(schedule.id);
  }

  /** Whether the schedule has been planned (it may still never fire again). */
  isPlanned(id: string): boolean {
    return this.#entries.has(id) || this.#exhausted.has(id);
  }

  unplan(id: string): void {
    this.#exhausted.delete(id);
    // The heap node stays and is skipped when popped: O(1) here, O(log n) there. Re-arming
    // only spares a wake: a stale timer rings into a tick that finds nothing due.
    // Stryker disable next-line LogicalOperator: see above
    if (this.#entries.delete(id) && this.#running) this.#arm();
  }

  /** Every planned next fire, for remembering across a restart. */
  *planned(): Generator<{ schedule: Plannable; next: number }> {
    for (const e of this.#entries.values()) yield { schedule: e.schedule, next: e.next };
  }

  /** When a schedule fires next (its delay included), or null when it has none. */
  next(id: string): number | null {
    return this.#entries.get(id)?.due ?? null;
  }

  /** Planned fires, soonest first. */
  upcoming(limit: number): { id: string; at: number }[] {
    return [...this.#entries.values()]
      .sort((a, b) => a.due - b.due)
      .slice(0, limit)
      .map((e) => ({ id: e.schedule.id, at: e.due }));
  }

  /**
   * After the engine was not running (or asleep) since `lastAlive`: each catch-up schedule
   * that missed at least one fire in between runs once, for the latest missed instant.
   */
  catchUp(lastAlive: number): void {
    const now = this.#opts.clock.now();
    for (const { schedule } of this.#entries.values()) {
      if (!schedule.catch_up) continue;
      const missed = latestFire(schedule, now);
      const at = missed === null ? null : missed + delayOf(schedule);
      if (missed !== null && (at as number) > lastAlive && (at as number) > schedule.updatedAt) {
        this.#emit({ scheduleId: schedule.id, scheduledFor: missed, trigger: 'catch_up' });
      }
    }
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastWake = this.#opts.clock.now();
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) this.#opts.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Evaluates the plan now: after a resume from sleep or a reported clock change. */
  wake(): void {
    if (this.#running) this.#tick();
  }

  #insert(schedule: Plannable, next: number) {
    const version = ++this.#version;
    const due = next + delayOf(schedule);
    this.#entries.set(schedule.id, { schedule, next, due, version });
    this.#heap.push({ at: due, id: schedule.id, version });
  }

  #arm() {
    if (this.#timer !== null) this.#opts.timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#running) return;
    const top = this.#peekLive();
    const now = this.#opts.clock.now();
    const wait = top === undefined ? MAX_WAIT_MS : Math.min(Math.max(top.at - now, 0), MAX_WAIT_MS);
    this.#timer = this.#opts.timers.setTimeout(() => {
      this.#timer = null;
      this.#tick();
    }, wait);
  }

  #peekLive(): HeapNode | undefined {
    for (;;) {
      const top = this.#heap.peek();
      if (top === undefined || this.#entries.get(top.id)?.version === top.version) return top;
      this.#heap.pop();
    }
  }

  #tick() {
    const now = this.#opts.clock.now();
    // start() looks at the clock before any tick: #lastWake is set here.
    const last = this.#lastWake ?? now;
    if (last - now > BACKWARD_JUMP_REPLAN_MS) {
      this.#opts.log.warn(`clock went back ${Math.round((last - now) / 60_000)} min: re-planning`);
      this.#replanAll();
    }
    this.#previousWake = this.#lastWake;
    this.#lastWake = now;
    // Timers can fire a little early: only what is due now fires; the rest waits for a re-arm.
    for (let top = this.#peekLive(); top !== undefined && top.at <= now; top = this.#peekLive()) {
      this.#heap.pop();
      const entry = this.#entries.get(top.id) as Entry;
      this.#fire(entry, now);
      this.#place(entry.schedule, firstFire(entry.schedule, now));
    }
    this.#arm();
  }

  #fire(entry: Entry, now: number) {
    const { schedule } = entry;
    if (now - entry.due <= LATE_TOLERANCE_MS) {
      // Fires that fell due while we waited coalesce into this one, as in cron.
      this.#emit({ scheduleId: schedule.id, scheduledFor: entry.next, trigger: 'schedule' });
      return;
    }
    const latest = latestFire(schedule, now) ?? entry.next;
    try {
      this.#opts.onMissed?.({
        scheduleId: schedule.id,
        first: entry.next,
        last: latest,
        since: this.#previousWake,
        now,
      });
    } catch (e) {
      this.#opts.log.error(
        `recording the missed fires of ${schedule.id} failed: ${(e as Error).message}`,
      );
    }
    if (schedule.catch_up) {
      this.#emit({ scheduleId: schedule.id, scheduledFor: latest, trigger: 'catch_up' });
    } else {
      this.#opts.log.info(
        `schedule ${schedule.id} missed its fire at ${new Date(entry.due).toISOString()} ` +
          '(asleep or clock changed); catch_up is off, so it waits for the next one',
      );
    }
  }

  #emit(fire: Fire) {
    try {
      this.#opts.onFire(fire);
    } catch (e) {
      // One schedule's failure to start must never stop the others from firing.
      this.#opts.log.error(`firing ${fire.scheduleId} failed: ${(e as Error).message}`);
    }
  }

  #replanAll() {
    const schedules = [...this.#entries.values()].map((e) => e.schedule);
    this.#entries.clear();
    this.#heap.clear();
    for (const s of schedules) {
      const next = firstFire(s, this.#opts.clock.now());
      if (next !== null) this.#insert(s, next);
    }
  }
}
