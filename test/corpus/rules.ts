// The rule table: every way our fires may differ from croner's, named, with where it comes
// from and a test for whether it explains one disagreement. A disagreement no rule explains
// fails the corpus. The README's "How schedules run" shows the same rules, with worked
// examples taken from the preview route's answers.
import { Cron } from 'croner';
import { expandMacros } from '../../src/shared/cron';
import { offsetMs, transitions, type Transition } from './zone';

/** An instant one implementation fires at and the other does not. */
export interface Disagreement {
  side: 'ours' | 'croner';
  at: number;
}

const transitionsMemo = new Map<string, Transition[]>();

/** A zone's changes over the corpus year, found once per zone (the scan costs ~1 ms). */
function zoneTransitions(zone: string, from: number, to: number): Transition[] {
  const key = `${zone} ${from} ${to}`;
  let list = transitionsMemo.get(key);
  if (!list) transitionsMemo.set(key, (list = transitions(zone, from, to)));
  return list;
}

/** What the rules may look at for one (expression, zone) pair. */
export class PairContext {
  readonly transitions: Transition[];
  /** cronie's test: a job is a wildcard job when its minute or hour field starts with `*`. */
  readonly oursFixed: boolean;
  /** croner's fixedTimeRule "no-wildcard": no `*`, `?` or step in seconds, minutes, hours. */
  readonly cronerFixed: boolean;
  /** croner's rule on the minute and hour fields alone. */
  readonly cronerFixedWithoutSeconds: boolean;
  readonly #wall: Cron;
  /** With both day fields restricted: the expression with only one of them, in UTC. */
  readonly #days: { dom: Cron; dow: Cron } | null = null;
  readonly #toSunday: Cron | null = null;

