// A command read back as a run (toRun): every field of one of our commands comes back as it
// was, and a remote Cmdop server's bare command becomes a run with the documented defaults.
import { describe, expect, it } from 'vitest';
import { ADHOC_OWNER, toCommand, toRun } from '../../src/shared/cmdop-command';
import type { Run } from '../../src/shared/types';
import { finishedRun } from '../helpers/runs';

const bare = (status: 'running' | 'completed' | 'failed' | 'cancelled') => ({
  id: 'cmd_remote',
  status,
});

/** What a remote command that says nothing but its id and status reads back as. */
const emptyRun = (status: Run['status']): Run => ({
  id: 'cmd_remote',
  started_at: '',
  finished_at: null,
  exit_code: null,
  duration: null,
  stdout: '',
  stderr: '',
  schedule_id: ADHOC_OWNER,
  command_id: 'cmd_remote',
  trigger: 'manual',
  status,
  scheduled_for: null,
  signal: null,
  truncated: false,
  attempt: 1,
  retry_of: null,
  shell: null,
  env_file: null,
});

describe('toRun', () => {
  it.each([
    ['completed', 'success'],
    ['failed', 'failure'],
    ['cancelled', 'cancelled'],
    ['running', 'running'],
  ] as const)('reads a bare remote %s command as a %s run with empty fields', (cmdop, status) => {
    expect(toRun(bare(cmdop))).toEqual(emptyRun(status));
  });

  it("keeps our precise status over Cmdop's", () => {
    expect(toRun({ ...bare('failed'), run_status: 'timeout' }).status).toBe('timeout');
  });

  it('gives back every field of a retried, cut, signalled run of ours', () => {
    const run = finishedRun({
      id: 'run_9',
      command_id: 'cmd_9',
      stdout: 'out\n',
      stderr: 'err\n',
      scheduled_for: '2026-06-01T03:00:00Z',
      signal: 'SIGTERM',
      truncated: true,
      attempt: 3,
      retry_of: 'cmd_1',
      shell: '/bin/bash -c',
      env_file: '/etc/app.env',
      next_retry_at: '2026-06-01T03:05:00Z',
      output_length: { stdout: 4, stderr: 4 },
      deliveries: [
        {
          channel: 'webhook',
          event: 'run.failed',
          url: 'https://hooks.example/…',
          at: '2026-06-01T03:00:03Z',
          attempts: 1,
          ok: true,
          status_code: 200,
          error: null,
        },
      ],
      stuck_at: '2026-06-01T03:00:01Z',
    });
    expect(toRun(toCommand(run, 'mach_1', 'backup.sh'))).toEqual(run);
  });

  it('keeps a pending retry cleared to null, which is not the same as none', () => {
    const run = finishedRun({ next_retry_at: null });
    const back = toRun(toCommand(run, 'mach_1', null));
    expect(back).toHaveProperty('next_retry_at', null);
    expect(toRun(toCommand(finishedRun(), 'mach_1', null))).not.toHaveProperty('next_retry_at');
  });

  it('has no output length, deliveries or stuck time on a run that has none', () => {
    const back = toRun(toCommand(finishedRun(), 'mach_1', null));
    expect(back).not.toHaveProperty('output_length');
    expect(back).not.toHaveProperty('deliveries');
    expect(back).not.toHaveProperty('stuck_at');
  });

  it("shows the command line of an ad-hoc run only, not a schedule's current command", () => {
    const adhoc = finishedRun({ schedule_id: ADHOC_OWNER, command: 'uptime' });
    expect(toRun(toCommand(adhoc, 'mach_1', null)).command).toBe('uptime');
    const scheduled = toRun(toCommand(finishedRun(), 'mach_1', 'backup.sh'));
    expect(scheduled).not.toHaveProperty('command');
    const remote = toRun({ ...bare('completed'), command: 'df -h' });
    expect(remote.command).toBe('df -h');
    expect(toRun({ ...bare('completed'), command: null })).not.toHaveProperty('command');
  });
});
