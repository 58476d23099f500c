// The fire preview (ours): when a schedule, or an expression not yet saved, will fire —
// `GET /v1/schedules/:id/fires?from&count` and `POST /v1/cron/fires`. The answers come from
// the engine's own code (fires.ts through the scheduler's planning), so the editor, the
// terminal client and scripts can never show something the engine will not do.
import { z } from 'zod';
import { intParam, isoTimestamp, scheduleCreateSchema } from './schemas';

export const FIRES_MAX = 1000;
export const FIRES_DEFAULT = 10;
/** Fires are looked for this far after `from`: a sparse expression returns fewer. */
export const FIRES_HORIZON_YEARS = 100;
/** `from` is a year the zones' rules and the horizon can hold. */
export const FROM_MIN = Date.UTC(1970, 0, 1);
export const FROM_MAX = Date.UTC(9900, 0, 1) - 1000;

const SCHEDULE_ID = /^sched_[0-9A-Za-z]{1,64}$/;

const from = isoTimestamp.refine((ms) => ms >= FROM_MIN && ms <= FROM_MAX, {
  error: 'must be between 1970-01-01T00:00:00Z and 9899-12-31T23:59:59Z',
});

const count = intParam(1, FIRES_MAX, FIRES_DEFAULT);

export const firesQuerySchema = z.strictObject({
  /** Default: now. Fires strictly after it. */
  from: from.optional(),
  count,
});

const { cron, timezone, random_delay } = scheduleCreateSchema.shape;

export const cronFiresSchema = z.strictObject({
  cron,
  timezone,
  from: from.optional(),
  count,
  random_delay,
  /**
   * The schedule being edited, if any: its random delay's offset is drawn from its id, so
   * only with the id are the delayed instants exact.
   */
  schedule_id: z
    .string()
    .regex(SCHEDULE_ID, { error: 'must be a schedule id such as sched_abc123' })
    .optional(),
});

export type FiresQueryInput = z.input<typeof firesQuerySchema>;
export type CronFiresInput = z.input<typeof cronFiresSchema>;

/**
 * What DST did to a fire: `moved` — the local time named never happened (a spring gap) and
 * the fire runs that much later; `repeated` — the local time happens twice that day (an
 * autumn change back), and `utc_offset` says which one this is.
 */
export type FireDst = 'moved' | 'repeated' | null;

export interface FireTime {
  /** When it runs (the random delay's offset included). */
  at: string;
  /** The cron instant, as runs record it in `scheduled_for`. */
  scheduled_for: string;
  /** `at` as the zone's wall clock reads it: `2026-03-08T03:30:00`. */
  local: string;
  /** The zone's offset at `at`: `-04:00`. */
  utc_offset: string;
  dst: FireDst;
  /** With `dst: "moved"`, the local time the expression named: `2026-03-08T02:30:00`. */
  moved_from: string | null;
  /** A pause in force now covers it: it will not run (with catch_up, once at the pause's end). */
  paused: boolean;
}

export interface FiresMeta {
  cron: string;
  timezone: string;
  /** The instant the fires follow. */
  from: string;
  /** Fires returned: fewer than asked when none come before `horizon`. */
  count: number;
  horizon: string;
  random_delay: number;
  /**
   * The fixed offset every fire is moved by (ms), or null when it is not known yet: an
   * expression with a random delay and no `schedule_id` (each fire then starts at `at` plus
   * up to `random_delay`).
   */
  delay: number | null;
  /** cronie's test: fixed-time jobs are moved by a spring gap and run once in a repeat. */
  fixed_time: boolean;
  /** The schedule route only. */
  schedule_id?: string;
  enabled?: boolean;
  /** A pause (global or the schedule's) in force now, and its end (null: until resumed). */
  paused?: boolean;
  paused_until?: string | null;
}

export interface FiresResult {
  data: FireTime[];
  meta: FiresMeta;
}

/** `02:30`, or `02:30:15` when the seconds matter, of a local time such as `fire.local`. */
export function wallClock(local: string): string {
  const time = local.slice(11, 19);
  return time.endsWith(':00') ? time.slice(0, 5) : time;
}

/**
 * What DST did to a fire, in the words the editor's preview and `cmdop-scheduler next` both
 * use; null when it did nothing. `fixedTime` is the answer's `meta.fixed_time`.
 */
export function dstNote(f: FireTime, fixedTime: boolean): string | null {
  // moved_from is set on moved fires only (fire-preview.ts), and always on them.
  if (f.moved_from) {
    return `moved from ${wallClock(f.moved_from)}: skipped by the DST change`;
  }
  if (f.dst === 'repeated') {
    const runs = fixedTime ? 'runs the first time only' : 'runs both times';
    return `${wallClock(f.local)} happens twice (DST): ${runs}`;
  }
  return null;
}

export interface FiresApi {
  /** `GET /v1/schedules/:id/fires`: a saved schedule, its random delay and pauses included. */
  scheduleFires(id: string, query?: FiresQueryInput): Promise<FiresResult>;
  /** `POST /v1/cron/fires`: an expression not yet saved (the editor's live preview). */
  cronFires(input: CronFiresInput): Promise<FiresResult>;
}
