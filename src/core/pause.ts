// Timed pauses: the global one in the settings (`paused`, `paused_until`) and a schedule's
// own `paused_until`. A fire during a pause does not run; the pause ends at its instant by
// itself (a fire due exactly then runs), and `next_run` says when a paused schedule really
// runs next, or null while it is paused until resumed. PauseWatch wakes at the end of each
// pause so held catch-up fires run then and the settings stop saying "paused".
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { MAX_WAIT_MS } from './scheduler';
import { Alarm, type Timers } from './timers';

export interface GlobalPauseSettings {
  paused: boolean;
  paused_until: string | null;
}

/** Not paused; paused until an instant; or paused until resumed (`until` null). */
export type PauseState = { paused: false } | { paused: true; until: number | null };

const NOT_PAUSED: PauseState = { paused: false };

/** The global pause as it stands at `now`: a timed pause that has ended is no pause. */
export function globalPause(settings: GlobalPauseSettings, now: number): PauseState {
  if (!settings.paused) return NOT_PAUSED;
  if (settings.paused_until === null) return { paused: true, until: null };
  const until = Date.parse(settings.paused_until);
  return Number.isFinite(until) && until > now ? { paused: true, until } : NOT_PAUSED;
}

/** A schedule's own pause at `now`. */
export function schedulePause(s: { paused_until: string | null }, now: number): PauseState {
  // Stryker disable next-line ConditionalExpression: Date.parse(null) is NaN, no pause either way
  if (s.paused_until === null) return NOT_PAUSED;
  const until = Date.parse(s.paused_until);
  return Number.isFinite(until) && until > now ? { paused: true, until } : NOT_PAUSED;
}

/** When fires run again under both pauses: now (not paused), an instant, or null (resume). */
export function resumesAt(pauses: PauseState[], now: number): number | null {
  let at = now;
  for (const p of pauses) {
    if (!p.paused) continue;
    if (p.until === null) return null;
    at = Math.max(at, p.until);
  }
  return at;
}

/**
 * `next_run` under pauses: the planned fire if it is not paused, else the first fire at or
 * after the pause ends, or null while paused until resumed.
 */
export function unpausedNext(
  planned: number | null,
  resume: number | null,
  nextDueFrom: (fromMs: number) => number | null,
): number | null {
  if (planned === null || resume === null) return null;
  // nextDueFrom is strictly after its argument: from 1 ms before, a fire at the end counts.
  // Stryker disable next-line EqualityOperator: a fire at the end is the first from 1 ms before
  return planned >= resume ? planned : nextDueFrom(resume - 1);
}

export interface PauseWatchOptions {
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** The ends of every pause now in force: the global one (key '') and schedules'. */
  ends(): Map<string, number>;
  /** A pause ended: '' for the global one, else the schedule id. */
  onEnded(key: string): void;
}

/** One timer for the earliest pause end, capped so a suspend or clock change is noticed. */
export class PauseWatch {
  readonly #o: PauseWatchOptions;
  readonly #alarm: Alarm;
  #known = new Map<string, number>();
  #running = false;

  constructor(options: PauseWatchOptions) {
    this.#o = options;
    this.#alarm = new Alarm(options.timers, options.clock, MAX_WAIT_MS, () => this.#tick());
  }

  start(): void {
    this.#running = true;
    this.refresh();
  }

  stop(): void {
    this.#running = false;
    this.#alarm.clear();
  }

  /** Call when a pause may have been set, moved or lifted. */
  refresh(): void {
    this.#known = this.#running ? this.#o.ends() : new Map();
    this.#alarm.set(this.#known.size > 0 ? Math.min(...this.#known.values()) : null);
  }

  #tick() {
    const now = this.#o.clock.now();
    for (const [key, end] of this.#known) {
      if (end > now) continue;
      try {
        this.#o.onEnded(key);
      } catch (e) {
        this.#o.log.error(`ending the pause of ${key || 'all schedules'}: ${(e as Error).message}`);
      }
    }
    this.refresh();
  }
}
