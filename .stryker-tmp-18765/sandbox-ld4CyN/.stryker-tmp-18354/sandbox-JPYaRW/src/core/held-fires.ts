// @ts-nocheck
// 
// Fires of `catch_up` schedules that did not run because of a pause or battery power: each
// such schedule runs once when what held it ends (the pause is over, AC is back), as
// catch-up after the app was off does. One entry per schedule, kept in `held.json` so a
// restart during a long pause does not forget it; only its first miss is written, later
// ones move the instant in memory (an every-second schedule must not write every second).
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from './log';
import { PersistedMap } from './persisted-map';
import type { StorageHealth } from './storage-health';
import type { Timers } from './timers';

export const HELD_FILE = 'held.json';

const heldSchema = z.object({
  schedule_id: z.string(),
  /** What held it: a pause (global or the schedule's), or battery power. */
  by: z.enum(['pause', 'battery']),
  /** The latest cron instant that did not run. */
  scheduled_for: z.number(),
});

export type HeldFire = z.output<typeof heldSchema>;

export class HeldFires {
  readonly #held: PersistedMap<HeldFire>;

  constructor(options: { dataDir: string; log: Logger; timers: Timers; health?: StorageHealth }) {
    this.#held = new PersistedMap({
      path: join(options.dataDir, HELD_FILE),
      entry: heldSchema,
      log: options.log,
      timers: options.timers,
      health: options.health,
    });
  }

  load(): void {
    this.#held.load();
  }

  close(): void {
    this.#held.close();
  }

  hold(fire: HeldFire): void {
    const known = this.#held.get(fire.schedule_id);
    if (known && known.by === fire.by) this.#held.touch(fire.schedule_id, fire);
    else this.#held.set(fire.schedule_id, fire);
  }

  /** Removes and returns the fires held by `by` (all when omitted). */
  release(by?: HeldFire['by']): HeldFire[] {
    const out = this.#held.values().filter((h) => by === undefined || h.by === by);
    for (const h of out) this.#held.delete(h.schedule_id);
    return out;
  }

  peek(scheduleId: string): HeldFire | undefined {
    return this.#held.get(scheduleId);
  }

  /** Removes and returns one schedule's held fire. */
  take(scheduleId: string): HeldFire | undefined {
    return this.#held.delete(scheduleId);
  }

  has(by: HeldFire['by']): boolean {
    return this.#held.values().some((h) => h.by === by);
  }
}
