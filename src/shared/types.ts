// The objects of the Cmdop Schedules API (see shared/API.md). Cmdop fields keep their exact
// names; fields marked "ours" are additive extensions.

export interface Notify {
  on_success: boolean;
  on_failure: boolean;
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
  /** ours, on ad-hoc commands only (schedule_id "adhoc"): the command line that ran. */
  command?: string;
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
