// @ts-nocheck
// 
// What the tray shows, computed from engine state by pure functions. Electron cannot run in
// CI, so every decision about the tray lives here and is tested under Node; tray.ts only
// hands the result to the platform.
import type { RunStatus, Schedule } from '../shared/types';
import { lastPlannedText, wallTime } from '../shared/decision-sentence';

export interface TrayRun {
  commandId: string;
  scheduleId: string;
  name: string;
  startedAt: string;
  /** It has gone on past twice its usual duration (run.stuck). */
  runningLong?: boolean;
}

/** A run that failed (for good: after its last retry) since the user last opened the window. */
export interface TrayFailure {
  commandId: string;
  name: string;
  status: RunStatus;
  /** finished_at, or started_at when it has none. */
  at: string;
}

export interface TrayState {
  schedules: Schedule[];
  running: TrayRun[];
  paused: boolean;
  /** When a timed pause ends by itself (paused is true); null or absent = until resumed. */
  pausedUntil?: string | null;
  muted: boolean;
  /** A run failed, timed out or was interrupted since the user last opened the window or menu. */
  failedSinceSeen: boolean;
  /** Those runs, oldest first, each with its own item: until the window is opened. */
  failures?: TrayFailure[];
  /** Why the app cannot save right now (a full disk), or null. Clears when writes work. */
  storageProblem?: string | null;
}

export type TrayAction =
  | { kind: 'runNow'; scheduleId: string }
  | { kind: 'setEnabled'; scheduleId: string; enabled: boolean }
  | { kind: 'history'; scheduleId: string }
  | { kind: 'cancel'; commandId: string }
  /** A failed run's page. */
  | { kind: 'openRun'; commandId: string }
  /** The schedules whose last run failed. */
  | { kind: 'failures' }
  /** paused false resumes; with forMs or until the pause ends by itself. */
  | { kind: 'pause'; paused: boolean; forMs?: number; until?: string }
  | { kind: 'mute'; muted: boolean }
  | { kind: 'newSchedule' }
  | { kind: 'open' }
  | { kind: 'settings' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

export type TrayIconState = 'idle' | 'running' | 'failed';

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  menu: TrayMenuItem[];
}

export const APP_NAME = 'Cmdop Scheduler';
export const NEXT_RUNS_LIMIT = 5;
/** Native menus do not scroll well; past this the window is the better place to look. */
export const SCHEDULES_MENU_LIMIT = 50;
export const RUNNING_MENU_LIMIT = 10;
/** Failed runs named in the menu; the rest are one item that opens the list of failures. */
export const FAILURES_MENU_LIMIT = 5;
export const LABEL_MAX_CHARS = 40;
/** Windows cuts tray tooltips at 127 characters (NOTIFYICONDATA.szTip). */
export const TOOLTIP_MAX_CHARS = 127;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * "in 5 min", "in 2 h 10 min", "in 3 days", "now"; the past reads "2 min ago", "just now".
 * Whole minutes, rounded down, so the text changes at most once a minute and the tray
 * re-renders no more often than that.
 */
export function formatRelative(targetMs: number, now: number): string {
  const diff = targetMs - now;
  const minutes = Math.floor(Math.abs(diff) / MINUTE);
  if (minutes === 0) return diff >= 0 ? 'now' : 'just now';
  const amount = amountText(minutes);
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

function amountText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / (DAY / MINUTE));
  const hours = Math.floor((minutes % (DAY / MINUTE)) / 60);
  if (days === 0) {
    const m = minutes % 60;
    return m === 0 ? `${hours} h` : `${hours} h ${m} min`;
  }
  // A single day is too coarse on its own ("1 day" could be 47 hours); add the hours.
  if (days === 1) return hours === 0 ? '1 day' : `1 day ${hours} h`;
  return `${days} days`;
}

/** Menus and tooltips are one line and narrow: collapse whitespace, cut long names. */
export function truncateLabel(text: string, max: number = LABEL_MAX_CHARS): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  // By code point, so an emoji at the cut is never split into a broken surrogate.
  const chars = Array.from(oneLine);
  return chars.length <= max ? oneLine : `${chars.slice(0, max - 1).join('')}…`;
}

interface UpcomingRun {
  schedule: Schedule;
  at: number;
}

/** Enabled schedules with a known next run, soonest first; ties by name for a stable menu. */
function upcomingRuns(schedules: Schedule[]): UpcomingRun[] {
  const upcoming: UpcomingRun[] = [];
  for (const schedule of schedules) {
    if (!schedule.enabled || schedule.next_run === null) continue;
    const at = Date.parse(schedule.next_run);
    if (Number.isNaN(at)) continue;
    upcoming.push({ schedule, at });
  }
  return upcoming.sort((a, b) => a.at - b.at || byName(a.schedule, b.schedule));
}

