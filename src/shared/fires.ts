// When a schedule fires. One implementation, pure, shared by the engine, the API's preview
// routes and the editor, in two steps:
//
// 1. The local times an expression names, with local time read as if it were UTC
//    (wall-times.ts). No zone takes part, so no DST rule hides in a parser: cron-parser's
//    gave up at Lord Howe's half-hour change ("loop limit exceeded") and moved fires that
//    needed no moving.
// 2. The instants those local times fall on in the zone (offset changes from dst.ts), with
//    cronie's rules where a local time happens never or twice:
//    - a fixed-time job (neither the minute nor the hour field starts with `*`, cronie's
//      test) whose time is skipped by a spring change runs once, moved forward by the
//      length of the gap (02:30 -> 03:30 EDT); one whose time happens twice runs once, the
//      first time;
//    - a wildcard job keeps its pace: no fire in a gap, both fires in a repeated hour.
//    The seconds field of a 6-field expression plays no part in the test (cronie has none).
import { expandMacros as expand } from './cron';
import {
  DAY_MS,
  firstTransition,
  lastTransition,
  transitionsBetween,
  zoneOffset,
  type Transition,
} from './dst';
import { wallAfter, wallAtOrBefore } from './wall-times';

const MEMO_MAX = 5000;
/** A bound on offset changes crossed while looking for one fire: never reached by real zones. */
const MAX_CHANGES = 10_000;
/** How far to look for a moved fire when the expression names no later local time. */
const GAP_HORIZON_MS = 400 * DAY_MS;

const fixedMemo = new Map<string, boolean>();

/**
 * cronie's test: a job is a wildcard job when its minute or hour field starts with `*`
 * (`0 * * * *`, `*\/20 2 * * *`); any other is a fixed-time job (`30 2 * * *`, `0 1-3/2 * * *`).
 */
export function isFixedTime(expression: string): boolean {
  let fixed = fixedMemo.get(expression);
  // Stryker disable next-line ConditionalExpression: computing the answer again gives the same one
  if (fixed === undefined) {
    const parts = expand(expression).split(/\s+/);
    // A valid expression has five fields at least.
    // Stryker disable next-line StringLiteral: see above
    const minute = parts[parts.length - 5] ?? '*';
    // Stryker disable next-line StringLiteral: see above
    const hour = parts[parts.length - 4] ?? '*';
    fixed = !minute.startsWith('*') && !hour.startsWith('*');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: when the memo is cleared changes memory, not answers
    if (fixedMemo.size >= MEMO_MAX) fixedMemo.clear();
    fixedMemo.set(expression, fixed);
  }
  return fixed;
}

/** One fire: the instant, and the local time the expression named for it. */
export interface FireDetail {
  at: number;
  /** The local time named (read as UTC); differs from the instant's own when moved. */
  named: number;
  /** Moved forward by a spring gap (the named local time never happened). */
  moved: boolean;
}

/** A fixed-time job already ran a local time that a change back repeats: the change, if so. */
function repeatedBy(zone: string, t: number): Transition | null {
  for (const c of transitionsBetween(zone, t - DAY_MS, t)) {
    // (A change forward repeats nothing: t, after the change, is never before at - gap.)
    if (t < c.at + (c.before - c.after)) return c;
  }
  return null;
}

/** The first instant after `from` on which a named local time falls (the plain fires). */
function plainAfter(expression: string, zone: string, fixed: boolean, fromMs: number) {
  let from = fromMs;
  // Stryker disable next-line EqualityOperator,UpdateOperator: a safety bound real zones never reach
  for (let i = 0; i < MAX_CHANGES; i++) {
    const offset = zoneOffset(zone, from + 1);
    const named = wallAfter(expression, from + offset);
    if (named === null) return null;
    const t = named - offset;
    // Past a change the offset differs: look again from the change.
    const change = firstTransition(zone, from + 1, t);
    if (change) {
      from = change.at - 1;
      continue;
    }
    const repeat = fixed ? repeatedBy(zone, t) : null;
    if (repeat) {
      // Its first occurrence was before the change; go on after the repeated span.
      from = repeat.at + (repeat.before - repeat.after) - 1;
      continue;
    }
    return { at: t, named, moved: false };
  }
  return null;
}

