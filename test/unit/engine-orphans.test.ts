// Runs that outlived the app (src/core/orphans.ts, src/core/process-groups.ts): real process
// groups of real children, ended with SIGTERM and, past the grace, SIGKILL.
import { afterEach, describe, expect, it } from 'vitest';
import { Orphans } from '../../src/core/orphans';
import type { RunMeta } from '../../src/core/history';
import { groupAlive, isRunsGroup, processStart } from '../../src/core/process-groups';
import { realTimers } from '../../src/core/timers';
import { captureLog } from '../helpers/server';
import { processGroup } from '../helpers/process-group';

const posix = process.platform !== 'win32';
const started: number[] = [];

const group = (stubborn = false) => processGroup(started, stubborn);

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

const meta = (id: string, schedule = 'sched_a') =>
  ({
    id: `run_${id}`,
    command_id: `cmd_${id}`,
    schedule_id: schedule,
    status: 'running',
  }) as unknown as RunMeta;

describe.skipIf(!posix)('process groups', () => {
  it("a live group is alive and is the run's while its leader's start time matches", async () => {
    const pgid = await group();
    expect(groupAlive(pgid)).toBe(true);
    const start = processStart(pgid);
    if (process.platform === 'linux') expect(start).toMatch(/^\d+$/);
    expect(isRunsGroup({ pgid, start })).toBe(true);
    expect(isRunsGroup({ pgid, start: null })).toBe(true);
    expect(isRunsGroup({ pgid, start: process.platform === 'linux' ? '1' : null })).toBe(
      process.platform !== 'linux',
    );
    process.kill(-pgid, 'SIGKILL');
    await expect.poll(() => groupAlive(pgid)).toBe(false);
    expect(isRunsGroup({ pgid, start })).toBe(false);
  });
});

describe.skipIf(!posix)('orphans', () => {
  it('are shown as running until their group ends, then recorded', async () => {
    const pgid = await group();
    const log = captureLog();
    const orphans = new Orphans(realTimers, log, 5_000);
    const ended: string[] = [];
    orphans.end(meta('a'), { pgid, start: null }, (r) => ended.push(r.id));
    expect(log.lines).toEqual([
      `warn run run_a of sched_a outlived the app (process group ${pgid}); ending it`,
    ]);
    expect(orphans.get('cmd_a')).toMatchObject({ id: 'run_a', stdout: '', stderr: '' });
    expect(orphans.runs()).toEqual([{ ...meta('a'), stdout: '', stderr: '' }]);
    expect(orphans.commandOf('sched_a')).toBe('cmd_a');
    expect(orphans.commandOf('sched_b')).toBeNull();
    await Promise.all(orphans.done());
    expect(ended).toEqual(['run_a']);
    expect(groupAlive(pgid)).toBe(false);
    expect(orphans.get('cmd_a')).toBeUndefined();
    expect(orphans.runs()).toEqual([]);
    expect(orphans.cancel('cmd_a')).toBe(false);
  });

  it('one that ignores SIGTERM is killed after the grace', async () => {
    const pgid = await group(true);
    const orphans = new Orphans(realTimers, captureLog(), 100);
    const ended: string[] = [];
    orphans.end(meta('b'), { pgid, start: null }, (r) => ended.push(r.id));
    expect(orphans.cancel('cmd_b')).toBe(true);
    await Promise.all(orphans.done());
    expect(ended).toEqual(['run_b']);
    expect(groupAlive(pgid)).toBe(false);
  });

  it('a failure while recording the end is logged', async () => {
    const pgid = await group();
    const log = captureLog();
    const orphans = new Orphans(realTimers, log, 5_000);
    const done = orphans.done();
    expect(done).toEqual([]);
    orphans.end(meta('c'), { pgid, start: null }, () => {
      throw new Error('history refused');
    });
    await Promise.allSettled(orphans.done());
    await expect
      .poll(() => log.lines.at(-1))
      .toBe('error ending run run_c: Error: history refused');
  });
});
