// When a schedule fires: instants from cron-parser, which implements IANA zones and most of
// the DST behaviour we want (cronie's), plus our mapping of fixed-time fires that fall in a
// spring gap cron-parser drops (see dst.ts). Pure: the engine, the API and the editor all
// compute fires with this one implementation.
//
// Parsing an expression costs as much as finding its next fire, so one parsed expression per
// (expression, zone) is kept and rewound for each question instead of parsed again.
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { expandMacros as expand } from './cron';
import { DAY_MS, springGaps } from './dst';

const PARSED_MAX = 2000;
const parsed = new Map<string, CronExpression>();

/** The expression positioned at `fromMs`. Not re-entrant: use it before the next call. */
function at(expression: string, timeZone: string, fromMs: number): CronExpression {
  const key = `${expression}\u0000${timeZone}`;
  let expr = parsed.get(key);
  if (expr) {
    expr.reset(new Date(fromMs));
    // Most recently used last, so the oldest is dropped when the cache is full.
    parsed.delete(key);
  } else {
    expr = CronExpressionParser.parse(expand(expression), {
      tz: timeZone,
      currentDate: new Date(fromMs),
    });
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  }
  parsed.set(key, expr);
  return expr;
}

/** One call to the parser; it throws where there is no further instant. */
function step(expr: CronExpression, direction: 'next' | 'prev'): number | null {
  try {
    return (direction === 'next' ? expr.next() : expr.prev()).getTime();
  } catch {
    return null;
  }
}

/** Jobs with a fixed hour run once after a spring jump; wildcard-hour jobs keep their pace. */
function hasFixedHour(expression: string): boolean {
  const parts = expand(expression).split(/\s+/);
  const hour = parts[parts.length - 4];
  return hour !== undefined && hour !== '*' && !hour.startsWith('*/');
}

function nextFire(expression: string, timeZone: string, fromMs: number): number | null {
  const candidate = step(at(expression, timeZone, fromMs), 'next');
  if (candidate === null || !hasFixedHour(expression)) return candidate;
  let best = candidate;
  // A gap that began up to a day before `from` can still hold a mapped fire after it.
  for (const gap of springGaps(timeZone, fromMs - DAY_MS, candidate)) {
    const localStart = gap.at + gap.before;
    // Wall-clock times as if they were UTC, to find the first match inside the gap.
    const match = step(at(expression, 'UTC', localStart - 1000), 'next');
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
  return step(at(expression, timeZone, Math.floor(atMs / 1000) * 1000 + 1000), 'prev');
}
