// The fire preview: the instants the engine will fire a schedule (or an expression not yet
// saved) at, each with its wall time, its offset and what DST did to it. Computed by the
// scheduler's own planning (`dueFires`, the fires.ts steps `nextDue` takes), with the
// schedule's random delay and the pauses in force, so a preview cannot disagree with what
// runs: the first fire not marked paused is the schedule's `next_run`.
import { ApiError } from '../shared/errors';
import {
  cronFiresSchema,
  firesQuerySchema,
  FIRES_HORIZON_YEARS,
  type CronFiresInput,
  type FiresApi,
  type FiresMeta,
  type FiresQueryInput,
  type FiresResult,
  type FireTime,
} from '../shared/fires-api';
import { isFixedTime } from '../shared/fires';
import { isRepeatedLocalTime, zoneOffset } from '../shared/dst';
import { randomDelayOffset } from '../shared/random-delay';
import { parseInput } from '../shared/schemas';
import { formatTimestamp, type Clock } from '../shared/time';
import { toPlannable } from './plannable';
import { dueFires, type Plannable } from './scheduler';
import type { ScheduleRepository, StoredSchedule } from './schedules';

export interface FirePreviewDeps {
  repo: ScheduleRepository;
  clock: Clock;
  /** When the schedule's fires run again under the pauses in force at `now` (RunPolicies). */
  resumesAt(s: StoredSchedule, now: number): number | null;
}

/** `-04:00`, `+05:30`, `+00:00`; seconds only for the odd historical offset. */
export function formatOffset(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const seconds = total % 60 ? `:${two(total % 60)}` : '';
  const hhmm = `${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}`;
  return `${ms < 0 ? '-' : '+'}${hhmm}${seconds}`;
}

/** An instant or a local time (read as UTC) as `2026-03-08T03:30:00`, no zone. */
const wallText = (wall: number) => new Date(wall).toISOString().slice(0, 19);

/** The same instant FIRES_HORIZON_YEARS calendar years later. */
function horizonAfter(from: number): number {
  const d = new Date(from);
  d.setUTCFullYear(d.getUTCFullYear() + FIRES_HORIZON_YEARS);
  return d.getTime();
}

/** Each fire with its wall time, offset and DST marker; `paused` decides the marker. */
function describe(
  s: Plannable,
  from: number,
  count: number,
  paused: (due: number) => boolean,
): { fires: FireTime[]; horizon: number } {
  const horizon = horizonAfter(from);
  const fires = dueFires(s, from, count, horizon).map((f): FireTime => {
    const offset = zoneOffset(s.timezone, f.due);
    return {
      at: formatTimestamp(f.due),
      scheduled_for: formatTimestamp(f.at),
      local: wallText(f.due + offset),
      utc_offset: formatOffset(offset),
      dst: f.moved ? 'moved' : isRepeatedLocalTime(s.timezone, f.at) ? 'repeated' : null,
      moved_from: f.moved ? wallText(f.named) : null,
      paused: paused(f.due),
    };
  });
  return { fires, horizon };
}

function meta(s: Plannable, from: number, found: number, horizon: number, delay: number | null) {
  return {
    cron: s.cron,
    timezone: s.timezone,
    from: formatTimestamp(from),
    count: found,
    horizon: formatTimestamp(horizon),
    delay,
    fixed_time: isFixedTime(s.cron),
  };
}

export class FirePreview implements FiresApi {
  readonly #d: FirePreviewDeps;

  constructor(deps: FirePreviewDeps) {
    this.#d = deps;
  }

  async scheduleFires(id: string, query: FiresQueryInput = {}): Promise<FiresResult> {
    const q = parseInput(firesQuerySchema, query, 'query');
    const s = this.#d.repo.get(id);
    if (!s) throw ApiError.notFound('Schedule', id);
    const error = this.#d.repo.error(id);
    if (error !== null) {
      throw new ApiError('conflict', `Schedule ${id} cannot fire until it is fixed: ${error}`, {
        error,
      });
    }
    const now = this.#d.clock.now();
    const from = q.from ?? now;
    const resume = this.#d.resumesAt(s, now);
    const pausedNow = resume === null || resume > now;
    // Fires before now are history, not something a pause in force now holds back.
    const paused = (due: number) => pausedNow && due >= now && (resume === null || due < resume);
    const plannable = toPlannable(s);
    const { fires, horizon } = describe(plannable, from, q.count, paused);
    const m: FiresMeta = {
      ...meta(plannable, from, fires.length, horizon, plannable.delay ?? 0),
      random_delay: s.random_delay,
      schedule_id: s.id,
      enabled: s.enabled,
      paused: pausedNow,
      paused_until: pausedNow && resume !== null ? formatTimestamp(resume) : null,
    };
    return { data: fires, meta: m };
  }

  async cronFires(input: CronFiresInput): Promise<FiresResult> {
    return expressionFires(input, this.#d.clock.now());
  }
}

/**
 * The fires of an expression not yet saved (`POST /v1/cron/fires`), after `from` or else
 * `now`: the same planning as a saved schedule's, with no pause and no catch-up.
 */
export function expressionFires(input: CronFiresInput, now: number): FiresResult {
  const c = parseInput(cronFiresSchema, input, 'request');
  const from = c.from ?? now;
  // The offset is drawn from the schedule's id: unknown until the schedule exists.
  const delay =
    c.random_delay === 0
      ? 0
      : c.schedule_id === undefined
        ? null
        : randomDelayOffset(c.schedule_id, c.random_delay);
  // dueFires reads only cron, timezone and delay (given here); the rest is the type's.
  const plannable: Plannable = {
    // Stryker disable next-line LogicalOperator,StringLiteral: the delay is given, the id unread
    id: c.schedule_id ?? '',
    cron: c.cron,
    timezone: c.timezone,
    // Stryker disable next-line BooleanLiteral: dueFires never reads enabled
    enabled: true,
    // Stryker disable next-line BooleanLiteral: dueFires never reads catch_up
    catch_up: false,
    updatedAt: from,
    delay: delay ?? 0,
  };
  const { fires, horizon } = describe(plannable, from, c.count, () => false);
  const m: FiresMeta = {
    ...meta(plannable, from, fires.length, horizon, delay),
    random_delay: c.random_delay,
  };
  return { data: fires, meta: m };
}
