// @ts-nocheck
// 
// The routes about when schedules fire and what became of each planned fire (ours): the
// fire preview and the decision log. Part of ROUTE_DOCS (route-docs.ts), kept apart so each
// table reads in one sitting.
import { decisionAtQuerySchema, decisionsQuerySchema } from '../shared/decisions-api';
import { cronFiresSchema, firesQuerySchema } from '../shared/fires-api';
import { decisionAtWire, decisionWire, fireTimeWire, firesMetaWire } from '../shared/wire-schemas';
import { SCHEDULE_ID_PARAM, type RouteDoc } from './route-doc-types';
import { EXAMPLES as X } from './route-examples';

const SCHEDULE_ID = { id: SCHEDULE_ID_PARAM };

export const PLANNING_ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /v1/schedules/:id/fires': {
    origin: 'ours',
    tag: 'Schedules',
    summary: 'When a schedule will fire',
    description:
      "The next `count` fires strictly after `from` (default now), computed by the engine's own " +
      'planning: each with its wall time, UTC offset and what DST did to it (`moved` by a spring gap, ' +
      "`repeated` in an autumn hour), the schedule's random delay included, and `paused` when a pause " +
      'in force holds it back. The first fire not paused is `next_run`. Fewer than asked when none ' +
      'come within 100 years. A stored schedule that breaks the rules: 409.',
    params: SCHEDULE_ID,
    query: firesQuerySchema,
    answer: { items: fireTimeWire, meta: firesMetaWire },
    errors: ['validation_error', 'not_found', 'conflict'],
    example: {
      query: 'from=2026-03-07T12:00:00Z&count=2',
      data: X.fires,
      meta: {
        ...X.firesMeta,
        schedule_id: 'sched_abc123',
        enabled: true,
        paused: false,
        paused_until: null,
      },
    },
  },
  'GET /v1/schedules/:id/decisions': {
    origin: 'ours',
    tag: 'Schedules',
    summary: 'What became of each planned fire, and why',
    description:
      'The decision log, newest first: for every planned fire, whether it ran (`ran`, `caught_up`, ' +
      '`moved_dst`, `retry`) or why not (`skipped_overlap`, `skipped_paused`, `skipped_disabled`, ' +
      '`skipped_battery`, `missed` with `reason` `app_stopped`, `asleep` or `clock_jump`). Fires ' +
      'decided alike in a row are one entry, from `scheduled_for` to `last_scheduled_for` with a ' +
      '`count`. `since`/`until` keep entries whose fires fall between them. Kept as long as history ' +
      'retention keeps runs; the history goes with the schedule.',
    params: SCHEDULE_ID,
    query: decisionsQuerySchema,
    answer: { list: decisionWire },
    errors: ['validation_error', 'not_found'],
    example: { query: 'since=2024-01-19T00:00:00Z&limit=20', data: [X.decision] },
  },
  'GET /v1/schedules/:id/decisions/at': {
    origin: 'ours',
    tag: 'Schedules',
    summary: 'Why a schedule did or did not run at an instant',
    description:
      'Answers for the planned fire nearest `time`: when none was planned at that instant, ' +
      '`planned` is false and `nearest` names the fires just before and after it (computed as the ' +
      'fire preview computes them). `decision` is what became of that fire, `related` its ' +
      'catch-up or retries, and `sentence` says it in one sentence (the words `cmdop-scheduler why` ' +
      'prints).',
    params: SCHEDULE_ID,
    query: decisionAtQuerySchema,
    answer: { one: decisionAtWire },
    errors: ['validation_error', 'not_found'],
    example: { query: 'time=2024-01-20T08:00:00Z', data: X.decisionAt },
  },
  'POST /v1/cron/fires': {
    origin: 'ours',
    tag: 'Schedules',
    summary: 'When an expression would fire',
    description:
      'The fire preview of an expression not yet saved (what the editor shows as you type): the same ' +
      "answer as a schedule's fires, without pauses. With a `random_delay` and no `schedule_id` the " +
      'offset is not known yet: `meta.delay` is null and each fire starts up to `random_delay` after `at`.',
    body: cronFiresSchema,
    answer: { items: fireTimeWire, meta: firesMetaWire },
    errors: ['validation_error', 'invalid_json'],
    example: {
      body: {
        cron: '30 2 * * *',
        timezone: 'America/New_York',
        from: '2026-03-07T12:00:00Z',
        count: 2,
      },
      data: X.fires,
      meta: X.firesMeta,
    },
  },
};
