// The local times a cron expression names, with local time read as if it were UTC (no zone,
// no DST: fires.ts maps these times to instants in the schedule's zone). Built from the
// fields cron.ts parses, so the validator and the engine read an expression the same way:
// five fields, or six with seconds first; `5/15` runs to the field's end; day of week 7 is
// Sunday; both day fields restricted means either matches.
//
// A search walks months, then days, then a table lookup for the time of day: about a
// microsecond per answer, where cron-parser took ~100 us, so a year of fires, a 1,000-fire
// preview or planning 10,000 schedules stays cheap.
import { cronFieldSets } from './cron';

/** How far a search goes: every valid expression names a time within 28 years (Feb 29). */
const HORIZON_YEARS = 400;

/** For each value 0..max, the smallest allowed value >= it (next) or largest <= it (prev). */
function tables(set: Set<number> | null, max: number) {
  const has = (v: number) => set === null || set.has(v);
  const next = new Int8Array(max + 2).fill(-1);
  const prev = new Int8Array(max + 1);
  for (let v = max; v >= 0; v--) next[v] = has(v) ? v : (next[v + 1] as number);
  for (let v = 0; v <= max; v++) prev[v] = has(v) ? v : v > 0 ? (prev[v - 1] as number) : -1;
  return { next, prev, has, min: next[0] as number, max: prev[max] as number };
}

type Table = ReturnType<typeof tables>;

interface Matcher {
  seconds: Table;
  minutes: Table;
  hours: Table;
  /** Months 1..12. */
  months: Table;
  day(year: number, month: number, day: number): boolean;
}

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function compile(expression: string): Matcher {
  const f = cronFieldSets(expression);
  const second = f.hasSeconds ? f.second : new Set([0]);
  const dom = (d: number) => f.dayOfMonth === null || f.dayOfMonth.has(d);
  const dow = (w: number) => f.dayOfWeek === null || f.dayOfWeek.has(w);
  return {
    seconds: tables(second, 59),
    minutes: tables(f.minute, 59),
    hours: tables(f.hour, 23),
    // Months are 1..12: a table over 0..12 with 0 never allowed.
    months: tables(f.month ?? new Set(ALL_MONTHS), 12),
    day(year, month, day) {
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
      // Only when both fields are restricted may either one decide (a `*` matches all).
      // (`1 * 0-6` names every weekday: either one then matches every day.)
      return f.daysEither ? dom(day) || dow(weekday) : dom(day) && dow(weekday);
    },
  };
}

const MEMO_MAX = 5000;
const compiled = new Map<string, Matcher>();

function matcher(expression: string): Matcher {
  let m = compiled.get(expression);
  // Stryker disable next-line ConditionalExpression: compiling again gives the same matcher
  if (!m) {
    m = compile(expression);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: which matcher a full memo drops changes time, not answers
    if (compiled.size >= MEMO_MAX) compiled.delete(compiled.keys().next().value as string);
    compiled.set(expression, m);
  }
  return m;
}

const at = (h: number, min: number, s: number) => h * 3600 + min * 60 + s;

/** The first time of day at or after `sod` (seconds since midnight) it names, or -1. */
function timeAtOrAfter(m: Matcher, sod: number): number {
  const [h, min, s] = [Math.floor(sod / 3600), Math.floor(sod / 60) % 60, sod % 60];
  const hour = m.hours.next[h] as number;
  if (hour < 0) return -1;
  if (hour > h) return at(hour, m.minutes.min, m.seconds.min);
  let minute = m.minutes.next[min] as number;
  if (minute === min) {
    const second = m.seconds.next[s] as number;
    if (second >= 0) return at(h, min, second);
    minute = m.minutes.next[min + 1] as number;
  }
  if (minute >= 0) return at(h, minute, m.seconds.min);
  const later = m.hours.next[h + 1] as number;
  return later >= 0 ? at(later, m.minutes.min, m.seconds.min) : -1;
}

/** The last time of day at or before `sod` it names, or -1. */
function timeAtOrBefore(m: Matcher, sod: number): number {
  const [h, min, s] = [Math.floor(sod / 3600), Math.floor(sod / 60) % 60, sod % 60];
  const hour = m.hours.prev[h] as number;
  if (hour < 0) return -1;
  if (hour < h) return at(hour, m.minutes.max, m.seconds.max);
  let minute = m.minutes.prev[min] as number;
  if (minute === min) {
    const second = m.seconds.prev[s] as number;
    if (second >= 0) return at(h, min, second);
    // (prev[-1], before minute 0, is undefined: none.)
    minute = m.minutes.prev[min - 1] ?? -1;
  }
  if (minute >= 0) return at(h, minute, m.seconds.max);
  const earlier = m.hours.prev[h - 1] ?? -1;
  return earlier >= 0 ? at(earlier, m.minutes.max, m.seconds.max) : -1;
}

const LAST_SECOND = 86_399;

/** A whole-second instant as its calendar day (month 1..12) and second of the day. */
function split(ms: number) {
  const d = new Date(ms);
  const sod = at(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), sod };
}

/**
 * The first local time strictly after `wall` (ms, local time read as UTC) that the
 * expression names, or null. The expression must be valid.
 */
export function wallAfter(expression: string, wall: number): number | null {
  const m = matcher(expression);
  // Times are whole seconds: the first candidate is the next whole second.
  let { year, month, day, sod } = split(Math.floor(wall / 1000) * 1000 + 1000);
  for (const last = year + HORIZON_YEARS; year <= last;) {
    if (!m.months.has(month)) {
      const next = m.months.next[month + 1] as number;
      if (next < 0) [year, month] = [year + 1, m.months.min];
      else month = next;
      [day, sod] = [1, 0];
    } else if (day > daysIn(year, month)) {
      [month, day, sod] = [month + 1, 1, 0];
      if (month > 12) [year, month] = [year + 1, 1];
    } else {
      const t = m.day(year, month, day) ? timeAtOrAfter(m, sod) : -1;
      if (t >= 0) return Date.UTC(year, month - 1, day) + t * 1000;
      [day, sod] = [day + 1, 0];
    }
  }
  return null;
}

/** The last local time at or before `wall` that the expression names, or null. */
export function wallAtOrBefore(expression: string, wall: number): number | null {
  const m = matcher(expression);
  let { year, month, day, sod } = split(Math.floor(wall / 1000) * 1000);
  for (const first = year - HORIZON_YEARS; year >= first;) {
    if (!m.months.has(month)) {
      // Month 0 is never allowed: before January, prev[0] is -1.
      const prev = m.months.prev[month - 1] as number;
      if (prev < 0) [year, month] = [year - 1, m.months.max];
      else month = prev;
      [day, sod] = [daysIn(year, month), LAST_SECOND];
    } else if (day < 1) {
      month -= 1;
      if (month < 1) [year, month] = [year - 1, 12];
      [day, sod] = [daysIn(year, month), LAST_SECOND];
    } else {
      const t = m.day(year, month, day) ? timeAtOrBefore(m, sod) : -1;
      if (t >= 0) return Date.UTC(year, month - 1, day) + t * 1000;
      [day, sod] = [day - 1, LAST_SECOND];
    }
  }
  return null;
}
