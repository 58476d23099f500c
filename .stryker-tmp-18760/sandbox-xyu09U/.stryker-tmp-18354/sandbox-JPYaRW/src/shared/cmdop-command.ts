// @ts-nocheck
// 
// The command as Cmdop's Commands API has it (`GET /v1/commands/:id`), and the run as our
// engine records it. Cmdop's object is `{id: "cmd_…", status: "running" | "completed" |
// "failed" | "cancelled", exit_code, stdout, stderr, started_at, finished_at}`; ours adds the
// run's own id and precise status beside it, so nothing we knew before is lost. Our UI, tray
// and terminal client keep working with runs: `toRun` reads either shape back, including a
// remote Cmdop server's, which carries none of our fields.
import type { RunStatus, Run } from './types';
import type { COMMAND_STATUSES } from './schemas';

export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/**
 * The synthetic owner of ad-hoc commands (POST /v1/commands): their runs are recorded in the
 * history like a schedule's, under this id, which no schedule can have (theirs are `sched_…`).
 */
export const ADHOC_OWNER = 'adhoc';

/**
 * Cmdop's command object: the run it is, keeping every run field (toCommand spreads the run),
 * with Cmdop's id, status and command line, and ours naming the run beside them. Derived
 * from Run so a field a run gains is a command's too.
 */
export type Command = Omit<Run, 'id' | 'status' | 'command'> & {
  /** Cmdop: the command's id, `cmd_…` (the same as command_id). */
  id: string;
  /** Cmdop. */
  status: CommandStatus;
  /** Cmdop. */
  machine_id: string;
  /** Cmdop: the command line; for a schedule's run, the schedule's command as it is now. */
  command: string | null;
  /** ours: the run's id, `run_…` (what history lists). */
  run_id: string;
  /** ours: the precise status: success, failure, timeout, interrupted, skipped… */
  run_status: RunStatus;
};

/** POST /v1/commands/async (Cmdop: `{id, status: "running"}`); ours adds the ids as run-now has them. */
export interface CommandStarted {
  id: string;
  status: 'running';
  command_id: string;
  run_id: string;
}

/** Cmdop's four states: exit 0 is completed; any other end that ran is failed. */
export function commandStatusOf(status: RunStatus): CommandStatus {
  switch (status) {
    case 'running':
      return 'running';
    case 'success':
      return 'completed';
    case 'cancelled':
    case 'skipped': // never started: nothing ran to fail
      return 'cancelled';
    case 'failure':
    case 'timeout':
    case 'interrupted':
      return 'failed';
  }
}

/** The run as a Cmdop command on `machineId`, keeping every field of the run. */
export function toCommand(run: Run, machineId: string, scheduleCommand: string | null): Command {
  const { id, status, command, ...rest } = run;
  return {
    ...rest,
    id: run.command_id,
    status: commandStatusOf(status),
    machine_id: machineId,
    command: command ?? scheduleCommand,
    run_id: id,
    run_status: status,
  };
}

/**
 * A command read back as a run, for the UI and the terminal client. A remote Cmdop server's
 * command has no run fields: its status is mapped back (completed → success, failed →
 * failure) and what it does not say is left empty.
 */
export function toRun(c: Partial<Command> & Pick<Command, 'id' | 'status'>): Run {
  const runStatus: RunStatus =
    c.run_status ??
    (c.status === 'completed' ? 'success' : c.status === 'failed' ? 'failure' : c.status);
  const run: Run = {
    id: c.run_id ?? c.id,
    started_at: c.started_at ?? '',
    finished_at: c.finished_at ?? null,
    exit_code: c.exit_code ?? null,
    duration: c.duration ?? null,
    stdout: c.stdout ?? '',
    stderr: c.stderr ?? '',
    schedule_id: c.schedule_id ?? ADHOC_OWNER,
    command_id: c.command_id ?? c.id,
    trigger: c.trigger ?? 'manual',
    status: runStatus,
    scheduled_for: c.scheduled_for ?? null,
    signal: c.signal ?? null,
    truncated: c.truncated ?? false,
    attempt: c.attempt ?? 1,
    retry_of: c.retry_of ?? null,
    shell: c.shell ?? null,
    env_file: c.env_file ?? null,
  };
  if (c.next_retry_at !== undefined) run.next_retry_at = c.next_retry_at;
  if (c.output_length) run.output_length = c.output_length;
  if (c.deliveries) run.deliveries = c.deliveries;
  if (c.stuck_at !== undefined) run.stuck_at = c.stuck_at;
  if (typeof c.command === 'string' && run.schedule_id === ADHOC_OWNER) run.command = c.command;
  return run;
}
