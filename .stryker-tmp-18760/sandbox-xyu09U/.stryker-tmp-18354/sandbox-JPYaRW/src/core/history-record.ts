// @ts-nocheck
// 
// One line of a schedule's history log: a run without its output, plus whether output was
// written and, while it runs, the process group that would outlive a crash of the app.
import { RUN_STATUSES, type Run, type RunStatus, type RunTrigger } from '../shared/types';

/** A run without its output: what the index and the JSONL hold. */
export type RunMeta = Omit<Run, 'stdout' | 'stderr'>;

/**
 * The command's process group and what identifies its leader (Linux: its start time in
 * clock ticks since boot), so that after a crash a live group is recognised as ours and a
 * reused pid is not.
 */
export interface RunGroup {
  pgid: number;
  start: string | null;
}

export interface HistoryRecord {
  meta: RunMeta;
  hasOutput: boolean;
  group: RunGroup | null;
}

const STATUSES: ReadonlySet<string> = new Set<RunStatus>(RUN_STATUSES);
const TRIGGERS: ReadonlySet<string> = new Set<RunTrigger>(['schedule', 'manual', 'catch_up']);

export function recordLine(record: HistoryRecord): string {
  const { meta, hasOutput, group } = record;
  const line: Record<string, unknown> = { ...meta, has_output: hasOutput };
  if (group) {
    line.pgid = group.pgid;
    line.pgid_start = group.start;
  }
  return JSON.stringify(line);
}

function toGroup(pgid: unknown, start: unknown): RunGroup | null {
  if (!Number.isSafeInteger(pgid) || (pgid as number) <= 1) return null;
  return { pgid: pgid as number, start: typeof start === 'string' ? start : null };
}

/** Validates one parsed line; anything else is treated as damage, not trusted. */
export function toRecord(value: unknown): HistoryRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const isStr = (v: unknown): v is string => typeof v === 'string';
  const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
  const isNumOrNull = (v: unknown): v is number | null => v === null || typeof v === 'number';
  const { id, started_at, finished_at, exit_code, duration, schedule_id, command_id } = r;
  const { trigger, status, scheduled_for, signal, truncated, has_output } = r;
  if (
    !isStr(id) ||
    !isStr(started_at) ||
    !isStrOrNull(finished_at) ||
    !isNumOrNull(exit_code) ||
    !isNumOrNull(duration) ||
    !isStr(schedule_id) ||
    !isStr(command_id) ||
    !isStr(trigger) ||
    !TRIGGERS.has(trigger) ||
    !isStr(status) ||
    !STATUSES.has(status) ||
    !isStrOrNull(scheduled_for) ||
    !isStrOrNull(signal) ||
    typeof truncated !== 'boolean' ||
    typeof has_output !== 'boolean'
  ) {
    return null;
  }
  const meta: RunMeta = {
    id,
    started_at,
    finished_at,
    exit_code,
    duration,
    schedule_id,
    command_id,
    trigger: trigger as RunTrigger,
    status: status as RunStatus,
    scheduled_for,
    signal,
    truncated,
    // Absent from records written before retries and login shells existed.
    attempt:
      Number.isSafeInteger(r.attempt) && (r.attempt as number) >= 1 ? (r.attempt as number) : 1,
    retry_of: isStr(r.retry_of) ? r.retry_of : null,
    shell: isStr(r.shell) ? r.shell : null,
    env_file: isStr(r.env_file) ? r.env_file : null,
  };
  // Ad-hoc commands record the command line they ran (a schedule's is the schedule's).
  if (typeof r.command === 'string') meta.command = r.command;
  return { meta, hasOutput: has_output, group: toGroup(r.pgid, r.pgid_start) };
}
