// @ts-nocheck
// 
// Durations and times as people read them. The wire carries UTC and milliseconds; the UI
// shows the user's own zone and units that fit the size of the number.
import type { RunStatus, RunTrigger } from '../../../shared/types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "350 ms", "2.3 s", "4 min 5 s", "2 h 5 min", "3 d 4 h"; "—" when there is none yet. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (Math.round(ms) < SECOND) return `${Math.round(ms)} ms`;
  // Rounded first, so 59.97 s reads "1 min", not "60.0 s".
  if (ms < MINUTE && Math.round(ms / 100) < 600) {
    const tenths = Math.round(ms / 100);
    return tenths < 100 ? `${(tenths / 10).toFixed(1)} s` : `${Math.round(tenths / 10)} s`;
  }
  if (ms < HOUR && Math.round(ms / SECOND) < 3600) {
    return pair(Math.round(ms / SECOND), 60, 'min', 's');
  }
  if (ms < DAY && Math.round(ms / MINUTE) < 1440)
    return pair(Math.round(ms / MINUTE), 60, 'h', 'min');
  return pair(Math.round(ms / HOUR), 24, 'd', 'h');
}

function pair(total: number, per: number, big: string, small: string): string {
  const high = Math.floor(total / per);
  const low = total % per;
  return low === 0 ? `${high} ${big}` : `${high} ${big} ${low} ${small}`;
}

const sameYearFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  // Schedules are cron expressions; a 24-hour clock matches how they are written.
  hourCycle: 'h23',
});

const otherYearFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "Nov 29, 18:30:05" in the user's zone; the year is added when it is not this year's. */
export function formatLocal(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const date = new Date(ms);
  const format =
    date.getFullYear() === new Date(now).getFullYear() ? sameYearFormat : otherYearFormat;
  return format.format(date);
}

/** "in 5 min", "3 h ago", "just now". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < SECOND) return 'just now';
  let amount: string;
  if (abs < MINUTE) amount = `${Math.round(abs / SECOND)} s`;
  else if (abs < HOUR) amount = `${Math.round(abs / MINUTE)} min`;
  else if (abs < DAY) amount = `${Math.round(abs / HOUR)} h`;
  else amount = `${Math.round(abs / DAY)} d`;
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

/** The ISO UTC instant a `datetime-local` value ("2024-11-29T18:30") means in the user's zone. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  // A date-time without a zone is local time to Date (ES2015+), which is what the input shows.
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running',
  success: 'Success',
  failure: 'Failed',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  skipped: 'Skipped',
};

/** "Failed, exit 1": the status in words, with the exit code where it explains a failure. */
export function statusText(status: RunStatus, exitCode?: number | null): string {
  const label = STATUS_LABELS[status];
  return status === 'failure' && typeof exitCode === 'number'
    ? `${label}, exit ${exitCode}`
    : label;
}

export const TRIGGER_LABELS: Record<RunTrigger, string> = {
  schedule: 'Schedule',
  manual: 'Manual',
  catch_up: 'Catch up',
};

export function triggerLabel(trigger: string): string {
  return trigger in TRIGGER_LABELS ? TRIGGER_LABELS[trigger as RunTrigger] : trigger;
}
