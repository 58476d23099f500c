// Cron syntax checked field by field so a person reads "minute must be 0-59, got 61" instead
// of a parser's internals, and time zone names. Firing instants are in fires.ts. Pure: no
// Node, no DOM, usable by the editor too.
import { CronExpressionParser } from 'cron-parser';

export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A macro as its five fields (cron-parser knows neither @midnight nor upper case). */
export function expandMacros(expression: string): string {
  const expr = expression.trim();
  return expr.startsWith('@') ? (CRON_MACROS[expr.toLowerCase()] ?? expr) : expr;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  question?: boolean;
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31, question: true };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTHS };
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 0, max: 7, names: DAYS, question: true };

const FIVE = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
const SIX = [SECOND, ...FIVE];

// Longest each month can be (February in a leap year).
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

class CronSyntaxError extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) {
    const hint = spec.names ? ` or a name (${spec.names[0]}-${spec.names.at(-1)})` : '';
    throw new CronSyntaxError(
      `${spec.name} must be a number ${spec.min}-${spec.max}${hint}, got '${text}'`,
    );
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronSyntaxError(`${spec.name} must be ${spec.min}-${spec.max}, got ${value}`);
  }
  return value;
}

/** Returns the values a field selects, or null when it selects everything (`*`, `?`). */
function parseField(text: string, spec: FieldSpec): Set<number> | null {
  if (text === '*' || (text === '?' && spec.question)) return null;
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new CronSyntaxError(`${spec.name} has an empty list item in '${text}'`);
    // Stryker disable next-line StringLiteral: split always yields a first element
    const [base = '', step, extra] = item.split('/');
    if (extra !== undefined) throw new CronSyntaxError(`${spec.name} has two steps in '${item}'`);
    let every = 1;
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) < 1) {
        throw new CronSyntaxError(`${spec.name} step must be a positive integer, got '${step}'`);
      }
      every = Number(step);
      // A step past the field's whole range selects one value at most: a typo, never intent.
      const widest = spec.max - spec.min;
      if (every > widest) {
        throw new CronSyntaxError(`${spec.name} step must be 1-${widest}, got ${step}`);
      }
    }
    let from: number;
    let to: number;
    if (base === '*' || (base === '?' && spec.question)) {
      from = spec.min;
      to = spec.max;
    } else if (base.includes('-')) {
      // Stryker disable next-line StringLiteral: base has a '-', so split yields two elements
      const [a = '', b = '', more] = base.split('-');
      if (more !== undefined || a === '' || b === '') {
        throw new CronSyntaxError(`${spec.name} range '${base}' must look like 1-5`);
      }
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (from > to) {
        throw new CronSyntaxError(
          `${spec.name} range ${a}-${b} goes backwards; write it as two ranges`,
        );
      }
    } else {
      if (base === '') throw new CronSyntaxError(`${spec.name} is missing a value in '${item}'`);
      from = parseValue(base, spec);
      // `5/15` means from 5 to the end in steps of 15, as in cronie and cron-parser.
      to = step === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += every) values.add(v);
  }
  return values;
}

function checkDaysExist(dom: Set<number> | null, months: Set<number> | null, dowAll: boolean) {
  // With a day-of-week restriction the job can still fire on those weekdays (OR rule).
  if (dom === null || !dowAll) return;
  const monthList = months ? [...months] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const possible = monthList.some((m) => [...dom].some((d) => d <= (MONTH_DAYS[m - 1] ?? 31)));
  if (!possible) {
    const day = Math.min(...dom);
    const where = monthList.map((m) => MONTH_NAMES[m - 1]).join(', ');
    throw new CronSyntaxError(`never fires: day-of-month ${day} does not occur in ${where}`);
  }
}

function describeFields(count: number): string {
  return `expected 5 or 6 fields, got ${count}`;
}

/** Returns a person-readable reason the expression is invalid, or null when it is valid. */
function checkCron(expression: string): string | null {
  const expr = expression.trim();
  if (expr === '') return 'must not be empty';
  if (expr.startsWith('@')) {
    if (CRON_MACROS[expr.toLowerCase()]) return null;
    return `unknown macro '${expr}'; use one of ${Object.keys(CRON_MACROS).join(', ')}`;
  }
  const parts = expr.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return describeFields(parts.length);
  const specs = parts.length === 6 ? SIX : FIVE;
  try {
    const sets = parts.map((p, i) => parseField(p, specs[i] as FieldSpec));
    const offset = parts.length - 5;
    checkDaysExist(sets[offset + 2] ?? null, sets[offset + 3] ?? null, sets[offset + 4] === null);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: the checks above throw nothing else
    if (e instanceof CronSyntaxError) return e.message;
    throw e;
  }
  // A backstop: no expression is known to pass the checks above and fail the parser's (so no
  // test reaches the catch), and syntax does not depend on the zone given.
  // Stryker disable BlockStatement,ObjectLiteral,StringLiteral: see above
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC' });
  } catch (e) {
    // Our checks should have caught everything; never let a parser gap through silently.
    return `is not a valid cron expression (${(e as Error).message})`;
  }
  // Stryker restore BlockStatement,ObjectLiteral,StringLiteral
  return null;
}

