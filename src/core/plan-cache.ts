// The next fire of every schedule, remembered across a restart. Computing one costs 0.1 to
// 0.5 ms (cron-parser with time zones), so 10,000 schedules would hold start-up for seconds
// for answers that are still right: a fire remembered for an unchanged schedule and zone
// data, and still in the future, is the next fire now too (none can come before it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';
import { writePrivateAtomic } from './private-fs';

export const PLAN_FILE = 'plan.json';
const VERSION = 1;
/** A time zone database update can move fires: remembered ones are only reused under the same. */
// Stryker disable next-line StringLiteral: every Node these run on has both icu and tz
const ZONE_DATA = `${process.versions.icu ?? ''}/${process.versions.tz ?? ''}`;

export function planKey(schedule: { cron: string; timezone: string }): string {
  return `${schedule.cron}\u0000${schedule.timezone}\u0000${ZONE_DATA}`;
}

export class PlanCache {
  readonly #path: string;

  constructor(
    dataDir: string,
    private readonly log: Logger,
  ) {
    this.#path = join(dataDir, PLAN_FILE);
  }

  /** id -> [key, next]; empty when there is no file or it cannot be read (it is only a cache). */
  read(): Map<string, [string, number]> {
    try {
      const parsed = JSON.parse(readFileSync(this.#path, 'utf8')) as {
        v?: unknown;
        fires?: Record<string, unknown>;
      };
      if (parsed.v !== VERSION) return new Map();
      const out = new Map<string, [string, number]>();
      // Anything but an object of [key, next] pairs yields no usable entry.
      for (const [id, value] of Object.entries(parsed.fires ?? {})) {
        if (Array.isArray(value) && typeof value[0] === 'string' && Number.isFinite(value[1])) {
          out.set(id, [value[0], value[1] as number]);
        }
      }
      return out;
    } catch {
      return new Map();
    }
  }

  write(
    planned: Iterable<{ schedule: { id: string; cron: string; timezone: string }; next: number }>,
  ): void {
    const fires: Record<string, [string, number]> = {};
    for (const { schedule, next } of planned) fires[schedule.id] = [planKey(schedule), next];
    try {
      writePrivateAtomic(this.#path, JSON.stringify({ v: VERSION, fires }));
    } catch (e) {
      // Only a cache: the next start computes what it cannot reuse.
      this.log.warn(`could not remember the planned fires: ${(e as Error).message}`);
    }
  }
}
