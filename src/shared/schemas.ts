// One zod schema per input, shared by the REST server, IPC and the editor form, so every
// surface accepts and rejects exactly the same things with the same words.
import { z } from 'zod';
import { ApiError } from './errors';
import { ALERT_URL_MAX, alertUrlProblem } from './alert-url';
import { canonicalTimeZone, cronError, timeZoneError } from './cron';
import { notifyProblems, WEBHOOK_FORMATS, type NotifyInput } from './notify-fields';
import { RANDOM_DELAY_MAX } from './random-delay';
import { formatTimestamp, parseTimestamp } from './time';
import { RUN_STATUSES } from './types';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const COMMAND_MAX = 65536;
/** PATH_MAX on Linux. */
export const CWD_MAX = 4096;
export const ENV_ENTRIES_MAX = 256;
export const ENV_KEY_MAX = 256;
export const ENV_VALUE_MAX = 32_768;
/** The longest IANA zone name is 32 characters; ids we issue are about 21. */
export const TIMEZONE_MAX = 64;
export const MACHINE_ID_MAX = 100;
/** Room for a list of all 60 minutes in every field, and then some. */
export const CRON_MAX = 1000;
export const TIMEOUT_MIN = 1000;
export const TIMEOUT_MAX = 604_800_000;
export const RETRIES_MAX = 10;
export const RETRY_DELAY_MIN = 1000;
/** The longest wait before any retry: backoff stops growing there too. */
export const RETRY_DELAY_MAX = 3_600_000;
export const RETRY_DELAY_DEFAULT = 60_000;
export const RETRY_BACKOFF_MIN = 1;
export const RETRY_BACKOFF_MAX = 10;
export const RETRY_BACKOFF_DEFAULT = 2;
export { RANDOM_DELAY_MAX };
export const LIMIT_DEFAULT = 20;
export const LIMIT_MAX = 100;

export const DEFAULT_NOTIFY = { on_success: false, on_failure: true } as const;

/** Fields the server computes; a request that sets them is refused by name. */
export const READ_ONLY_FIELDS = [
  'id',
  'next_run',
  'last_run',
  'created_at',
  'updated_at',
  'next_retry_at',
  'retry_command_id',
  'stats',
];

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

// A lone UTF-16 surrogate cannot be written as UTF-8: it would come back from disk as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const atMost = (max: number) => ({ error: `must be at most ${max} characters` });

/**
 * A refinement's problem. The object form (not a bare string) marks the issue `continue`,
 * so the whole-object checks still run and every bad field is named at once.
 */
export function addProblem(ctx: z.core.$RefinementCtx, message: string, path: PropertyKey[] = []) {
  // Stryker disable next-line StringLiteral: issues are read by message; no reader tells custom codes apart
  ctx.addIssue({ code: 'custom', message, path });
}

/** Text that survives a shell, a file and a terminal: no NUL, no unpaired surrogates. */
function text(max: number, options: { trim?: boolean; required?: boolean } = {}) {
  const base = options.trim ? z.string().trim() : z.string();
  return base
    .max(max, atMost(max))
    .refine((s) => !options.required || s.trim() !== '', { error: 'must not be blank' })
    .refine((s) => !s.includes('\0'), { error: 'must not contain NUL bytes' })
    .refine((s) => !LONE_SURROGATE.test(s), {
      error: 'must be valid Unicode (it contains an unpaired surrogate)',
    });
}

const name = text(NAME_MAX, { trim: true, required: true });

const description = text(DESCRIPTION_MAX);

const machineId = text(MACHINE_ID_MAX, { trim: true, required: true });

const command = text(COMMAND_MAX, { required: true });

const cron = z
  .string()
  .max(CRON_MAX, atMost(CRON_MAX))
  .trim()
  .superRefine((value, ctx) => {
    const problem = cronError(value);
    if (problem) addProblem(ctx, problem);
  });

/** Stored as the zone's canonical name (`utc` -> `UTC`), so equal zones compare equal. */
const timezone = z
  .string()
  .max(TIMEZONE_MAX, atMost(TIMEZONE_MAX))
  .transform((value, ctx) => {
    const problem = timeZoneError(value);
    if (problem) {
      ctx.addIssue(problem);
      return z.NEVER;
    }
    return canonicalTimeZone(value);
  });

const timeout = z
  .number()
  .int()
  .min(TIMEOUT_MIN, { error: `must be ${TIMEOUT_MIN}..${TIMEOUT_MAX} ms or null for no limit` })
  .max(TIMEOUT_MAX, { error: `must be ${TIMEOUT_MIN}..${TIMEOUT_MAX} ms or null for no limit` })
  .nullable();