/** The values each field selects (null: every value), for writers of other formats. */
export interface CronFieldSets {
  /** null when the expression has no seconds field (it fires at second 0). */
  second: Set<number> | null;
  minute: Set<number> | null;
  hour: Set<number> | null;
  dayOfMonth: Set<number> | null;
  month: Set<number> | null;
  /** 0-6, Sunday 0 (7 is folded into 0). */
  dayOfWeek: Set<number> | null;
  hasSeconds: boolean;
  /**
   * Both day fields restricted (neither is `*` or `?`): cron's "either" rule, a day that
   * matches either one fires. Otherwise a day must match both (one of them being all days).
   */
  daysEither: boolean;
}

/** The fields of a valid expression (macros expanded); throws on an invalid one. */
export function cronFieldSets(expression: string): CronFieldSets {
  const problem = cronError(expression);
  if (problem) throw new Error(problem);
  const parts = expandMacros(expression).split(/\s+/);
  const specs = parts.length === 6 ? SIX : FIVE;
  const sets = parts.map((p, i) => parseField(p, specs[i] as FieldSpec));
  const o = parts.length - 5;
  const dow = sets[o + 4] ?? null;
  const folded = dow === null ? null : new Set([...dow].map((d) => d % 7));
  return {
    second: o === 1 ? (sets[0] ?? null) : null,
    minute: sets[o] ?? null,
    hour: sets[o + 1] ?? null,
    dayOfMonth: sets[o + 2] ?? null,
    month: sets[o + 3] ?? null,
    dayOfWeek: folded !== null && folded.size === 7 ? null : folded,
    hasSeconds: o === 1,
    daysEither: sets[o + 2] !== null && dow !== null,
  };
}

let zonesByLowerCase: Map<string, string> | null = null;

function resolvedZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * A valid zone in its canonical spelling: `utc` -> `UTC`, `america/new_york` ->
 * `America/New_York`. Only the letter case changes. Aliases stay as chosen: ICU's own
 * canonical ids are CLDR's older ones (`Asia/Kolkata` -> `Asia/Calcutta`), which would
 * surprise the user who picked the modern name.
 */
function canonicalZone(zone: string): string {
  // The runtime's list, for its own spellings. (This Node lists only ids that resolve to
  // themselves, so aliasSpelling() below spells a listed zone the same: no test can tell.)
  zonesByLowerCase ??= new Map(
    // Stryker disable next-line ArrayDeclaration,StringLiteral,MethodExpression: see above
    ['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]),
  );
  // Stryker disable next-line MethodExpression: see above
  return zonesByLowerCase.get(zone.toLowerCase()) ?? aliasSpelling(zone);
}

function aliasSpelling(zone: string): string {
  const resolved = resolvedZone(zone);
  if (resolved === null || resolved.toLowerCase() === zone.toLowerCase()) return resolved ?? zone;
  // An alias the runtime does not list: mixed case is taken as the user's own spelling;
  // all-lower or all-upper gets IANA's usual Capitalised_Words (the same zone: Intl reads
  // zone names case-insensitively).
  if (zone !== zone.toLowerCase() && zone !== zone.toUpperCase()) return zone;
  return zone.replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
}

/** IANA zone names only: Intl would also take offsets like "+05:00", which Cmdop does not. */
function checkTimeZone(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return `unknown time zone '${zone}'`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return `unknown time zone '${zone}'`;
  }
}

// Fire instants live in fires.ts (DST gaps in dst.ts); re-exported for existing callers.
export { nextFireTime, nextFireTimes, previousFireTime } from './fires';

// Checking is pure and costly (the parser's own pass, building a zone formatter), and the
// same few expressions and zones come back for every schedule of a 10,000-schedule store:
// each answer is kept, in a bounded map.
const MEMO_MAX = 5000;

function memoize<R>(fn: (input: string) => R): (input: string) => R {
  const memo = new Map<string, R>();
  return (input) => {
    // Stryker disable next-line ConditionalExpression: computing an answer again gives the same one
    if (memo.has(input)) return memo.get(input) as R;
    const result = fn(input);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: which answer a full memo drops changes memory, not answers
    if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
    memo.set(input, result);
    return result;
  };
}

/** Returns a person-readable reason the expression is invalid, or null when it is valid. */
export const cronError = memoize(checkCron);

/**
 * A valid zone in its canonical spelling: `utc` -> `UTC`, `america/new_york` ->
 * `America/New_York` (see canonicalZone).
 */
export const canonicalTimeZone = memoize(canonicalZone);

/** IANA zone names only: Intl would also take offsets like "+05:00", which Cmdop does not. */
export const timeZoneError = memoize(checkTimeZone);
