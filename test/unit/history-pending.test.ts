// Records the disk refused wait in memory, in order, and within bounds: a disk that stays
// full must not also fill the memory. Past the bounds the oldest output goes first, then
// the oldest records, each loss logged.
import { describe, expect, it } from 'vitest';
import { PendingWrites, type PendingWrite } from '../../src/core/history-pending';

function write(n: number, output = ''): PendingWrite {
  return {
    meta: {
      id: `run_${n}`,
      started_at: '2026-01-01T00:00:00Z',
      finished_at: '2026-01-01T00:00:01Z',
      exit_code: 0,
      duration: 1000,
      schedule_id: n % 2 ? 'sched_odd' : 'sched_even',
      command_id: `cmd_${n}`,
      trigger: 'schedule',
      status: 'success',
      scheduled_for: null,
      signal: null,
      truncated: false,
      attempt: 1,
      retry_of: null,
      shell: null,
      env_file: null,
    },
    hasOutput: output !== '',
    group: null,
    stdout: output,
    stderr: '',
    dropOutput: false,
  };
}

function logger() {
  const errors: string[] = [];
  return { errors, log: { info() {}, warn() {}, error: (m: string) => errors.push(m) } };
}

describe('PendingWrites', () => {
  it('drains in order and stops at the first refusal, keeping it first', () => {
    const p = new PendingWrites(logger().log);
    for (let i = 0; i < 5; i++) p.push(write(i, `out ${i}`));
    const written: string[] = [];
    expect(() =>
      p.drain((w) => {
        if (w.meta.id === 'run_3') throw Object.assign(new Error('full'), { code: 'ENOSPC' });
        written.push(w.meta.id);
      }),
    ).toThrow('full');
    expect(written).toEqual(['run_0', 'run_1', 'run_2']);
    expect(p.size).toBe(2);
    expect(p.output('run_1')).toBeUndefined(); // written: read from disk now
    expect(p.output('run_3')).toEqual({ stdout: 'out 3', stderr: '' });
    p.drain((w) => written.push(w.meta.id));
    expect(written.slice(3)).toEqual(['run_3', 'run_4']);
    expect(p.size).toBe(0);
  });

  it('past the output bound drops the oldest output first, marked truncated, and says so', () => {
    const { errors, log } = logger();
    const p = new PendingWrites(log, 100, 25);
    p.push(write(0, 'a'.repeat(10)));
    p.push(write(1, 'b'.repeat(10)));
    p.push(write(2, 'c'.repeat(10)));
    expect(p.output('run_0')?.stdout).toBe('');
    expect(p.output('run_0')?.stderr).toMatch(/output was dropped/);
    expect(p.output('run_2')?.stdout).toBe('c'.repeat(10));
    const drained: PendingWrite[] = [];
    p.drain((w) => drained.push(w));
    expect(drained[0]?.meta.truncated).toBe(true);
    expect(drained[2]?.meta.truncated).toBe(false);
    expect(errors.join()).toMatch(/dropped the output of 1 run/);
  });

  it('past the record bound loses the oldest records, counted in the log', () => {
    const { errors, log } = logger();
    const p = new PendingWrites(log, 3);
    for (let i = 0; i < 5; i++) p.push(write(i));
    expect(p.size).toBe(3);
    const ids: string[] = [];
    p.drain((w) => ids.push(w.meta.id));
    expect(ids).toEqual(['run_2', 'run_3', 'run_4']);
    expect(errors.at(-1)).toMatch(/lost 1 record\(s\) \(2 in all\)/);
  });

  it('a deleted schedule’s records are dropped, the others kept', () => {
    const p = new PendingWrites(logger().log);
    for (let i = 0; i < 4; i++) p.push(write(i, 'x'));
    p.dropSchedule('sched_odd');
    const ids: string[] = [];
    p.drain((w) => ids.push(w.meta.id));
    expect(ids).toEqual(['run_0', 'run_2']);
    expect(p.output('run_1')).toBeUndefined();
  });
});
