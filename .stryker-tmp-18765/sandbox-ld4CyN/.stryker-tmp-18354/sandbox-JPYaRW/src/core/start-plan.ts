// @ts-nocheck
// 
// Planning at start without holding the API: schedules whose next fire is remembered are
// planned at once; the others are computed a chunk at a time between requests, from the
// start instant, so a fire that fell due meanwhile still runs (late, not lost). A schedule
// asked for before its turn (a page of the list) is planned on the spot.
import type { Scheduler, Plannable } from './scheduler';
import { planKey } from './plan-cache';

/** Small enough to keep a request waiting no more than a few tens of milliseconds. */
export const START_PLAN_CHUNK = 200;

export interface StartPlanOptions {
  scheduler: Scheduler;
  schedules: Plannable[];
  remembered: Map<string, [string, number]>;
  /** The engine's start instant: fires are computed from it. */
  from: number;
  /** Runs the next chunk later; default setImmediate (after pending I/O, so requests go first). */
  defer?: (fn: () => void) => void;
  /** Called once everything is planned, with how many fires had to be computed. */
  onDone: (computed: number) => void;
}

export class StartPlanner {
  readonly #o: StartPlanOptions;
  readonly #queue = new Map<string, Plannable>();
  #computed = 0;
  #done = false;

  constructor(options: StartPlanOptions) {
    this.#o = options;
  }

  get done(): boolean {
    return this.#done;
  }

  run(): void {
    const { scheduler, remembered, from } = this.#o;
    for (const s of this.#o.schedules) {
      const known = remembered.get(s.id);
      if (s.enabled && known && known[0] === planKey(s) && known[1] > from) {
        scheduler.planAt(s, known[1]);
      } else {
        this.#queue.set(s.id, s);
        if (s.enabled) this.#computed++;
      }
    }
    if (this.#queue.size <= START_PLAN_CHUNK) this.#chunk(Infinity);
    else this.#continue();
  }

  /** Plans one schedule now if it is still waiting its turn; a no-op otherwise. */
  ensure(id: string): void {
    const s = this.#queue.get(id);
    if (!s) return;
    this.#queue.delete(id);
    this.#o.scheduler.planFrom(s, this.#o.from);
  }

  /** A schedule changed or was deleted meanwhile: the engine plans it; drop our copy. */
  forget(id: string): void {
    this.#queue.delete(id);
  }

  #continue() {
    const defer = this.#o.defer ?? ((fn) => void setImmediate(fn));
    defer(() => {
      this.#chunk(START_PLAN_CHUNK);
      if (!this.#done) this.#continue();
    });
  }

  #chunk(size: number) {
    let n = 0;
    for (const [id, s] of this.#queue) {
      if (n++ >= size) return;
      this.#queue.delete(id);
      this.#o.scheduler.planFrom(s, this.#o.from);
    }
    this.#done = true;
    this.#o.onDone(this.#computed);
  }
}
