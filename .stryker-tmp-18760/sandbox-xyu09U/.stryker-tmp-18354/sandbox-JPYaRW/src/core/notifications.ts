// @ts-nocheck
// 
// Desktop notifications for finished runs: a pure policy (which runs deserve a notice and
// what it says), a port to the OS notifier, and a center that mutes and batches so a burst of
// runs finishing together does not bury the desktop in bubbles.
import notifier from 'node-notifier';
import { attemptsText, clip, endedHow, formatDuration, lastLine } from '../shared/notice-text';
import type { Notify, Run } from '../shared/types';
import type { Logger } from './log';
import { realTimers, type Timers } from './timers';

export interface Notice {
  title: string;
  body: string;
  /** Empty for a batch summary: there is no single schedule to open. */
  scheduleId: string;
  /** Empty for a batch summary. */
  runId: string;
  /** The run's command id, which the run detail view opens (`#/runs/<id>`); empty for a summary. */
  commandId: string;
  kind: 'success' | 'failure';
  /** A burst's summary: clicking it opens the schedules whose last run failed. */
  summary?: true;
}

export interface NoticeSchedule {
  name: string;
  notify: Notify;
  /** The schedule's limit in ms; Run does not carry it, and run.duration overshoots it a little. */
  timeout?: number | null;
}

// Notification bubbles show a few lines at most; a longer text only gets cut by the server at
// an arbitrary point.
const BODY_MAX = 200;
const NAME_MAX = 80;

export { formatDuration };

function timeoutTitle(name: string, run: Run, timeout: number | null | undefined): string {
  const tries = (run.attempt ?? 1) > 1 ? ` (${run.attempt} attempts)` : '';
  if (typeof timeout === 'number' && timeout > 0) {
    return `${name} timed out after ${formatDuration(timeout)}${tries}`;
  }
  return run.duration === null
    ? `${name} timed out${tries}`
    : `${name} timed out after ${formatDuration(run.duration)}${tries}`;
}

function displayName(name: string): string {
  return clip(name.trim() || 'A schedule', NAME_MAX);
}

export function noticeFor(run: Run, schedule: NoticeSchedule): Notice | null {
  const name = displayName(schedule.name);
  const ids = { scheduleId: run.schedule_id, runId: run.id, commandId: run.command_id };
  const stderrLine = clip(lastLine(run.stderr), BODY_MAX);
  switch (run.status) {
    case 'success':
      if (!schedule.notify.on_success) return null;
      return {
        ...ids,
        kind: 'success',
        title: `${name} succeeded`,
        body: run.duration === null ? 'Finished' : `Finished in ${formatDuration(run.duration)}`,
      };
    case 'failure': {
      if (!schedule.notify.on_failure) return null;
      return {
        ...ids,
        kind: 'failure',
        title: `${name} failed${attemptsText(run)}${endedHow(run)}`,
        body: stderrLine || 'No error output',
      };
    }
    case 'timeout':
      if (!schedule.notify.on_failure) return null;
      return {
        ...ids,
        kind: 'failure',
        title: timeoutTitle(name, run, schedule.timeout),
        body: stderrLine || 'The command was stopped at its time limit',
      };
    case 'interrupted':
      if (!schedule.notify.on_failure) return null;
      return {
        ...ids,
        kind: 'failure',
        title: `${name} was interrupted`,
        body: 'Cmdop Scheduler stopped while it was running',
      };
    // A cancel is the user's own action and a skip is the overlap rule working: telling them
    // about it would be noise. A running run has not finished.
    case 'cancelled':
    case 'skipped':
    case 'running':
      return null;
  }
}

export interface NotifierPort {
  send(notice: Notice): Promise<void>;
}

// notify-send (GOption) takes any argument starting with "-" as an option and exits 1
// ("Unknown option"); stderr lines like "--> error" are common. A zero-width space keeps the
// text looking the same.
export function guardDash(text: string): string {
  return text.startsWith('-') ? `\u200b${text}` : text;
}