  constructor(
    readonly expression: string,
    readonly zone: string,
    from: number,
    to: number,
  ) {
    this.transitions = zoneTransitions(zone, from - 86_400_000, to + 86_400_000);
    // Wall-clock matching: the expression in UTC, where local time is read as if it were UTC.
    this.#wall = new Cron(cronerPattern(expression), { ...CRONER_OPTIONS, timezone: 'UTC' });
    const fields = timeFields(expression);
    this.oursFixed = !fields.minute.startsWith('*') && !fields.hour.startsWith('*');
    const croners = (f: string) => !/[*?/]/.test(f);
    this.cronerFixedWithoutSeconds = croners(fields.minute) && croners(fields.hour);
    this.cronerFixed = this.cronerFixedWithoutSeconds && croners(fields.second);
    const parts = cronerPattern(expression).split(/\s+/);
    const dowField = parts[parts.length - 1] as string;
    const toSunday = dowField
      .split(',')
      .map((item) =>
        item.replace(/^([a-z]{3}|\d)\/(\d+)$/i, (_, a: string, n: string) => {
          const day = DAY_NAMES.indexOf(a.toUpperCase());
          return `${day >= 0 ? day : a}-7/${n}`;
        }),
      )
      .join(',');
    if (toSunday !== dowField) {
      // Wall-clock matching, as #wall: a moved fire's named time is in no zone's clock.
      this.#toSunday = new Cron([...parts.slice(0, -1), toSunday].join(' '), {
        ...CRONER_OPTIONS,
        timezone: 'UTC',
      });
    }
    const [dom, dow] = [parts.length - 3, parts.length - 1];
    const restricted = (i: number) => !['*', '?'].includes(parts[i] as string);
    if (restricted(dom) && restricted(dow)) {
      const only = (i: number) =>
        new Cron(parts.map((p, j) => (j === i ? '*' : p)).join(' '), {
          ...CRONER_OPTIONS,
          timezone: 'UTC',
        });
      this.#days = { dom: only(dow), dow: only(dom) };
    }
  }

  /**
   * croner's reading of the expression with each day-of-week `a/n` written `a-7/n` names the
   * fire's local time, or the local time a spring gap moved it from (a Sunday only the step
   * names, in a gap: the Sunday is this rule, the move is spring-gap-moved's).
   */
  stepsToSunday(at: number): boolean {
    const sunday = this.#toSunday;
    if (!sunday) return false;
    const names = (wall: number) => sunday.match(new Date(wall));
    return names(at + offsetMs(this.zone, at)) || this.#namedBeforeGap(at).some(names);
  }

  /** The local times a spring gap may have moved a fire at `at` from. */
  #namedBeforeGap(at: number): number[] {
    return this.transitions
      .filter((t) => t.after > t.before && at >= t.at && at < t.at + (t.after - t.before))
      .map((t) => at + t.before);
  }

  /** Whether the expression names this local time (ms, local time read as UTC). */
  matchesWall(wall: number): boolean {
    return this.#wall.match(new Date(wall));
  }

  /** The first local time at or after `wall` that the expression names. */
  nextWall(wall: number): number | null {
    return this.#wall.nextRun(new Date(wall - 1))?.getTime() ?? null;
  }

  /** A fire moved forward by a spring gap: its named local time, `at` + the offset before. */
  movedIntoGap(at: number): boolean {
    return this.#namedBeforeGap(at).some((wall) => this.matchesWall(wall));
  }

  /** croner's fire for a fixed time in a gap: at the end of the gap, when one is named. */
  atGapEnd(at: number): boolean {
    return this.transitions.some((t) => {
      if (!(t.after > t.before) || at !== t.at) return false;
      const named = this.nextWall(t.at + t.before);
      return named !== null && named < t.at + t.after;
    });
  }

  /** The first time a local time occurs that an autumn change back will repeat. */
  firstOfRepeat(at: number): boolean {
    return this.transitions.some(
      (t) => t.before > t.after && at >= t.at - (t.before - t.after) && at < t.at,
    );
  }

  /** Within 3 hours of an offset change. */
  nearChange(at: number): boolean {
    return this.transitions.some((t) => Math.abs(at - t.at) < 3 * 3600_000);
  }

  /** Both day fields restricted, and only one of them names the fire's local day. */
  oneDayFieldMatches(at: number): boolean {
    if (!this.#days) return false;
    const wall = new Date(at + offsetMs(this.zone, at));
    return this.#days.dom.match(wall) !== this.#days.dow.match(wall);
  }

  /** The second time a repeated local time occurs (after an autumn change back). */
  secondOccurrence(at: number): boolean {
    return this.transitions.some(
      (t) =>
        t.before > t.after &&
        at >= t.at &&
        at < t.at + (t.before - t.after) &&
        this.matchesWall(at + t.after),
    );
  }
}

export interface Rule {
  id: string;
  /** Whose rule it is: cronie's behaviour, cron's calendar, or our own reading. */
  source: string;
  /** What happens, in a sentence a user reads (the README shows the same words). */
  rule: string;
  /** How croner differs, which is why the rule is needed to explain a disagreement. */
  croner: string;
  explains(d: Disagreement, c: PairContext): boolean;
}

/** A fixed-time fire moved by a gap, or the other side's counterpart of it. */
const gapOrRepeat = (d: Disagreement, c: PairContext) =>
  d.side === 'ours' ? c.movedIntoGap(d.at) : c.secondOccurrence(d.at);

