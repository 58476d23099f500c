// The decision log's query schemas (the types and verbs are in decisions.ts, which the
// preload may import without zod): the server, IPC and the services parse with these.
import { z } from 'zod';
import { intParam, isoTimestamp, LIMIT_DEFAULT, LIMIT_MAX } from './schemas';
import type { DecisionAtQueryInput, DecisionsQueryInput } from './decisions';

export * from './decisions';

export const decisionsQuerySchema = z.object({
  /** Decisions about fires planned at or after it. */
  since: isoTimestamp.optional(),
  /** …and at or before it. */
  until: isoTimestamp.optional(),
  limit: intParam(1, LIMIT_MAX, LIMIT_DEFAULT),
  offset: intParam(0, null, 0),
});

export const decisionAtQuerySchema = z.object({
  /** The instant asked about; required. */
  time: isoTimestamp,
});

// The plain input types of decisions.ts must stay what these schemas take.
// Stryker disable ArrayDeclaration,BooleanLiteral: a compile-time check, its value never read
export const QUERY_TYPES_MATCH: [
  DecisionsQueryInput extends z.input<typeof decisionsQuerySchema> ? true : false,
  z.input<typeof decisionAtQuerySchema> extends DecisionAtQueryInput ? true : false,
] = [true, true];
// Stryker restore ArrayDeclaration,BooleanLiteral

export type DecisionsQuery = z.output<typeof decisionsQuerySchema>;
