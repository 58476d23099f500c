// Cron syntax checked field by field so a person reads "minute must be 0-59, got 61" instead
// of a parser's internals; firing instants come from cron-parser, which implements IANA zones
// and the DST behaviour we want (cronie's). Pure: no Node, no DOM, usable by the editor too.
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
export function cronError(expression: string): string | null {
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
    if (e instanceof CronSyntaxError) return e.message;
    throw e;
  }
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC' });
  } catch (e) {
    // Our checks should have caught everything; never let a parser gap through silently.
    return `is not a valid cron expression (${(e as Error).message})`;
  }
  return null;
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
export function canonicalTimeZone(zone: string): string {
  zonesByLowerCase ??= new Map(
    ['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]),
  );
  const listed = zonesByLowerCase.get(zone.toLowerCase());
  if (listed) return listed;
  const resolved = resolvedZone(zone);
  if (resolved === null || resolved.toLowerCase() === zone.toLowerCase()) return resolved ?? zone;
  // An alias the runtime does not list: mixed case is taken as the user's own spelling;
  // all-lower or all-upper gets IANA's usual Capitalised_Words, if that names the same zone.
  if (zone !== zone.toLowerCase() && zone !== zone.toUpperCase()) return zone;
  const cased = zone.replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
  return resolvedZone(cased) === resolved ? cased : zone;
}

/** IANA zone names only: Intl would also take offsets like "+05:00", which Cmdop does not. */
export function timeZoneError(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return `unknown time zone '${zone}'`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return `unknown time zone '${zone}'`;
  }
}

// --- DST gaps ---------------------------------------------------------------------------
// cron-parser moves a fixed-time fire that falls in a skipped spring hour forward by the
// gap (New York 02:30 -> 03:30 EDT), but drops it entirely when the gap is not one hour
// (Lord Howe's 30 minutes). cronie runs such a job once after the jump, so we find the
// spring gaps ourselves and map a fire inside one as a wall clock would: forward by the gap.

const DAY_MS = 86_400_000;
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in ms (whole seconds). */
function offsetAt(timeZone: string, ms: number): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = Number(part.value);
  const local = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(ms / 1000) * 1000;
}

interface SpringGap {
  /** The instant the clocks jump. */
  at: number;
  before: number;
  after: number;
}

/**
 * Spring-forward transitions in (from, to]. Weekly samples, then a binary search: zones
 * change offset at most a few times a year, weeks apart (Morocco's Ramadan pause included).
 */
function springGaps(timeZone: string, from: number, to: number): SpringGap[] {
  const gaps: SpringGap[] = [];
  let t = from;
  let offset = offsetAt(timeZone, t);
  while (t < to) {
    const nt = Math.min(t + 7 * DAY_MS, to);
    const next = offsetAt(timeZone, nt);
    if (next > offset) {
      let lo = t;
      let hi = nt;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(timeZone, mid) === offset) lo = mid;
        else hi = mid;
      }
      gaps.push({ at: hi, before: offset, after: next });
    }
    offset = next;
    t = nt;
  }
  return gaps;
}

function expand(expression: string): string {
  // cron-parser knows neither @midnight nor upper-case aliases, which cronError accepts.
  const expr = expression.trim();
  return expr.startsWith('@') ? (CRON_MACROS[expr.toLowerCase()] ?? expr) : expr;
}

function iterate(expression: string, timeZone: string, fromMs: number) {
  return CronExpressionParser.parse(expand(expression), {
    tz: timeZone,
    currentDate: new Date(fromMs),
  });
}

/** Jobs with a fixed hour run once after a spring jump; wildcard-hour jobs keep their pace. */
function hasFixedHour(expression: string): boolean {
  const parts = expand(expression).split(/\s+/);
  const hour = parts[parts.length - 4];
  return hour !== undefined && hour !== '*' && !hour.startsWith('*/');
}

function nextFire(expression: string, timeZone: string, fromMs: number): number | null {
  const iter = iterate(expression, timeZone, fromMs);
  const candidate = iter.hasNext() ? iter.next().getTime() : null;
  if (candidate === null || !hasFixedHour(expression)) return candidate;
  let best = candidate;
  // A gap that began up to a day before `from` can still hold a mapped fire after it.
  for (const gap of springGaps(timeZone, fromMs - DAY_MS, candidate)) {
    const localStart = gap.at + gap.before;
    // Wall-clock times as if they were UTC, to find the first match inside the gap.
    const local = iterate(expression, 'UTC', localStart - 1000);
    const match = local.hasNext() ? local.next().getTime() : null;
    if (match === null || match >= gap.at + gap.after) continue;
    const mapped = match - gap.before;
    if (mapped > fromMs && mapped < best) best = mapped;
  }
  return best;
}

/**
 * The next `count` fire instants (epoch ms) strictly after `fromMs`, in `timeZone`.
 * The expression and zone must already be valid.
 */
export function nextFireTimes(
  expression: string,
  timeZone: string,
  fromMs: number,
  count: number,
): number[] {
  const out: number[] = [];
  let from = fromMs;
  while (out.length < count) {
    const next = nextFire(expression, timeZone, from);
    if (next === null) break;
    out.push(next);
    from = next;
  }
  return out;
}

export function nextFireTime(expression: string, timeZone: string, fromMs: number): number | null {
  return nextFire(expression, timeZone, fromMs);
}

/** The latest fire instant at or before `atMs`, or null if there is none. */
export function previousFireTime(
  expression: string,
  timeZone: string,
  atMs: number,
): number | null {
  // prev() is strictly before its start truncated to the second; fires are whole seconds,
  // so starting at the next whole second includes `atMs` itself.
  const iter = iterate(expression, timeZone, Math.floor(atMs / 1000) * 1000 + 1000);
  return iter.hasPrev() ? iter.prev().getTime() : null;
}