export const RULES: Rule[] = [
  {
    id: 'spring-gap-moved',
    source: "cronie's DST rule (spring)",
    rule:
      'A fixed-time job whose local time is skipped by a spring change runs once, moved ' +
      'forward by the length of the gap: 02:30 becomes 03:30 EDT, and 02:15 on Lord ' +
      "Howe's half-hour change becomes 02:45.",
    croner: 'runs it at the end of the gap (03:00 EDT, 02:30 on Lord Howe)',
    explains: (d, c) =>
      c.oursFixed && c.cronerFixed && (d.side === 'ours' ? c.movedIntoGap(d.at) : c.atGapEnd(d.at)),
  },
  {
    id: 'wildcard-test',
    source: "cronie's wildcard test",
    rule:
      'A job is a wildcard job — it keeps its pace through DST changes, skipping a gap and ' +
      'running in both copies of a repeated hour — only when its minute or hour field starts ' +
      'with `*`. Any other job is fixed-time: `0 1-3/2 * * *` and `5/20 2 * * *` too.',
    croner: 'counts any step (`1-3/2`, `5/20`) as an interval job',
    explains: (d, c) => c.oursFixed && !c.cronerFixedWithoutSeconds && gapOrRepeat(d, c),
  },
  {
    id: 'seconds-first',
    source: 'our seconds-first reading',
    rule:
      'Six fields are read with seconds first. cronie has no seconds, so the seconds field ' +
      'never makes a job a wildcard job: `*/10 30 2 * * *` is fixed-time (every 10 s of ' +
      '02:30, moved to 03:30 on the spring day).',
    croner: 'counts a seconds field with `*` or a step as an interval job',
    explains: (d, c) =>
      c.oursFixed && c.cronerFixedWithoutSeconds && !c.cronerFixed && gapOrRepeat(d, c),
  },
  {
    id: 'dow-step-to-sunday',
    source: "cronie's day-of-week range 0-7",
    rule:
      'A day-of-week step from a value runs to the end of the field, 7, which is Sunday ' +
      'again: `5/2` is Friday and Sunday, `1/3` Monday, Thursday and Sunday (and a ' +
      'fixed time on such a Sunday is moved by a spring gap like any other).',
    croner: 'stops at Saturday (6): `5/2` is Friday only',
    explains: (d, c) => d.side === 'ours' && c.stepsToSunday(d.at),
  },
];

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Readings croner shares with us: no disagreement to explain, so the corpus counts the fires
 * that exercise each one and that both sides agreed on, to show they were really tested.
 */
export interface SharedReading {
  id: string;
  source: string;
  rule: string;
  /** Whether an agreed fire exercises the reading. */
  covers(at: number, c: PairContext): boolean;
}

export const SHARED: SharedReading[] = [
  {
    id: 'autumn-once',
    source: "cronie's DST rule (autumn)",
    rule:
      'A fixed-time job whose local time happens twice (an autumn change back) runs once, ' +
      'the first time.',
    covers: (at, c) => c.oursFixed && c.firstOfRepeat(at),
  },
  {
    id: 'wildcard-pace',
    source: "cronie's DST rule (wildcard jobs)",
    rule:
      'A wildcard job keeps its pace: no fire in a spring gap, both fires in a repeated hour ' +
      '(`0 * * * *` fires 23 times on the spring day in New York and 25 on the autumn day).',
    covers: (at, c) => !c.oursFixed && c.nearChange(at),
  },
  {
    id: 'dom-dow-either',
    source: "cron's calendar",
    rule:
      'When both day of month and day of week are restricted (anything but `*` or `?`), a ' +
      'day matching either fires: `0 0 13 * 5` runs on every 13th and every Friday.',
    covers: (at, c) => c.oneDayFieldMatches(at),
  },
];

/** The options croner runs with in the corpus: its closest reading of classic cron. */
export const CRONER_OPTIONS = {
  paused: true,
  mode: '5-or-6-parts',
  // `5/15` (from 5 on, every 15), as cronie and we read it.
  sloppyRanges: true,
  // Vixie cron's classification, as close as croner gets (see the wildcard-test rule).
  fixedTimeRule: 'no-wildcard',
} as const;

/** The expression as croner takes it: macros written out (croner lacks @midnight). */
export function cronerPattern(expression: string): string {
  return expandMacros(expression);
}

function timeFields(expression: string) {
  const parts = cronerPattern(expression).split(/\s+/);
  const six = parts.length === 6;
  return {
    second: six ? (parts[0] as string) : '0',
    minute: parts[six ? 1 : 0] as string,
    hour: parts[six ? 2 : 1] as string,
  };
}

/** The local wall time and offset of an instant, for messages: `2026-03-08 03:30 -04:00`. */
export function describeInstant(zone: string, at: number): string {
  const offset = offsetMs(zone, at);
  const wall = new Date(at + offset).toISOString().slice(0, 19).replace('T', ' ');
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(at).toISOString().replace('.000', '')} (${wall} ${sign}${hhmm})`;
}
