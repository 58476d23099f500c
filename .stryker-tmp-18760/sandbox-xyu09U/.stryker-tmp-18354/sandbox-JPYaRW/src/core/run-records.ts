// @ts-nocheck
// 
// The records a run starts as: a new run (status running), or a fire that was skipped with
// its reason in stderr (overlap, battery power). Ids are new; times come from the clock.
import { newRunIds } from '../shared/ids';
import { formatTimestamp } from '../shared/time';
import type { Run, RunTrigger } from '../shared/types';

/** Which attempt of a chain of retries a run is. */
export interface Attempt {
  attempt: number;
  /** The first attempt's command id. */
  retry_of: string;
}

export interface RunStart {
  scheduleId: string;
  trigger: RunTrigger;
  /** The cron instant, or null for a manual run. */
  scheduledFor: number | null;
  chain: Attempt | null;
  now: number;
}

export function newRun(r: RunStart): Run {
  return {
    ...newRunIds(),
    started_at: formatTimestamp(r.now),
    finished_at: null,
    exit_code: null,
    duration: null,
    stdout: '',
    stderr: '',
    schedule_id: r.scheduleId,
    trigger: r.trigger,
    status: 'running',
    scheduled_for: r.scheduledFor === null ? null : formatTimestamp(r.scheduledFor),
    signal: null,
    truncated: false,
    attempt: r.chain?.attempt ?? 1,
    retry_of: r.chain?.retry_of ?? null,
    shell: null,
    env_file: null,
  };
}

/** A fire that did not run, recorded with why (`cmdop-scheduler: skipped: …` in stderr). */
export function skippedRun(r: RunStart, why: string): Run {
  return {
    ...newRun(r),
    status: 'skipped',
    finished_at: formatTimestamp(r.now),
    duration: 0,
    stderr: `cmdop-scheduler: skipped: ${why}\n`,
  };
}
