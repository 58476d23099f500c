// The process groups at the runner's edges (src/core/process-groups.ts): when a group counts
// as alive, and how endGroup ends one.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { endGroup, groupAlive, isRunsGroup, processStart } from '../../src/core/process-groups';
import {
  fakeTime,
  gonePid,
  realKill,
  realPause,
  runnerRig,
  until,
  watchKill,
} from '../helpers/runner-rig';

const { group, zombieGroup } = runnerRig(beforeAll, afterAll, afterEach);

describe.skipIf(process.platform !== 'linux')('process groups', () => {
  it('a group of zombies only is not alive, though kill(-pgid, 0) still finds it', async () => {
    const pgid = await zombieGroup();
    expect(() => realKill(-pgid, 0)).not.toThrow();
    expect(groupAlive(pgid)).toBe(false);
    expect(isRunsGroup({ pgid, start: null })).toBe(false);
  });

  it("a group whose leader has exited is alive while a member runs, and is still the run's", async () => {
    const { pgid, exited } = await group('sleep 60 & echo up');
    await exited; // the leader (reaped): its pid is not reused while the group exists
    expect(existsSync(`/proc/${pgid}`)).toBe(false);
    expect(processStart(pgid)).toBeNull();
    expect(groupAlive(pgid)).toBe(true);
    expect(isRunsGroup({ pgid, start: '12345' })).toBe(true);
  });

  it('a group that kill() may not signal (EPERM: another user) counts as alive', async () => {
    const pgid = await gonePid();
    expect(groupAlive(pgid)).toBe(false); // ESRCH
    // As root nothing answers EPERM: kill()'s answer is put in.
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    expect(groupAlive(pgid)).toBe(true);
  });

  it('endGroup ends every process of the group, and resolves as soon as it is gone', async () => {
    const time = fakeTime();
    const { pgid } = await group('sleep 60 & sleep 60 & echo up; wait');
    let endedAt: number | null = null;
    void endGroup(pgid, 5000, time).then(() => (endedAt = time.ms));
    const from = time.ms;
    await until(() => !groupAlive(pgid)); // SIGTERM to all of them
    time.advanceBy(25);
    await realPause(10);
    expect(endedAt).toBe(from + 25);
  });

  it('endGroup SIGKILLs a group that ignores SIGTERM at the grace, not before', async () => {
    const time = fakeTime();
    const { pgid } = await group('trap "" TERM; sleep 60 & sleep 60 & echo up; wait');
    let endedAt: number | null = null;
    const from = time.ms;
    void endGroup(pgid, 1500, time).then(() => (endedAt = time.ms));
    time.advanceBy(1475);
    await realPause();
    expect(groupAlive(pgid)).toBe(true);
    expect(endedAt).toBeNull();
    time.advanceBy(25); // the grace: SIGKILL
    await until(() => !groupAlive(pgid));
    time.advanceBy(25);
    await realPause(10);
    expect(endedAt).toBe(from + 1525);
  });

  it('endGroup stops waiting 1 s after the SIGKILL when a process survives it (stuck in the kernel)', async () => {
    const time = fakeTime();
    const { pgid } = await group('trap "" TERM; echo up; exec sleep 60');
    const calls = watchKill((pid, signal) => pid === -pgid && signal === 'SIGKILL');
    let endedAt: number | null = null;
    const from = time.ms;
    void endGroup(pgid, 500, time).then(() => (endedAt = time.ms));
    time.advanceBy(500);
    await realPause(10);
    const sent = calls.filter(([pid, signal]) => pid === -pgid && signal !== 0);
    expect(sent.map(([, signal]) => signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(endedAt).toBeNull();
    time.advanceBy(975);
    await realPause(10);
    expect(endedAt).toBeNull();
    time.advanceBy(25);
    await realPause(10);
    expect(endedAt).toBe(from + 1500);
    expect(groupAlive(pgid)).toBe(true); // the survivor, ended by afterEach
  });
});
