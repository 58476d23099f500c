// Spring-forward gaps of a time zone: the instants its clocks jump ahead, and by how much.
// cron-parser moves a fixed-time fire that falls in a skipped spring hour forward by the gap
// (New York 02:30 -> 03:30 EDT) but drops it entirely when the gap is not one hour (Lord
// Howe's 30 minutes); cronie runs such a job once after the jump, so fires.ts maps it itself.
//
// Zones change offset a few times a year at most, so each zone's gaps are found once per
// calendar year (weekly samples, then a binary search to the second) and kept: planning
// 10,000 schedules in three zones costs three tables, not 10,000 scans.

export const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const YEAR_CACHE_MAX = 512;

export interface SpringGap {
  /** The instant the clocks jump. */
  at: number;
  /** The offsets before and after, in ms. */
  before: number;
  after: number;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in ms (whole seconds). */
export function offsetAt(timeZone: string, ms: number): number {
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

/** Forward jumps in [from, to): weekly samples, then a binary search to the second. */
function scan(timeZone: string, from: number, to: number): SpringGap[] {
  const gaps: SpringGap[] = [];
  let t = from;
  let offset = offsetAt(timeZone, t);
  while (t < to) {
    const nt = Math.min(t + WEEK_MS, to);
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

/** Zones whose offset never changes (UTC, Etc/GMT+5, Asia/Kolkata today): no gaps at all. */
const fixedZones = new Map<string, boolean>();

function isFixed(timeZone: string, around: number): boolean {
  let fixed = fixedZones.get(timeZone);
  if (fixed === undefined) {
    // Two years of monthly samples: a zone with DST (or a recent change) shows two offsets.
    const first = offsetAt(timeZone, around - 365 * DAY_MS);
    fixed = true;
    for (let i = 1; i <= 24 && fixed; i++) {
      fixed = offsetAt(timeZone, around - 365 * DAY_MS + i * 30 * DAY_MS) === first;
    }
    fixedZones.set(timeZone, fixed);
  }
  return fixed;
}

const byYear = new Map<string, SpringGap[]>();

function gapsOfYear(timeZone: string, year: number): SpringGap[] {
  const key = `${timeZone}\u0000${year}`;
  let gaps = byYear.get(key);
  if (!gaps) {
    gaps = scan(timeZone, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
    if (byYear.size >= YEAR_CACHE_MAX) byYear.delete(byYear.keys().next().value as string);
    byYear.set(key, gaps);
  }
  return gaps;
}

/** Spring-forward transitions with `at` in (from, to]. */
export function springGaps(timeZone: string, from: number, to: number): SpringGap[] {
  if (to <= from || isFixed(timeZone, from)) return [];
  const out: SpringGap[] = [];
  const last = new Date(to).getUTCFullYear();
  for (let year = new Date(from).getUTCFullYear(); year <= last; year++) {
    for (const gap of gapsOfYear(timeZone, year)) if (gap.at > from && gap.at <= to) out.push(gap);
  }
  return out;
}
