// A time zone's offset changes: the instants its clocks jump forward (a spring gap: local
// times that never happen) or back (an autumn overlap: local times that happen twice), and
// by how much. fires.ts applies cronie's DST rules to them.
//
// Zones change offset a few times a year at most, so each zone's changes are found once per
// calendar year (weekly samples, then a binary search to the second) and kept: planning
// 10,000 schedules in three zones costs three tables per year, not 10,000 scans, and a fire
// costs a table lookup instead of a call into Intl.

export const DAY_MS = 86_400_000;
const YEAR_CACHE_MAX = 2048;

export interface Transition {
  /** The instant the offset changes. */
  at: number;
  /** The offsets before and after, in ms (whole seconds). */
  before: number;
  after: number;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in ms (whole seconds), asked of Intl. */
export function offsetAt(timeZone: string, ms: number): number {
  let f = offsetFormatters.get(timeZone);
  // Stryker disable next-line ConditionalExpression: a new formatter for the zone reads the same
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

interface YearTable {
  /** The offset at the year's first instant (UTC). */
  start: number;
  /** Changes within the year, in order. */
  changes: Transition[];
}

/**
 * Offset changes in [from, to): weekly samples, then a binary search to the second. A change
 * undone within a week would be missed; zones change a few times a year at most, weeks apart
 * (Casablanca's Ramadan suspension is the shortest in use, about a month).
 */
function scan(timeZone: string, from: number, to: number): YearTable {
  const changes: Transition[] = [];
  const start = offsetAt(timeZone, from);
  let offset = start;
  for (let t = from; t < to;) {
    const nt = Math.min(t + 7 * DAY_MS, to);
    const next = offsetAt(timeZone, nt);
    if (next !== offset) {
      let lo = t;
      let hi = nt;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(timeZone, mid) === offset) lo = mid;
        else hi = mid;
      }
      // A change exactly at the next year's first instant is kept here: that year's table
      // starts with the new offset, so it would not see the change (Africa/Ceuta, 1901).
      changes.push({ at: hi, before: offset, after: next });
    }
    offset = next;
    t = nt;
  }
  return { start, changes };
}

const byYear = new Map<string, YearTable>();

function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

function table(timeZone: string, year: number): YearTable {
  const key = `${timeZone}\u0000${year}`;
  let t = byYear.get(key);
  // Stryker disable next-line ConditionalExpression: scanning the year again gives the same table
  if (!t) {
    t = scan(timeZone, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: which table a full cache drops changes time, not answers
    if (byYear.size >= YEAR_CACHE_MAX) byYear.delete(byYear.keys().next().value as string);
    byYear.set(key, t);
  }
  return t;
}

/** The zone's offset at `ms`, in ms, from the cached tables. */
export function zoneOffset(timeZone: string, ms: number): number {
  const t = table(timeZone, yearOf(ms));
  let offset = t.start;
  for (const c of t.changes) {
    if (c.at > ms) break;
    offset = c.after;
  }
  return offset;
}

/** Offset changes with `at` in (from, to], in order. */
export function transitionsBetween(timeZone: string, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  const last = yearOf(to);
  for (let year = yearOf(from); year <= last; year++) {
    for (const c of table(timeZone, year).changes) if (c.at > from && c.at <= to) out.push(c);
  }
  return out;
}

/** The first offset change in (from, to], or null. */
export function firstTransition(timeZone: string, from: number, to: number): Transition | null {
  const last = yearOf(to);
  for (let year = yearOf(from); year <= last; year++) {
    for (const c of table(timeZone, year).changes) {
      if (c.at > to) return null;
      if (c.at > from) return c;
    }
  }
  return null;
}

/** The last offset change in (from, to], or null. */
export function lastTransition(timeZone: string, from: number, to: number): Transition | null {
  const first = yearOf(from);
  for (let year = yearOf(to); year >= first; year--) {
    const changes = table(timeZone, year).changes;
    for (let i = changes.length - 1; i >= 0; i--) {
      const c = changes[i] as Transition;
      if (c.at <= from) return null;
      if (c.at <= to) return c;
    }
  }
  return null;
}

/** Whether the local time at `ms` happens twice (an autumn change back repeats it). */
export function isRepeatedLocalTime(timeZone: string, ms: number): boolean {
  return transitionsBetween(timeZone, ms - DAY_MS, ms + DAY_MS).some((c) => {
    const back = c.before - c.after;
    // The repeated local times are [at + after, at + before): the instants before the change
    // that read them, and those after it. A change forward (back < 0) repeats none: the
    // range is empty.
    return ms >= c.at - back && ms < c.at + back;
  });
}