/** A webhook or ping URL (ours): http(s), at most ALERT_URL_MAX characters. */
const alertUrl = text(ALERT_URL_MAX).superRefine((value, ctx) => {
  const problem = alertUrlProblem(value);
  if (problem) addProblem(ctx, problem);
});

const alertNotifyFields = {
  webhook_url: alertUrl.nullable().optional(),
  webhook_format: z
    .enum(WEBHOOK_FORMATS, { error: `must be one of ${WEBHOOK_FORMATS.join(', ')}` })
    .optional(),
  ping_url: alertUrl.nullable().optional(),
  allow_http: z.boolean().optional(),
};

/** Any subset of notify's fields: Cmdop's two flags, then ours (alerts). */
export const notifyPatch = z.strictObject({
  on_success: z.boolean().optional(),
  on_failure: z.boolean().optional(),
  ...alertNotifyFields,
});

/** Rules across notify's fields, where the whole object is known (create, the store). */
function wholeNotify(value: Partial<NotifyInput>, ctx: z.core.$RefinementCtx) {
  for (const [field, message] of Object.entries(notifyProblems(value))) {
    addProblem(ctx, message, [field]);
  }
}

const cwd = text(CWD_MAX)
  .refine((s) => ABSOLUTE_PATH.test(s), { error: 'must be an absolute path' })
  .nullable();

const env = z.record(z.string(), text(ENV_VALUE_MAX)).superRefine((value, ctx) => {
  const keys = Object.keys(value);
  if (keys.length > ENV_ENTRIES_MAX) {
    addProblem(ctx, `must have at most ${ENV_ENTRIES_MAX} variables, got ${keys.length}`);
  }
  for (const key of keys) {
    const problem =
      key.length > ENV_KEY_MAX
        ? `variable names must be at most ${ENV_KEY_MAX} characters`
        : ENV_KEY.test(key)
          ? null
          : 'must be a variable name (letters, digits, _; not starting with a digit)';
    if (problem) addProblem(ctx, problem, [key]);
  }
});

const overlap = z.enum(['skip', 'allow'], { error: "must be 'skip' or 'allow'" });

/** A whole number of ms in [min, max], with the rule in the error. */
function msRange(min: number, max: number, what: string) {
  const rule = { error: `must be ${min}..${max} ms (${what})` };
  return z.number().int(rule).min(min, rule).max(max, rule);
}

const retries = z
  .number()
  .int()
  .min(0, { error: `must be 0..${RETRIES_MAX}` })
  .max(RETRIES_MAX, { error: `must be 0..${RETRIES_MAX}` });

const retryDelay = msRange(RETRY_DELAY_MIN, RETRY_DELAY_MAX, '1 s to 1 h');

const retryBackoff = z
  .number()
  .min(RETRY_BACKOFF_MIN, { error: `must be ${RETRY_BACKOFF_MIN}..${RETRY_BACKOFF_MAX}` })
  .max(RETRY_BACKOFF_MAX, { error: `must be ${RETRY_BACKOFF_MIN}..${RETRY_BACKOFF_MAX}` });

const randomDelay = msRange(0, RANDOM_DELAY_MAX, 'up to 1 h; 0 = none');

const shell = z.enum(['login', 'plain'], { error: "must be 'login' or 'plain'" });

const envFile = text(CWD_MAX)
  .refine((s) => ABSOLUTE_PATH.test(s), { error: 'must be an absolute path' })
  .nullable();

/** An instant with a zone, kept in the wire's form (`2026-06-01T09:00:00Z`); null = none. */
export const instantOrNull = z
  .string()
  .max(64, atMost(64))
  .transform((raw, ctx) => {
    const ms = parseTimestamp(raw);
    if (ms === null) {
      ctx.addIssue(
        `must be an ISO 8601 timestamp such as 2026-06-01T09:00:00Z, or null; got '${raw}'`,
      );
      return z.NEVER;
    }
    return formatTimestamp(ms);
  })
  .nullable();

/** One of a list of words, saying which when it is not. */
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const writable = {
  name,
  description,
  machine_id: machineId,
  command,
  cron,
  enabled: z.boolean(),
  timezone,
  timeout,
  notify: notifyPatch,
  cwd,
  env,
  overlap,
  catch_up: z.boolean(),
  retries,
  retry_delay: retryDelay,
  retry_backoff: retryBackoff,
  random_delay: randomDelay,
  shell,
  env_file: envFile,
  paused_until: instantOrNull,
  run_on_battery: z.boolean(),
};

/** The run policies' defaults: what a schedule without them (older files, Cmdop) gets. */
export const POLICY_DEFAULTS = {
  retries: 0,
  retry_delay: RETRY_DELAY_DEFAULT,
  retry_backoff: RETRY_BACKOFF_DEFAULT,
  random_delay: 0,
  shell: 'plain',
  env_file: null,
  paused_until: null,
  run_on_battery: true,
} as const;