/** The last instant at or before `to` on which a named local time falls. */
function plainAtOrBefore(
  expression: string,
  zone: string,
  fixed: boolean,
  toMs: number,
): number | null {
  let to = toMs;
  // Stryker disable next-line EqualityOperator,UpdateOperator: a safety bound real zones never reach
  for (let i = 0; i < MAX_CHANGES; i++) {
    const offset = zoneOffset(zone, to);
    const named = wallAtOrBefore(expression, to + offset);
    if (named === null) return null;
    const t = named - offset;
    const change = lastTransition(zone, t, to);
    if (change) {
      to = change.at - 1;
      continue;
    }
    const repeat = fixed ? repeatedBy(zone, t) : null;
    if (repeat) {
      to = repeat.at - 1;
      continue;
    }
    return t;
  }
  return null;
}

function nextFire(expression: string, zone: string, fromMs: number): FireDetail | null {
  const fixed = isFixedTime(expression);
  let best: FireDetail | null = plainAfter(expression, zone, fixed, fromMs);
  if (!fixed) return best;
  // A fire moved by a gap lands in [change, change + gap): it can come before the plain
  // one, and a gap that began up to a day before `from` can still hold one after it. A change
  // back skips no local time: the named time found is past [at + before, at + after).
  // (best is null only if no local time is named within 400 years: no valid expression.)
  // Stryker disable next-line LogicalOperator,OptionalChaining: see above
  for (const c of transitionsBetween(zone, fromMs - DAY_MS, best?.at ?? fromMs + GAP_HORIZON_MS)) {
    const named = wallAfter(expression, Math.max(c.at + c.before - 1, fromMs + c.before));
    if (named === null || named >= c.at + c.after) continue;
    const moved = named - c.before;
    if (best === null || moved < best.at) best = { at: moved, named, moved: true };
  }
  return best;
}

/** The instant of the last fire at or before `atMs` (moved ones included), or null. */
function previousFire(expression: string, zone: string, atMs: number): number | null {
  const fixed = isFixedTime(expression);
  let best = plainAtOrBefore(expression, zone, fixed, atMs);
  if (!fixed) return best;
  // As in nextFire: a change back is skipped by the test on `named`.
  // Stryker disable next-line LogicalOperator: best is null for no valid expression (as above)
  for (const c of transitionsBetween(zone, (best ?? atMs - GAP_HORIZON_MS) - DAY_MS, atMs)) {
    const named = wallAtOrBefore(expression, Math.min(c.at + c.after - 1, atMs + c.before));
    // Only a time in the gap is moved (one before it may even be a year back, past other
    // changes: `named - before` would not be its instant).
    if (named === null || named < c.at + c.before) continue;
    const moved = named - c.before;
    if (best === null || moved > best) best = moved;
  }
  return best;
}

/**
 * The next `count` fires strictly after `fromMs`, in `timeZone`, with what each named.
 * The expression and zone must already be valid.
 */
export function nextFireDetails(
  expression: string,
  timeZone: string,
  fromMs: number,
  count: number,
  /** Fires at or after it are not looked for (a bound for sparse expressions). */
  untilMs = Infinity,
): FireDetail[] {
  const out: FireDetail[] = [];
  let from = fromMs;
  while (out.length < count) {
    const next = nextFire(expression, timeZone, from);
    if (next === null || next.at >= untilMs) break;
    out.push(next);
    from = next.at;
  }
  return out;
}

/** The next `count` fire instants (epoch ms) strictly after `fromMs`, in `timeZone`. */
export function nextFireTimes(
  expression: string,
  timeZone: string,
  fromMs: number,
  count: number,
): number[] {
  return nextFireDetails(expression, timeZone, fromMs, count).map((f) => f.at);
}

export function nextFireTime(expression: string, timeZone: string, fromMs: number): number | null {
  return nextFire(expression, timeZone, fromMs)?.at ?? null;
}

/** The latest fire instant at or before `atMs`, or null if there is none. */
export function previousFireTime(
  expression: string,
  timeZone: string,
  atMs: number,
): number | null {
  return previousFire(expression, timeZone, atMs);
}
