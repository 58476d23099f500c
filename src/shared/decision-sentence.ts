// "Why didn't it run?" in one sentence, from a decision: the same words in the terminal
// (`why`), the history view's timeline, the schedule row and the tray. Times are read in the
// schedule's own zone, as its cron expression is: "At 03:00 EST on 8 Mar the job did not run:
// the app was not running from 22:14 on 7 Mar to 07:02 on 8 Mar; catch-up is off for this
// schedule."
import type { Decision, DecisionAt, LastDecision } from './decisions';

const formatters = new Map<string, { time: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string) {
  let f = formatters.get(timeZone);
  // Stryker disable next-line ConditionalExpression: new formatters for a zone read the same
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
      // en-US names the US zones (EST, EDT); elsewhere it says GMT+1, which is still right.
      zone: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }),
    };
    formatters.set(timeZone, f);
  }
  return f;
}

/** `03:00 on 8 Mar` in the zone (seconds when they matter, the year when not `now`'s). */
export function wallTime(
  iso: string,
  timeZone: string,
  options: { zone?: boolean; now?: number } = {},
): string {
  const ms = Date.parse(iso);
  const f = formattersFor(timeZone);
  const parts = Object.fromEntries(f.time.formatToParts(ms).map((p) => [p.type, p.value]));
  const clock =
    parts.second === '00'
      ? `${parts.hour}:${parts.minute}`
      : `${parts.hour}:${parts.minute}:${parts.second}`;
  const sameYear =
    options.now === undefined || new Date(options.now).getUTCFullYear() === Number(parts.year);
  const zone = options.zone
    ? // en-US with timeZoneName always has the part (GMT+1 where it knows no short name).
      ` ${f.zone.formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value}`
    : '';
  return `${clock}${zone} on ${parts.day} ${parts.month}${sameYear ? '' : ` ${parts.year}`}`;
}

/** `2026-03-08T02:30:00` (a wall time, no zone) as `02:30`. */
const wallClock = (local: string) =>
  local.endsWith(':00') ? local.slice(11, 16) : local.slice(11, 19);

/** Why it did not run (or how it ran), after "the job …": no leading capital, no stop. */
function because(d: Decision, zone: string, now?: number, caughtUp?: Decision): string {
  const t = (iso: string | null) => (iso === null ? '?' : wallTime(iso, zone, { now }));
  const span = `from ${t(d.span_from)} to ${t(d.span_to)}`;
  const catchUp = caughtUp
    ? `; it was caught up once at ${t(caughtUp.decided_at)}`
    : d.catch_up
      ? '; catch-up is on, so it ran once afterwards'
      : '; catch-up is off for this schedule';
  switch (d.kind) {
    case 'ran':
      return `ran${d.command_id ? ` (command ${d.command_id})` : ''}`;
    case 'caught_up':
      return `did not run at its time; it was caught up once at ${t(d.decided_at)}${d.command_id ? ` (command ${d.command_id})` : ''}`;
    case 'moved_dst':
      return `ran at ${d.used ? wallClock(d.used) : '?'} instead of ${d.asked ? wallClock(d.asked) : '?'}: ${d.asked ? wallClock(d.asked) : 'that time'} did not exist that day (the clocks went forward)`;
    case 'retry':
      return d.ran
        ? `was retried: attempt ${d.attempt ?? '?'} of ${d.attempts ?? '?'} ran at ${t(d.decided_at)}`
        : `was not retried (attempt ${d.attempt ?? '?'} of ${d.attempts ?? '?'}): ${d.message}`;
    case 'skipped_overlap':
      return `did not run: the previous run${d.command_id ? ` (command ${d.command_id})` : ''} was still running and overlap is 'skip'`;
    case 'skipped_paused':
      return `did not run: ${d.reason === 'schedule_paused' ? 'the schedule was paused' : 'all schedules were paused'}`;
    case 'skipped_disabled':
      return `did not run: the schedule was disabled${d.span_from ? ` ${d.span_to ? span : `from ${t(d.span_from)}`}` : ''}`;
    case 'skipped_battery':
      return 'did not run: the machine was on battery power and the schedule does not run on battery';
    case 'missed':
      if (d.reason === 'asleep') return `did not run: the machine was asleep ${span}${catchUp}`;
      if (d.reason === 'clock_jump') {
        return `did not run: the clock jumped forward ${span}${catchUp}`;
      }
      return `did not run: the app was not running ${span}${catchUp}`;
  }
}

/** One decision as a sentence about the fire at `fire` (default: its first instant). */
export function decisionSentence(
  d: Decision,
  zone: string,
  options: { fire?: string; now?: number; related?: Decision[] } = {},
): string {
  const fire = options.fire ?? d.scheduled_for;
  const caughtUp = options.related?.find((r) => r.kind === 'caught_up');
  const retries = options.related?.filter((r) => r.kind === 'retry') ?? [];
  const lastRetry = retries.sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0)).at(-1);
  const retried = lastRetry ? `; it ${because(lastRetry, zone, options.now)}` : '';
  return `At ${wallTime(fire, zone, { zone: true, now: options.now })} the job ${because(d, zone, options.now, caughtUp)}${retried}.`;
}

/** The whole answer of `decisions/at` (or `why`) as one sentence (two when none was planned). */
export function whySentence(a: Omit<DecisionAt, 'sentence'>, now?: number): string {
  const zone = a.timezone;
  const at = (iso: string) => wallTime(iso, zone, { zone: true, now });
  if (a.fire === null)
    return `No fire was planned at ${at(a.time)}, and none is planned around it.`;
  const prefix = a.planned
    ? ''
    : `No fire was planned at ${at(a.time)}; the nearest ${a.nearest.length === 1 ? 'was' : 'were'} ${a.nearest.map(at).join(' and ')}. `;
  if (a.decision) {
    return prefix + decisionSentence(a.decision, zone, { fire: a.fire, now, related: a.related });
  }
  // Without `now`, nothing is "not yet due".
  if (Date.parse(a.fire) > (now ?? Infinity)) {
    return `${prefix}At ${at(a.fire)} the job is planned to run (not yet due).`;
  }
  return `${prefix}At ${at(a.fire)} no decision is recorded: it is older than the history kept, or the app did not plan it then.`;
}

/** For the schedule row and the tray: "skipped: paused", "missed: the app was not running". */
export function lastDecisionText(d: LastDecision): string {
  switch (d.kind) {
    case 'skipped_overlap':
      return 'skipped: the previous run was still running';
    case 'skipped_paused':
      return d.reason === 'schedule_paused' ? 'skipped: paused (this schedule)' : 'skipped: paused';
    case 'skipped_disabled':
      return 'skipped: disabled';
    case 'skipped_battery':
      return 'skipped: on battery power';
    case 'missed':
      return d.reason === 'asleep'
        ? 'missed: the machine was asleep'
        : d.reason === 'clock_jump'
          ? 'missed: the clock jumped'
          : 'missed: the app was not running';
    case 'retry':
      return d.ran ? 'ran (a retry)' : 'retry did not run';
    case 'caught_up':
      return 'caught up late';
    case 'moved_dst':
      return 'ran, moved by DST';
    case 'ran':
      return 'ran';
  }
}

/** "last planned fire skipped: paused", or null when the last planned fire ran. */
export function lastPlannedText(d: LastDecision | null | undefined): string | null {
  if (!d || d.ran) return null;
  return `last planned fire ${lastDecisionText(d)}`;
}
