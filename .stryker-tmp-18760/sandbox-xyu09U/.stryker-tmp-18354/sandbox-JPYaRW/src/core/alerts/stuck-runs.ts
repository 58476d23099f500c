// @ts-nocheck
// 
// Runs that have gone silent far longer than usual. When a run starts, its schedule's usual
// duration is read from the history index (the median of its last 10 successful runs; not
// before 3 exist) and the run is due to be called stuck at twice that, at least a minute in.
// One alarm, on the injected clock and timers, for the earliest such instant: nothing runs
// when nothing is watched, and each run is called stuck at most once.
import type { Run } from '../../shared/types';
import type { EventFeed } from '../../shared/events';
import type { IndexEntry } from '../history-index';
import { Alarm, type Timers } from '../timers';

export const STUCK_FACTOR = 2;
export const STUCK_MIN_MS = 60_000;
/** Successful runs the usual duration is the median of. */
export const STUCK_SAMPLE = 10;
/** Fewer successful runs than this say too little about "usual". */
export const STUCK_MIN_RUNS = 3;
/** The alarm looks at the clock at least this often while it watches (sleep, clock changes). */
const LOOK_MAX_MS = 60_000;

export interface RunScanner {
  scanRuns(scheduleId: string, visit: (entry: IndexEntry) => boolean): void;
}

/** The median duration of the schedule's last STUCK_SAMPLE successful runs, or null. */
export function usualDuration(history: RunScanner, scheduleId: string): number | null {
  const durations: number[] = [];
  history.scanRuns(scheduleId, (entry) => {
    if (entry.status === 'success' && entry.duration !== null) durations.push(entry.duration);
    return durations.length < STUCK_SAMPLE;
  });
  if (durations.length < STUCK_MIN_RUNS) return null;
  durations.sort((a, b) => a - b);
  const mid = durations.length >> 1;
  return durations.length % 2 === 1
    ? (durations[mid] as number)
    : ((durations[mid - 1] as number) + (durations[mid] as number)) / 2;
}

export function stuckAfter(usual: number): number {
  return Math.max(STUCK_FACTOR * usual, STUCK_MIN_MS);
}

export interface StuckInfo {
  /** ms since the run started. */
  running_for: number;
  /** The usual duration it is compared with, ms. */
  usual: number;
}

interface Watched {
  run: Run;
  startedMs: number;
  usual: number;
  dueMs: number;
}

export interface StuckWatchOptions {
  events: EventFeed;
  history: RunScanner;
  clock: { now(): number };
  timers: Timers;
  onStuck(run: Run, info: StuckInfo): void;
}

export class StuckWatch {
  readonly #o: StuckWatchOptions;
  readonly #watched = new Map<string, Watched>();
  /** Runs found stuck and still running: command id → when, with their schedule. */
  readonly #stuck = new Map<string, { at: number; scheduleId: string }>();
  readonly #alarm: Alarm;
  #unsubscribe: (() => void) | null = null;

  constructor(options: StuckWatchOptions) {
    this.#o = options;
    this.#alarm = new Alarm(options.timers, options.clock, LOOK_MAX_MS, () => this.#check());
  }

  start(): void {
    this.#unsubscribe ??= this.#o.events.subscribe((event) => {
      if (event.type === 'run.started') this.#watch(event.run);
      else if (event.type === 'run.finished') this.#forget(event.run.command_id);
    });
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#alarm.clear();
    this.#watched.clear();
    this.#stuck.clear();
  }

  /** When a running command was found stuck, or null. */
  stuckAt(commandId: string): number | null {
    return this.#stuck.get(commandId)?.at ?? null;
  }

  runningLong(scheduleId: string): boolean {
    for (const s of this.#stuck.values()) if (s.scheduleId === scheduleId) return true;
    return false;
  }

  #watch(run: Run) {
    const usual = usualDuration(this.#o.history, run.schedule_id);
    if (usual === null) return;
    const startedMs = this.#o.clock.now();
    this.#watched.set(run.command_id, {
      run,
      startedMs,
      usual,
      dueMs: startedMs + stuckAfter(usual),
    });
    this.#arm();
  }

  #forget(commandId: string) {
    this.#stuck.delete(commandId);
    if (this.#watched.delete(commandId)) this.#arm();
  }

  #arm() {
    let next: number | null = null;
    for (const w of this.#watched.values()) if (next === null || w.dueMs < next) next = w.dueMs;
    this.#alarm.set(next);
  }

  #check() {
    const now = this.#o.clock.now();
    for (const [commandId, w] of [...this.#watched]) {
      if (w.dueMs > now) continue;
      this.#watched.delete(commandId);
      this.#stuck.set(commandId, { at: now, scheduleId: w.run.schedule_id });
      this.#o.onStuck(w.run, { running_for: now - w.startedMs, usual: w.usual });
    }
    this.#arm();
  }
}
