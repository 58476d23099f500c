// Where the engine keeps a run's history: recorded from its start, on disk in the data dir,
// and written again later when the disk refused it.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNWRITTEN_RETRY_MS } from '../../src/core/engine';
import { groupAlive } from '../../src/core/process-groups';
import type { StoredSchedule } from '../../src/core/schedules';
import { engineRig, posix, type Harness } from '../helpers/engine-rig';

const rig = engineRig(beforeEach, afterEach);
const { makeEngine, put, gateCommand, open, historyLines } = rig;

describe.skipIf(!posix)('history', () => {
  it('lives in the history folder of the data dir: the record and the output apart', async () => {
    put('sched_a');
    const { engine, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const run = await waitFinished(command_id);
    expect(run).toMatchObject({ status: 'success', exit_code: 0, stdout: 'hi\n' });
    expect(historyLines('sched_a').at(-1)).toMatchObject({ id: run.id, status: 'success' });
    const output = JSON.parse(
      readFileSync(join(rig.dir, 'history', 'sched_a', `${run.id}.json`), 'utf8'),
    ) as { stdout: string };
    expect(output.stdout).toBe('hi\n');
  });

  it('a run is recorded from its start, with its process group', async () => {
    put('sched_a', { command: gateCommand('go') });
    const { engine, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const first = historyLines('sched_a')[0] as { pgid: number; status: string };
    expect(first.status).toBe('running');
    expect(groupAlive(first.pgid)).toBe(true);
    expect(historyLines('sched_a')).toHaveLength(1);
    expect(engine.history.getByCommand(command_id)?.status).toBe('running');
    open('go');
    await waitFinished(command_id);
    expect(historyLines('sched_a').map((l) => l.status)).toEqual(['running', 'success']);
  });

  it('a run that cannot start is in history from its start too, then failed with why', async () => {
    put('sched_a', { cwd: join(rig.dir, 'no-such-dir') });
    const { engine, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    expect(engine.history.getByCommand(command_id)?.status).toBe('running');
    const run = await waitFinished(command_id);
    expect(run.status).toBe('failure');
    expect(run.stderr).toContain('no-such-dir');
    expect(engine.getCommand(command_id).status).toBe('failure');
  });
});

describe.skipIf(!posix)('history the disk refused', () => {
  /** Runs sched_a to its end while its history log cannot be appended to. */
  async function runRefused(h: Harness): Promise<{ log: string; commandId: string }> {
    const { command_id } = h.engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const path = join(rig.dir, 'history', 'sched_a.jsonl');
    rmSync(path);
    mkdirSync(path);
    open('go');
    await h.waitFinished(command_id);
    expect(statSync(path).isDirectory()).toBe(true);
    return { log: path, commandId: command_id };
  }

  it('is written again every few seconds until it is on disk; then the engine idles', async () => {
    put('sched_a', { command: gateCommand('go') });
    const h = makeEngine();
    h.engine.start();
    const idle = rig.time.pendingCount;
    const { log: path, commandId } = await runRefused(h);
    expect(h.engine.getCommand(commandId).status).toBe('success');
    expect(rig.retryArms).toBe(1);
    // Another run meanwhile waits behind the refused record, on the same retry.
    const b = h.engine.runNow(put('sched_b', { command: 'echo b' }));
    await h.waitFinished(b.command_id);
    expect(rig.retryArms).toBe(1);
    expect(existsSync(join(rig.dir, 'history', 'sched_b.jsonl'))).toBe(false);
    rmSync(path, { recursive: true });
    rig.time.advanceBy(UNWRITTEN_RETRY_MS - 1);
    expect(existsSync(path)).toBe(false);
    rig.time.advanceBy(1);
    expect(historyLines('sched_a').map((l) => [l.command_id, l.status])).toEqual([
      [commandId, 'success'],
    ]);
    expect(historyLines('sched_b').map((l) => [l.command_id, l.status])).toEqual([
      [b.command_id, 'running'],
      [b.command_id, 'success'],
    ]);
    expect(rig.time.pendingCount).toBe(idle);
    // Written: no further retry is armed.
    const arms = rig.retryArms;
    rig.time.advanceBy(3 * UNWRITTEN_RETRY_MS);
    expect(rig.retryArms).toBe(arms);
  });

  it('an idle engine with nothing refused arms no retry', async () => {
    put('sched_a', { command: 'echo hi' });
    const h = makeEngine();
    h.engine.start();
    const idle = rig.time.pendingCount;
    const { command_id } = h.engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    await h.waitFinished(command_id);
    rig.time.advanceBy(3 * UNWRITTEN_RETRY_MS);
    expect(rig.time.pendingCount).toBe(idle);
    expect(rig.retryArms).toBe(0);
  });

  it('a stopped engine does not write it later', async () => {
    put('sched_a', { command: gateCommand('go') });
    const h = makeEngine();
    h.engine.start();
    const { log: path } = await runRefused(h);
    await h.engine.stop();
    rmSync(path, { recursive: true });
    rig.time.advanceBy(3 * UNWRITTEN_RETRY_MS);
    expect(existsSync(path)).toBe(false);
  });
});