const policyFields = {
  retries: retries.default(POLICY_DEFAULTS.retries),
  retry_delay: retryDelay.default(POLICY_DEFAULTS.retry_delay),
  retry_backoff: retryBackoff.default(POLICY_DEFAULTS.retry_backoff),
  random_delay: randomDelay.default(POLICY_DEFAULTS.random_delay),
  shell: shell.default(POLICY_DEFAULTS.shell),
  env_file: envFile.default(POLICY_DEFAULTS.env_file),
  paused_until: instantOrNull.default(POLICY_DEFAULTS.paused_until),
  run_on_battery: z.boolean().default(POLICY_DEFAULTS.run_on_battery),
};

export const scheduleCreateSchema = z.strictObject({
  ...writable,
  description: description.default(''),
  enabled: writable.enabled.default(true),
  timezone: timezone.default('UTC'),
  timeout: timeout.default(null),
  notify: notifyPatch.superRefine(wholeNotify).default({}),
  cwd: cwd.default(null),
  env: env.default({}),
  overlap: overlap.default('skip'),
  catch_up: writable.catch_up.default(false),
  ...policyFields,
});

export const schedulePatchSchema = z.strictObject(writable).partial();

/**
 * A schedule's own fields as the store keeps them: the API's rules, every field present.
 * Loading checks stored data with it too, so a hand edit or another version's file is held
 * to the same rules as a request.
 */
export const storedFieldsSchema = z.object({
  name,
  description,
  command,
  cron,
  enabled: z.boolean(),
  timezone,
  timeout,
  notify: z
    .object({ on_success: z.boolean(), on_failure: z.boolean(), ...alertNotifyFields })
    .superRefine(wholeNotify),
  cwd,
  env,
  overlap,
  catch_up: z.boolean(),
  // Absent in files written before the run policies: their defaults are today's behaviour.
  ...policyFields,
});

/** "cron: minute must be 0-59, got 99; timezone: unknown time zone 'Mars/Base'" */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return Object.entries(issuesToFields(issues))
    .map(([field, rule]) => `${field}: ${rule}`)
    .join('; ');
}

/** A whole number from a query string or a body, with the allowed range in its error. */
export function intParam(min: number, max: number | null, fallback: number) {
  const rule = max === null ? `an integer >= ${min}` : `an integer between ${min} and ${max}`;
  return z
    .union([z.string(), z.number()])
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const text = String(raw).trim();
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n < min || (max !== null && n > max)) {
        ctx.addIssue(`must be ${rule}, got '${String(raw)}'`);
        return z.NEVER;
      }
      return n;
    });
}

const paging = {
  limit: intParam(1, LIMIT_MAX, LIMIT_DEFAULT),
  offset: intParam(0, null, 0),
};

const booleanParam = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || typeof raw === 'boolean') return raw;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    ctx.addIssue(`must be true or false, got '${raw}'`);
    return z.NEVER;
  });

/** Free-text search in a query: trimmed, bounded, case-insensitive where it is applied. */
export const SEARCH_MAX = 200;
const search = text(SEARCH_MAX, { trim: true }).optional();

// Queries are plain objects, not strict ones: an unknown parameter (a cache-buster such as
// `_=123`, a filter this server does not know) is ignored with a warning in `meta.warnings`
// (the server adds it), never a 400. Known parameters with bad values are still a 400.
export const listQuerySchema = z.object({
  machine_id: machineId.optional(),
  enabled: booleanParam,
  /** Cmdop: case-insensitive text in the name (ours: or the command). */
  search,
  ...paging,
});

/** An ISO 8601 timestamp with a zone, as epoch ms; the error shows the expected form. */
export const isoTimestamp = z.string().transform((raw, ctx) => {
  const ms = parseTimestamp(raw);
  if (ms === null) {
    ctx.addIssue(`must be an ISO 8601 timestamp such as 2024-01-20T03:00:00Z, got '${raw}'`);
    return z.NEVER;
  }
  return ms;
});

export const historyQuerySchema = z.object({
  /** ours: filter by run status */
  status: oneOf(RUN_STATUSES).optional(),
  since: isoTimestamp.optional(),
  ...paging,
});

export const pagingQuerySchema = z.object(paging);

export const MACHINE_STATUSES = ['online', 'offline'] as const;
export const TAGS_MAX = 1000;

/** GET /v1/machines (Cmdop): status, comma-separated tags (all must match), search by name. */
export const machinesQuerySchema = z.object({
  status: oneOf(MACHINE_STATUSES).optional(),
  tags: text(TAGS_MAX).optional(),
  search,
  ...paging,
});