// notify-send runs the body (not the summary) through g_strcompress, so "C:\temp" would
// arrive as "C:<tab>emp" and "\x" as "x".
export function keepBackslashes(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

/**
 * node-notifier's exec error message starts with the whole command line, which holds the
 * notice text and so possibly output of the user's command: keep only the notifier's own words.
 */
export function describeNotifierError(err: unknown): string {
  const message =
    err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  const lines = message.split('\n');
  if (!lines[0]?.startsWith('Command failed:')) return clip(lines[0] ?? message, BODY_MAX);
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  const detail = lines.slice(1).find((l) => l.trim() !== '');
  const prefix = typeof code === 'number' ? `notifier exited with ${code}` : 'notifier failed';
  return clip(detail ? `${prefix}: ${detail.trim()}` : prefix, BODY_MAX);
}

export interface NotifierOptions {
  appName?: string;
  icon?: string;
  /**
   * Windows: the AppUserModelID (electron-builder's appId). Without it SnoreToast shows its
   * own name on every notice and clicks cannot come back to the app.
   */
  appID?: string;
  /** Where the platform reports clicks (macOS, Windows): open the run. */
  onClick?: (notice: Notice) => void;
  platform?: NodeJS.Platform;
}

export interface NotifierPayload {
  title: string;
  message: string;
  icon?: string;
  'app-name'?: string;
  appID?: string;
  wait?: boolean;
}

export function isLinuxLike(platform: NodeJS.Platform): boolean {
  return platform === 'linux' || /bsd$/.test(platform);
}

/** What node-notifier is given for a notice on `platform`. */
export function notifierPayload(notice: Notice, options: NotifierOptions = {}): NotifierPayload {
  const platform = options.platform ?? process.platform;
  const linuxLike = isLinuxLike(platform);
  const payload: NotifierPayload = {
    title: guardDash(notice.title),
    // node-notifier refuses an empty message.
    message: guardDash(linuxLike ? keepBackslashes(notice.body || ' ') : notice.body || ' '),
  };
  if (options.icon) payload.icon = options.icon;
  // Only notify-send knows app-name; other notifiers pass unknown keys on as flags.
  if (linuxLike) payload['app-name'] = options.appName ?? 'Cmdop Scheduler';
  if (platform === 'win32' && options.appID) payload.appID = options.appID;
  // notify-send through node-notifier cannot report clicks; elsewhere waiting lets the
  // callback see one.
  if (options.onClick && !linuxLike) payload.wait = true;
  return payload;
}

export function nodeNotifierPort(options: NotifierOptions = {}): NotifierPort {
  return {
    send(notice) {
      const payload = notifierPayload(notice, options);
      return new Promise<void>((resolve, reject) => {
        try {
          notifier.notify(payload, (err: unknown, response?: unknown) => {
            if (
              options.onClick &&
              typeof response === 'string' &&
              /activate|click/i.test(response)
            ) {
              options.onClick(notice);
            }
            // With exit 0 node-notifier hands notify-send's stderr (GLib warnings) over as a
            // string "error": the notification went out all the same.
            if (err && typeof err !== 'string') reject(new Error(describeNotifierError(err)));
            else resolve();
          });
        } catch (err) {
          reject(new Error(describeNotifierError(err)));
        }
      });
    },
  };
}

export interface NotificationCenterOptions {
  port: NotifierPort;
  log: Logger;
  muted: () => boolean;
  timers?: Timers;
  /** How long after the first notice the center gathers more before sending. */
  windowMs?: number;
  /** Up to this many notices in one window go out one by one; more become one summary. */
  burst?: number;
}

const SUMMARY_NAMES = 5;

/** A notice with the schedule name it was made for, so a summary can list names. */
export interface NamedNotice {
  name: string;
  notice: Notice;
}

function nameList(entries: NamedNotice[]): string {
  // The same schedule can finish several times in a window (overlap "allow", every-second cron).
  const counts = new Map<string, number>();
  for (const { name } of entries) counts.set(name, (counts.get(name) ?? 0) + 1);
  const parts = [...counts].map(([name, c]) => (c > 1 ? `${name} (×${c})` : name));
  const shown = parts.slice(0, SUMMARY_NAMES).join(', ');
  const rest = parts.length - SUMMARY_NAMES;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}

/** The one notice that stands for a burst. */
export function summaryNotice(entries: NamedNotice[]): Notice {
  const failed = entries.filter((e) => e.notice.kind === 'failure');
  const succeeded = entries.filter((e) => e.notice.kind === 'success');
  const base = { scheduleId: '', runId: '', commandId: '', summary: true } as const;
  if (succeeded.length === 0) {
    return {
      ...base,
      kind: 'failure',
      title: `${entries.length} schedules failed`,
      body: clip(nameList(failed), BODY_MAX),
    };
  }
  if (failed.length === 0) {
    return {
      ...base,
      kind: 'success',
      title: `${entries.length} schedules succeeded`,
      body: clip(nameList(succeeded), BODY_MAX),
    };
  }
  return {
    ...base,
    kind: 'failure',
    title: `${entries.length} schedules finished — ${failed.length} failed, ${succeeded.length} succeeded`,
    // Failures first: they are what the user has to act on.
    body: clip(`Failed: ${nameList(failed)}. Succeeded: ${nameList(succeeded)}`, BODY_MAX),
  };
}

export class NotificationCenter {
  private readonly port: NotifierPort;
  private readonly log: Logger;
  private readonly muted: () => boolean;
  private readonly timers: Timers;
  private readonly windowMs: number;
  private readonly burst: number;
  private pending: NamedNotice[] = [];
  private timer: unknown = null;

  constructor(options: NotificationCenterOptions) {
    this.port = options.port;
    this.log = options.log;
    this.muted = options.muted;
    this.timers = options.timers ?? realTimers;
    this.windowMs = options.windowMs ?? 2000;
    this.burst = options.burst ?? 3;
  }

  /** Called by the engine for every finished run; never throws into it. */
  onRunFinished(run: Run, schedule: NoticeSchedule): void {
    try {
      if (this.muted()) return;
      const notice = noticeFor(run, schedule);
      if (!notice) return;
      this.pending.push({ name: displayName(schedule.name), notice });
      if (this.timer === null) {
        this.timer = this.timers.setTimeout(() => this.flush(), this.windowMs);
      }
    } catch (err) {
      this.log.error(`notification skipped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * A run going on far longer than usual (run.stuck), for schedules that notify on failure:
   * sent at once (once per run, so never a burst), and clicking it opens the run.
   */
  onRunStuck(run: Run, schedule: NoticeSchedule, info: { running_for: number; usual: number }) {
    if (this.muted() || !schedule.notify.on_failure) return;
    this.deliver({
      scheduleId: run.schedule_id,
      runId: run.id,
      commandId: run.command_id,
      kind: 'failure',
      title: `${displayName(schedule.name)} is running long`,
      body: `Running for ${formatDuration(info.running_for)}; it usually takes about ${formatDuration(info.usual)}`,
    });
  }

  /**
   * A notice about the app itself (the disk is full), not a run: sent at once, since it is
   * rare and urgent, unless muted.
   */
  alert(title: string, body: string): void {
    if (this.muted()) return;
    this.deliver({
      title,
      body: clip(body, BODY_MAX),
      scheduleId: '',
      runId: '',
      commandId: '',
      kind: 'failure',
    });
  }

  /** Stops the window timer; notices still gathered are dropped (the app is going away). */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private flush(): void {
    const entries = this.pending;
    this.pending = [];
    this.timer = null;
    try {
      // Muting during the window means the user wants quiet now, not after these.
      if (entries.length === 0 || this.muted()) return;
      const out =
        entries.length > this.burst ? [summaryNotice(entries)] : entries.map((e) => e.notice);
      for (const notice of out) this.deliver(notice);
    } catch (err) {
      // This runs from a timer: a throw here would be an uncaught exception in the app.
      this.log.error(`notifications dropped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private deliver(notice: Notice): void {
    // Promise.resolve().then also catches a port that throws instead of rejecting.
    Promise.resolve()
      .then(() => this.port.send(notice))
      .catch((err: unknown) => {
        this.log.error(
          `desktop notification failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
  }
}
