// @ts-nocheck
// 
// The shape of a route's description (route-docs.ts and its rooms), apart from the tables
// so each table can import it without importing the others.
import type { z } from 'zod';
import type { ErrorCode } from '../shared/errors';

export type Origin = 'cmdop' | 'ours';

export interface RouteDoc {
  origin: Origin;
  tag: 'Schedules' | 'Commands' | 'Machines' | 'Auth' | 'Events' | 'Settings' | 'Backups' | 'Meta';
  summary: string;
  /** Behaviour a caller must know: defaults, order, side effects. */
  description: string;
  /** Path parameters, by name. */
  params?: Record<string, string>;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status; default 200. */
  status?: number;
  /**
   * The success answer: `{data, meta}` of one object, a page (`list`), an array with a meta of
   * its own (`items` + `meta`: what the items were computed for, not a page), or something else.
   */
  answer:
    | { one: z.ZodType }
    | { list: z.ZodType }
    | { items: z.ZodType; meta: z.ZodType }
    | { stream: 'text/event-stream' }
    | { document: 'application/json' };
  /** Errors besides those of every route (401, 403, 429, 500). */
  errors: ErrorCode[];
  /** `meta`: the example's meta, for an `items` answer (the others' is generated). */
  example: { query?: string; body?: unknown; data: unknown; meta?: unknown };
}

export const SCHEDULE_ID_PARAM = 'the schedule id, `sched_…`';