export type ScheduleCreateInput = z.input<typeof scheduleCreateSchema>;
export type ScheduleCreate = z.output<typeof scheduleCreateSchema>;
export type SchedulePatch = z.output<typeof schedulePatchSchema>;
export type SchedulePatchInput = z.input<typeof schedulePatchSchema>;
export type ListQueryInput = z.input<typeof listQuerySchema>;
export type ListQuery = z.output<typeof listQuerySchema>;
export type HistoryQueryInput = z.input<typeof historyQuerySchema>;
export type HistoryQuery = z.output<typeof historyQuerySchema>;
export type PagingQueryInput = z.input<typeof pagingQuerySchema>;
export type MachinesQueryInput = z.input<typeof machinesQuerySchema>;
export type MachinesQuery = z.output<typeof machinesQuerySchema>;

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Turns zod issues into `{field: rule}` in words a person reads. */
export function issuesToFields(
  issues: readonly z.core.$ZodIssue[],
  where = '',
): Record<string, string> {
  // A Map, not an object literal: a field named `toString` or `__proto__` is a field too.
  const fields = new Map<string, string>();
  const put = (path: readonly PropertyKey[], message: string) => {
    // An empty key is a key too: only a path with no segments at all means the whole body.
    const parts = [...(where ? [where] : []), ...path.map(String)];
    const key = parts.length > 0 ? parts.join('.') : 'body';
    if (!fields.has(key)) fields.set(key, message);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        // A schedule is the whole body, or one item of a batch (`items.3`).
        const schedule =
          issue.path.length === 0 || (issue.path.length === 2 && issue.path[0] === 'items');
        const readOnly = schedule && READ_ONLY_FIELDS.includes(key);
        put([...issue.path, key], readOnly ? 'is read-only' : 'is not a known field');
      }
    } else if (issue.code === 'invalid_type') {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) put(issue.path, 'is required');
      else if (issue.path.length === 0)
        put([], `must be a JSON object, got ${describeType(input)}`);
      else if (issue.expected === 'int')
        put(issue.path, `must be a whole number, got ${describeType(input)}`);
      else put(issue.path, `must be ${article(issue.expected)}, got ${describeType(input)}`);
    } else {
      put(issue.path, issue.message);
    }
  }
  return Object.fromEntries(fields);
}

/** Parses `value` with `schema` or throws a 400 `validation_error` naming every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.output<S> {
  const result = schema.safeParse(value === undefined ? {} : value, { reportInput: true });
  if (result.success) return result.data;
  throw ApiError.invalid(issuesToFields(result.error.issues), what);
}

// --- ad-hoc commands (Cmdop's Commands API) ----------------------------------------------

/** POST /v1/commands waits for the command: bounded by its timeout, this by default. */
export const SYNC_TIMEOUT_DEFAULT = 60_000;
/** Longer than this, a client should not hold a request open: use /v1/commands/async. */
export const SYNC_TIMEOUT_MAX = 3_600_000;
export const USER_MAX = 64;

const commandFields = {
  machine_id: machineId,
  command,
  cwd: cwd.optional(),
  env: env.optional(),
  /** Cmdop: run as this user. Commands run as the app's user; only that name is accepted. */
  user: text(USER_MAX, { trim: true }).optional(),
};

/** POST /v1/commands/async (Cmdop): like a schedule's run, no limit unless a timeout is given. */
export const commandStartSchema = z.strictObject({
  ...commandFields,
  timeout: timeout.default(null),
});

/** POST /v1/commands (Cmdop): the answer waits for the end, so the timeout is bounded. */
export const commandRunSchema = z.strictObject({
  ...commandFields,
  timeout: z
    .number()
    .int()
    .min(TIMEOUT_MIN, {
      error: `must be ${TIMEOUT_MIN}..${SYNC_TIMEOUT_MAX} ms (longer: POST /v1/commands/async)`,
    })
    .max(SYNC_TIMEOUT_MAX, {
      error: `must be ${TIMEOUT_MIN}..${SYNC_TIMEOUT_MAX} ms (longer: POST /v1/commands/async)`,
    })
    .default(SYNC_TIMEOUT_DEFAULT),
});

export const COMMAND_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;

/** GET /v1/machines/:id/commands: the machine's ad-hoc commands, newest first. */
export const commandsQuerySchema = z.object({
  status: oneOf(COMMAND_STATUSES).optional(),
  since: isoTimestamp.optional(),
  ...paging,
});

export type CommandStartInput = z.input<typeof commandStartSchema>;
export type CommandRunInput = z.input<typeof commandRunSchema>;
export type CommandSpec = z.output<typeof commandStartSchema>;
export type CommandsQueryInput = z.input<typeof commandsQuerySchema>;
export type CommandsQuery = z.output<typeof commandsQuerySchema>;
