// @ts-nocheck
// 
// A finished run as the API shows it, for tests that need one without running a command.
import type { Run } from '../../src/shared/types';

export function finishedRun(over: Partial<Run> = {}): Run {
  return {
    id: 'run_1',
    command_id: 'cmd_1',
    schedule_id: 'sched_1',
    started_at: '2026-06-01T03:00:00Z',
    finished_at: '2026-06-01T03:00:02Z',
    exit_code: 1,
    duration: 2300,
    stdout: '',
    stderr: '',
    trigger: 'schedule',
    status: 'failure',
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  };
}
