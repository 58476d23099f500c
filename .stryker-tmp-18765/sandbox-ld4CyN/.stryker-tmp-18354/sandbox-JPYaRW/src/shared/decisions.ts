// @ts-nocheck
// 
// The decision log (ours): for every planned fire of a schedule, what the engine decided and
// why — `GET /v1/schedules/:id/decisions` (newest first) and `GET /v1/schedules/:id/decisions/at`
// (the planned fire nearest an instant, or the fires nearest it when none was planned then).
// No zod here: the preload's bridge names these verbs, and it bundles nothing else.
// Many fires decided alike in a row (a pause over an every-second schedule, a night the app
// was off) are one entry: a span from `scheduled_for` to `last_scheduled_for`, with a count.
export const DECISION_KINDS = [
  /** It ran (`run_id`, `command_id`). */
  'ran',
  /** The previous run (`command_id`) still ran and overlap is `skip`. */
  'skipped_overlap',
  /** A pause (`reason`: `paused` all schedules, `schedule_paused` this one). */
  'skipped_paused',
  /** The schedule was disabled (span: when it was disabled, when enabled again). */
  'skipped_disabled',
  /** On battery power, and run_on_battery is false. */
  'skipped_battery',
  /** Not run at its time (`reason`: app_stopped, asleep, clock_jump; the span says when). */
  'missed',
  /** A catch-up run, standing for the missed instant `scheduled_for`. */
  'caught_up',
  /** A DST gap moved it: `asked` is the wall time named, `used` the one it ran at. */
  'moved_dst',
  /** A retry of a failed run (`attempt` of `attempts`); `ran` false when it did not happen. */
  'retry',
] as const;

export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_REASONS = [
  'app_stopped',
  'asleep',
  'clock_jump',
  'paused',
  'schedule_paused',
] as const;

export type DecisionReason = (typeof DECISION_REASONS)[number];

export interface Decision {
  /** `dec_…` */
  id: string;
  schedule_id: string;
  kind: DecisionKind;
  /** Whether a run started for it. */
  ran: boolean;
  /** The planned (cron) instant; the first of a span. */
  scheduled_for: string;
  /** The last planned instant it stands for: the same as `scheduled_for` for one fire. */
  last_scheduled_for: string;
  /** Planned fires it stands for (counted up to DECISION_COUNT_MAX). */
  count: number;
  /** When the engine decided (the latest, for a span). */
  decided_at: string;
  reason: DecisionReason | null;
  /** What the fires fell in: the app off, the machine asleep, the clock's jump, disabled. */
  span_from: string | null;
  span_to: string | null;
  run_id: string | null;
  /** The run's command; for `skipped_overlap`, the command that was still running. */
  command_id: string | null;
  attempt: number | null;
  attempts: number | null;
  /** moved_dst: the local wall time named (`2026-03-08T02:30:00`) and the one used. */
  asked: string | null;
  used: string | null;
  /** Whether the schedule caught up missed fires when this was decided. */
  catch_up: boolean;
  /** The engine's own words. */
  message: string;
}

/** The answer of `decisions/at`: the planned fire nearest `time`, and what became of it. */
export interface DecisionAt {
  schedule_id: string;
  timezone: string;
  /** The instant asked about. */
  time: string;
  /** A fire was planned at exactly `time`. */
  planned: boolean;
  /** The planned fire answered for (the nearest to `time`), or null when there is none. */
  fire: string | null;
  /** When none was planned at `time`: the planned fires just before and after it. */
  nearest: string[];
  /** The decision recorded for `fire`, or null (not yet due, or none recorded). */
  decision: Decision | null;
  /** Other decisions about the same fire: its catch-up, its retries. */
  related: Decision[];
  /** Why, in one sentence (decision-sentence.ts, the words the CLI, UI and tray use). */
  sentence: string;
}

/** What a schedule object carries of its newest decision (ours, read-only). */
export type LastDecision = Pick<
  Decision,
  'kind' | 'ran' | 'scheduled_for' | 'last_scheduled_for' | 'reason' | 'count' | 'message'
>;

/**
 * Spans count their fires up to this: counting a week of an every-second schedule, for each
 * of thousands of schedules at start, would hold the engine up for seconds.
 */
export const DECISION_COUNT_MAX = 1000;

/** `GET …/decisions`: ISO 8601 instants; limit 1..100 (default 20), offset ≥ 0. */
export interface DecisionsQueryInput {
  since?: string;
  until?: string;
  limit?: number | string;
  offset?: number | string;
}

/** `GET …/decisions/at`: the ISO 8601 instant asked about. */
export interface DecisionAtQueryInput {
  time: string;
}

export interface DecisionsPage {
  data: Decision[];
  meta: { total: number; limit: number; offset: number };
}

export interface DecisionsApi {
  decisions(scheduleId: string, query?: DecisionsQueryInput): Promise<DecisionsPage>;
  decisionAt(scheduleId: string, query: DecisionAtQueryInput): Promise<DecisionAt>;
}

export const DECISIONS_API_METHODS = [
  'decisions',
  'decisionAt',
] as const satisfies readonly (keyof DecisionsApi)[];