function byName(a: Schedule, b: Schedule): number {
  return (
    a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function trayIcon(state: TrayState): TrayIconState {
  // A failure outranks activity: it is the one state that asks the user to do something.
  if (state.failedSinceSeen || state.storageProblem) return 'failed';
  return state.running.length > 0 ? 'running' : 'idle';
}

/** Short status for hovering the icon, most urgent part first. */
export function trayTooltip(state: TrayState, now: number): string {
  const parts: string[] = [];
  if (state.storageProblem) parts.push('cannot save: the disk is full or read-only');
  if (state.failedSinceSeen) parts.push(failureText(state.failures ?? [], now));
  if (state.running.length > 0) parts.push(`${state.running.length} running`);
  if (state.schedules.length === 0) {
    parts.push('no schedules');
  } else if (state.paused) {
    parts.push('paused');
  } else {
    const next = upcomingRuns(state.schedules)[0];
    parts.push(
      next === undefined
        ? 'nothing scheduled'
        : `next: ${truncateLabel(next.schedule.name)} ${formatRelative(next.at, now)}`,
    );
  }
  return truncateLabel(`${APP_NAME} — ${parts.join(' · ')}`, TOOLTIP_MAX_CHARS);
}

/** "Backup failed 3 min ago" for one; how many, for more. */
function failureText(failures: TrayFailure[], now: number): string {
  const last = failures.at(-1);
  if (!last) return 'a run failed since you last looked';
  if (failures.length > 1) return `${failures.length} runs failed since you last looked`;
  return failureLabel(last, now);
}

function failureLabel(f: TrayFailure, now: number): string {
  const at = Date.parse(f.at);
  const when = Number.isNaN(at) ? '' : ` ${formatRelative(at, now)}`;
  return `${truncateLabel(f.name)} ${STATUS_WORDS[f.status]}${when}`;
}

/** Each failed run, newest first, opening its page; past the limit, the list of failures. */
function failuresSection(state: TrayState, now: number): TrayMenuItem[] {
  const failures = state.failures ?? [];
  if (failures.length === 0) return [];
  const newest = [...failures].reverse();
  const items: TrayMenuItem[] = [header('Failed since you last looked')];
  for (const f of newest.slice(0, FAILURES_MENU_LIMIT)) {
    items.push({
      label: failureLabel(f, now),
      action: { kind: 'openRun', commandId: f.commandId },
    });
  }
  if (newest.length > FAILURES_MENU_LIMIT) {
    items.push({
      label: `${newest.length - FAILURES_MENU_LIMIT} more failed…`,
      action: { kind: 'failures' },
    });
  }
  items.push(separator);
  return items;
}

const STATUS_WORDS: Record<RunStatus, string> = {
  running: 'running',
  success: 'succeeded',
  failure: 'failed',
  timeout: 'timed out',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  skipped: 'skipped',
};

/** "Last run: failed, exit 1, 3 h ago", "Last run: never". */
export function lastRunText(schedule: Schedule, now: number): string {
  const last = schedule.last_run;
  if (last === null) return 'Last run: never';
  const parts = [STATUS_WORDS[last.status]];
  // The exit code explains a failure; for the other statuses it is noise or absent.
  if (last.status === 'failure' && last.exit_code !== null) parts.push(`exit ${last.exit_code}`);
  const at = Date.parse(last.at);
  if (!Number.isNaN(at)) parts.push(formatRelative(at, now));
  return `Last run: ${parts.join(', ')}`;
}

const separator: TrayMenuItem = { type: 'separator' };

function header(label: string): TrayMenuItem {
  return { label, enabled: false };
}

function nextRunsSection(state: TrayState, now: number): TrayMenuItem[] {
  const upcoming = upcomingRuns(state.schedules).slice(0, NEXT_RUNS_LIMIT);
  if (upcoming.length === 0) return [header('Next runs'), header('Nothing scheduled')];
  return [
    header('Next runs'),
    ...upcoming.map(({ schedule, at }) => ({
      label: `${truncateLabel(schedule.name)} — ${formatRelative(at, now)}`,
      action: { kind: 'history', scheduleId: schedule.id } as const,
    })),
  ];
}

function runningSection(state: TrayState, now: number): TrayMenuItem[] {
  if (state.running.length === 0) return [];
  const runs = [...state.running].sort(
    (a, b) =>
      startedMs(a) - startedMs(b) ||
      (a.commandId < b.commandId ? -1 : a.commandId > b.commandId ? 1 : 0),
  );
  const shown = runs.slice(0, RUNNING_MENU_LIMIT);
  const items: TrayMenuItem[] = [header('Running')];
  for (const run of shown) {
    const started = startedMs(run);
    const when = Number.isNaN(started) ? '' : ` — started ${formatRelative(started, now)}`;
    items.push({
      label: `${truncateLabel(run.name)}${when}${run.runningLong ? ' · running long' : ''}`,
      type: 'submenu',
      submenu: [{ label: 'Cancel run', action: { kind: 'cancel', commandId: run.commandId } }],
    });
  }
  if (runs.length > shown.length) {
    items.push({
      label: `${runs.length - shown.length} more in the window…`,
      action: { kind: 'open' },
    });
  }
  items.push(separator);
  return items;
}

function startedMs(run: TrayRun): number {
  return Date.parse(run.startedAt);
}

/**
 * "Last planned fire skipped: paused — 03:00 on 8 Mar" when the schedule's last planned
 * fire did not run (the decision log's words), else null.
 */
export function lastPlannedLine(schedule: Schedule, now: number): string | null {
  const text = lastPlannedText(schedule.last_decision);
  const d = schedule.last_decision;
  if (!text || !d) return null;
  const at = wallTime(d.last_scheduled_for, schedule.timezone, { now });
  return `${text[0]?.toUpperCase()}${text.slice(1)} — ${at}`;
}

function scheduleSubmenu(schedule: Schedule, now: number): TrayMenuItem {
  const name = truncateLabel(schedule.name);
  const planned = lastPlannedLine(schedule, now);
  return {
    label: schedule.enabled ? name : `${name} (disabled)`,
    type: 'submenu',
    submenu: [
      header(lastRunText(schedule, now)),
      ...(planned ? [header(planned)] : []),
      separator,
      { label: 'Run now', action: { kind: 'runNow', scheduleId: schedule.id } },
      {
        label: schedule.enabled ? 'Disable' : 'Enable',
        action: { kind: 'setEnabled', scheduleId: schedule.id, enabled: !schedule.enabled },
      },
      { label: 'History…', action: { kind: 'history', scheduleId: schedule.id } },
    ],
  };
}

function schedulesSection(state: TrayState, now: number): TrayMenuItem[] {
  if (state.schedules.length === 0) return [header('No schedules yet')];
  const sorted = [...state.schedules].sort(byName);
  const items = sorted.slice(0, SCHEDULES_MENU_LIMIT).map((s) => scheduleSubmenu(s, now));
  if (sorted.length > SCHEDULES_MENU_LIMIT) {
    items.push({ label: 'More in the window…', action: { kind: 'open' } });
  }
  return [{ label: 'Schedules', type: 'submenu', submenu: items }];
}

const HOUR = 60 * MINUTE;
/** "Until tomorrow" means the start of a working day, as the users put it. */
export const TOMORROW_HOUR = 9;

/** Tomorrow at TOMORROW_HOUR in this machine's zone. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(TOMORROW_HOUR, 0, 0, 0);
  return d.getTime();
}

function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Pause for an hour, until tomorrow, or until resumed; while paused, resume. */
function pauseItem(state: TrayState, now: number): TrayMenuItem {
  if (state.paused) {
    const until = state.pausedUntil ? Date.parse(state.pausedUntil) : NaN;
    const when = Number.isNaN(until) ? 'until you resume' : `until ${clockTime(until)}`;
    return {
      label: `Resume schedules (paused ${when})`,
      action: { kind: 'pause', paused: false },
    };
  }
  const tomorrow = tomorrowMorning(now);
  return {
    label: 'Pause all schedules',
    type: 'submenu',
    submenu: [
      { label: 'For 1 hour', action: { kind: 'pause', paused: true, forMs: HOUR } },
      {
        label: `Until tomorrow, ${clockTime(tomorrow)}`,
        action: { kind: 'pause', paused: true, until: new Date(tomorrow).toISOString() },
      },
      { label: 'Until I resume', action: { kind: 'pause', paused: true } },
    ],
  };
}

export function buildTrayMenu(state: TrayState, now: number): TrayMenuItem[] {
  // The reason first, where the failed icon sends the eye; it goes away by itself.
  const storage: TrayMenuItem[] = state.storageProblem
    ? [
        { label: truncateLabel(`Cannot save: ${state.storageProblem}`, 80), enabled: false },
        separator,
      ]
    : [];
  return [
    ...storage,
    ...failuresSection(state, now),
    ...nextRunsSection(state, now),
    separator,
    ...runningSection(state, now),
    ...schedulesSection(state, now),
    separator,
    pauseItem(state, now),
    {
      label: 'Mute notifications',
      type: 'checkbox',
      checked: state.muted,
      action: { kind: 'mute', muted: !state.muted },
    },
    separator,
    { label: 'New schedule…', action: { kind: 'newSchedule' } },
    { label: `Open ${APP_NAME}`, action: { kind: 'open' } },
    { label: 'Settings…', action: { kind: 'settings' } },
    separator,
    { label: 'Quit', action: { kind: 'quit' } },
  ];
}

export function buildTrayModel(state: TrayState, now: number): TrayModel {
  return {
    icon: trayIcon(state),
    tooltip: trayTooltip(state, now),
    menu: buildTrayMenu(state, now),
  };
}

/** Structural equality for plain data (the model is JSON-shaped); key order does not matter. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // An explicit `undefined` and a missing key mean the same to a menu template.
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!sameData(ra[key], rb[key])) return false;
  return true;
}
