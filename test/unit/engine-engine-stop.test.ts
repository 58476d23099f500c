// How the engine stops: running commands cancelled or waited for, and what is written to disk.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_FILE } from '../../src/core/heartbeat';
import { PLAN_FILE } from '../../src/core/plan-cache';
import { groupAlive } from '../../src/core/process-groups';
import type { StoredSchedule } from '../../src/core/schedules';
import { engineRig, posix, waitFor } from '../helpers/engine-rig';

const rig = engineRig(beforeEach, afterEach);
const { makeEngine, put, gateCommand, open, historyLines, lastAliveOnDisk } = rig;

describe.skipIf(!posix)('stop', () => {
  it('cancels running commands by default: recorded as interrupted, their group gone', async () => {
    put('sched_a', { command: 'sleep 60' });
    const { engine, notified } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const { pgid } = historyLines('sched_a')[0] as { pgid: number };
    await engine.stop();
    expect(engine.history.getByCommand(command_id)?.status).toBe('interrupted');
    expect(historyLines('sched_a').at(-1)).toMatchObject({ status: 'interrupted' });
    expect(notified.map((n) => n.run.status)).toEqual(['interrupted']);
    await waitFor(() => !groupAlive(pgid), 'the group to end');
  });

  it("'wait' lets running commands finish and records how they ended", async () => {
    put('sched_a', { command: gateCommand('go') });
    const { engine } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const stopping = engine.stop('wait');
    open('go');
    await stopping;
    expect(engine.history.getByCommand(command_id)).toMatchObject({
      status: 'success',
      stdout: 'done\n',
    });
  });

  it('a run whose shell had already exited is recorded as it ended, not interrupted', async () => {
    // A background child holds the output open after the shell has exited.
    put('sched_a', { command: 'sleep 30 & echo hi' });
    const { engine } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const { pgid } = historyLines('sched_a')[0] as { pgid: number };
    rig.pgids.push(pgid);
    await waitFor(() => {
      try {
        process.kill(pgid, 0);
        return false;
      } catch {
        return true; // the shell (the group's leader) is gone
      }
    }, 'the shell to exit');
    await engine.stop();
    expect(engine.history.getByCommand(command_id)).toMatchObject({
      status: 'success',
      stdout: 'hi\n',
    });
  });

  it('writes the last-alive instant and the plan once; a second stop writes nothing', async () => {
    put('sched_a');
    const { engine } = makeEngine();
    engine.start();
    rig.time.advanceBy(2000);
    await engine.stop();
    expect(lastAliveOnDisk()).toBe('2026-06-01T10:00:02.000Z');
    rmSync(join(rig.dir, PLAN_FILE));
    rig.time.advanceBy(60_000);
    await engine.stop();
    expect(lastAliveOnDisk()).toBe('2026-06-01T10:00:02.000Z');
    expect(existsSync(join(rig.dir, PLAN_FILE))).toBe(false);
  });

  it('of an engine never started writes nothing', async () => {
    put('sched_a');
    const { engine } = makeEngine();
    await engine.stop();
    expect(existsSync(join(rig.dir, HEARTBEAT_FILE))).toBe(false);
    expect(existsSync(join(rig.dir, PLAN_FILE))).toBe(false);
  });
});
