// @ts-nocheck
// 
// Timers are injected everywhere time passes (scheduler, heartbeat, notifications, live
// output), so tests drive them with a fake clock instead of waiting.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * One timer for the next instant something is due. The wait is capped, so a suspend or a
 * clock change is noticed within `maxWaitMs`: the owner looks at the clock when it rings
 * and sets the next instant (or the same again).
 */
export class Alarm {
  #timer: unknown = null;

  constructor(
    private readonly timers: Timers,
    private readonly clock: { now(): number },
    private readonly maxWaitMs: number,
    private readonly ring: () => void,
  ) {}

  /** Rings at `at` (or earlier, at the cap); null leaves it off. */
  set(at: number | null): void {
    this.clear();
    if (at === null) return;
    const wait = Math.min(Math.max(at - this.clock.now(), 0), this.maxWaitMs);
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = null;
      this.ring();
    }, wait);
  }

  clear(): void {
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
