// @ts-nocheck
// 
// The objects of the Cmdop Schedules API (see shared/API.md). Cmdop fields keep their exact
// names; fields marked "ours" are additive extensions.
import type { LastDecision } from './decisions';

export interface Notify {
  on_success: boolean;
  on_failure: boolean;
  /**
   * ours: a POST with the run (event run.succeeded/failed/timed_out/stuck) whenever
   * on_success/on_failure says so. Absent when none, so a schedule without alerts has
   * exactly Cmdop's notify.
   */
  webhook_url?: string | null;
  /** ours: the webhook's body; absent means 'json'. */
  webhook_format?: WebhookFormat;
  /** ours: healthchecks.io-style pings: `<url>/start`, `<url>`, `<url>/fail`. */
  ping_url?: string | null;
  /** ours: plain http to a host other than this machine (absent: only https there). */
  allow_http?: boolean;
}

/** ours: `json` (our payload), `slack` (Slack/Mattermost `{"text"}`), `discord`. */
export type WebhookFormat = 'json' | 'slack' | 'discord';

/** ours: one alert sent for a run (a webhook POST or a ping), as its run shows it. */
export interface Delivery {
  channel: 'webhook' | 'ping';
  /** webhook: run.succeeded, run.failed, run.timed_out, run.stuck; ping: start, success, fail. */
  event: string;
  /** Redacted: scheme, host and port only (`https://hooks.slack.com/…`); the URL is a secret. */
  url: string;
  /** When the last attempt ended. */
  at: string;
  /** Attempts made (at most 3); 0 when it was dropped before any. */
  attempts: number;
  ok: boolean;
  /** The receiver's HTTP status of the last attempt, or null when none came back. */
  status_code: number | null;
  /** Why it failed (a timeout, a refused connection, the receiver's words), or null. */
  error: string | null;
}

export const RUN_STATUSES = [
  'running',
  'success',
  'failure',
  'timeout',
  'cancelled',
  'interrupted',
  'skipped',
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

export type RunTrigger = 'schedule' | 'manual' | 'catch_up';

export type Overlap = 'skip' | 'allow';

/** ours: `login` runs `$SHELL -l -c` (the user's profile is read); `plain` runs `$SHELL -c`. */
export type ShellMode = 'login' | 'plain';

export interface LastRun {
  at: string;
  exit_code: number | null;
  duration: number | null;
  /** ours */
  status: RunStatus;
}

export interface Schedule {
  id: string;
  name: string;
  description: string;
  machine_id: string;
  command: string;
  cron: string;
  enabled: boolean;
  timezone: string;
  timeout: number | null;
  notify: Notify;
  next_run: string | null;
  last_run: LastRun | null;
  created_at: string;
  updated_at: string;
  /** ours: absolute working directory; null means the user's home. */
  cwd: string | null;
  /** ours: extra environment merged over the app's. */
  env: Record<string, string>;
  /** ours */
  overlap: Overlap;
  /** ours */
  catch_up: boolean;
  /** ours: how many times a failed or timed-out run is tried again (0-10). */
  retries: number;
  /** ours: ms before the first retry. */
  retry_delay: number;
  /** ours: each further retry waits this many times longer (capped at 1 h). */
  retry_backoff: number;
  /** ours: ms, at most 1 h: every start is moved by the same per-schedule offset below it. */
  random_delay: number;
  /** ours */
  shell: ShellMode;
  /** ours: absolute path of a dotenv file read at each run, or null. */
  env_file: string | null;
  /** ours: scheduled fires before this instant do not run; null = not paused. */
  paused_until: string | null;
  /** ours: false = a fire while on battery power is skipped. */
  run_on_battery: boolean;
  /** ours, read-only: when the pending retry of a failed run starts, or null. */
  next_retry_at?: string | null;
  /** ours, read-only: the failed command whose retry is pending (cancel it to stop retrying). */
  retry_command_id?: string | null;
  /** ours: a run of it is in progress (optional: remote APIs may not say). */
  running?: boolean;
  /**
   * ours: present only when the stored schedule breaks the rules (a hand edit, another
   * version's file): why it does not run, e.g. "cron: minute must be 0-59, got 99".
   * Fixing the named fields with PATCH clears it.
   */
  error?: string;
  /** ours, read-only: how its recent runs went (this machine's schedules). */
  stats?: ScheduleStats;
  /** ours, read-only: a run of it has gone on past twice its usual duration (run.stuck). */
  running_long?: boolean;
  /** ours, read-only: its newest decision-log entry (what became of its last planned fire). */
  last_decision?: LastDecision;
}

/** One finished run, as counted in stats. */
export interface RunSummary {
  /** started_at */
  at: string;
  status: RunStatus;
  duration: number | null;
}

export interface ScheduleStats {
  /** Finished runs that started in the 24 hours before the answer (skipped ones not counted). */
  runs_24h: number;
  /** Of those, the ones that failed, timed out or were interrupted. */
  failures_24h: number;
  /** When the newest kept run that failed, timed out or was interrupted started. */
  last_failure_at: string | null;
  /** The newest finished runs (at most 20), newest first: success rate and duration trend. */
  recent: RunSummary[];
}

export interface Run {
  id: string;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  duration: number | null;
  stdout: string;
  stderr: string;
  /** ours */
  schedule_id: string;
  command_id: string;
  trigger: RunTrigger;
  status: RunStatus;
  scheduled_for: string | null;
  signal: string | null;
  truncated: boolean;
  /**
   * ours, only on a run in progress read by command: characters each stream has printed so
   * far, kept or not. `stdout`/`stderr` hold the output up to there, and `run.output` events
   * continue from there (their `offset` counts the same characters).
   */
  output_length?: { stdout: number; stderr: number };
  /** ours: 1 for a first run, n for its (n-1)th retry. */
  attempt: number;
  /** ours: the command_id of the first attempt, on every retry; null on a first attempt. */
  retry_of: string | null;
  /** ours: how the command was started ("/bin/bash -l -c"), null when it never was. */
  shell: string | null;
  /** ours: the dotenv file read for this run, or null. */
  env_file: string | null;
  /** ours, read-only: when this failed run is tried again, while that retry is pending. */
  next_retry_at?: string | null;
  /** ours, on ad-hoc commands only (schedule_id "adhoc"): the command line that ran. */
  command?: string;
  /** ours, read-only: the webhooks and pings sent for this run (this machine's runs). */
  deliveries?: Delivery[];
  /** ours, read-only: while it runs, when it was found running long (run.stuck), else absent. */
  stuck_at?: string;
}

export interface Machine {
  id: string;
  name: string;
  status: 'online' | 'offline';
  os: string;
  /** Cmdop's names: amd64, arm64, 386, arm… */
  arch: string;
  hostname: string;
  /** Cmdop: optional, as a remote's list items may not carry it. */
  ip?: string | null;
  tags: string[];
  /** Cmdop: the agent's version; for this machine, the app's. */
  agent_version?: string;
  created_at: string;
  last_seen: string;
}

/** GET /v1/machines/:id/status (Cmdop). Sizes in bytes, usage in percent, uptime in seconds. */
export interface MachineStatus {
  connected: boolean;
  uptime: number;
  last_ping: string;
  cpu: { usage: number; cores: number };
  memory: { total: number; used: number; free: number };
  disk: { total: number; used: number; free: number };
}

export interface ListMeta {
  total: number;
  limit: number;
  offset: number;
  /** ours: e.g. a remote that could not be reached while merging a list. */
  warnings?: string[];
}

export interface ListResult<T> {
  data: T[];
  meta: ListMeta;
}

export interface RunStarted {
  command_id: string;
  status: 'running';
}
