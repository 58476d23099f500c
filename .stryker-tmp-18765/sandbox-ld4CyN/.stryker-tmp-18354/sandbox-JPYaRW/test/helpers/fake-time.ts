// @ts-nocheck
// 
// A wall clock and timers under the test's control. Timers run on elapsed time, as real
// ones do, so a wall-clock jump moves pending timers with it.
import type { Timers } from '../../src/core/scheduler';

interface Pending {
  due: number;
  fn: () => void;
  id: number;
}

export class FakeTime implements Timers {
  ms: number;
  #pending: Pending[] = [];
  #nextId = 1;

  constructor(iso: string) {
    this.ms = Date.parse(iso);
  }

  readonly clock = { now: () => this.ms };

  setTimeout(fn: () => void, ms: number): unknown {
    const t = { due: this.ms + Math.max(0, ms), fn, id: this.#nextId++ };
    this.#pending.push(t);
    return t.id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending = this.#pending.filter((t) => t.id !== handle);
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Runs every timer that falls due up to `iso`/`ms`, in order, moving the clock with them. */
  advanceTo(target: string | number): void {
    const end = typeof target === 'string' ? Date.parse(target) : target;
    for (;;) {
      this.#pending.sort((a, b) => a.due - b.due || a.id - b.id);
      const t = this.#pending[0];
      if (!t || t.due > end) break;
      this.#pending.shift();
      this.ms = Math.max(this.ms, t.due);
      t.fn();
    }
    this.ms = end;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.ms + ms);
  }

  /** The wall clock steps by `ms` (NTP, the user, a resume); pending timers keep their waits. */
  jump(ms: number): void {
    this.ms += ms;
    for (const t of this.#pending) t.due += ms;
  }
}
