// Commands run through the engine (now or ad hoc): looked up, cancelled, ended with their
// schedule, notified; and the retries of a failed one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredSchedule } from '../../src/core/schedules';
import { ADHOC_OWNER } from '../../src/shared/cmdop-command';
import { formatTimestamp } from '../../src/shared/time';
import type { Run } from '../../src/shared/types';
import { apiError } from '../helpers/api-error';
import { engineRig, posix } from '../helpers/engine-rig';
import { storedSchedule } from '../helpers/stored-schedule';

const rig = engineRig(beforeEach, afterEach);
const { makeEngine, put, gateCommand, open } = rig;

describe.skipIf(!posix)('commands', () => {
  it('an unknown command is not found; a finished one cannot be cancelled', async () => {
    const s = put('sched_a');
    const { engine, waitFinished } = makeEngine();
    engine.start();
    expect(apiError(() => engine.getCommand('cmd_nope')).message).toBe(
      'Command cmd_nope not found',
    );
    expect(apiError(() => engine.cancelCommand('cmd_nope')).message).toBe(
      'Command cmd_nope not found',
    );
    const { command_id } = engine.runNow(s);
    await waitFinished(command_id);
    expect(engine.getCommand(command_id).next_retry_at).toBeNull();
    const other = put('sched_b', { command: gateCommand('go') });
    const running = engine.runNow(other);
    const e = apiError(() => engine.cancelCommand(command_id));
    expect(apiError(() => engine.cancelCommand('cmd_nope')).code).toBe('not_found');
    expect(engine.runningCommand('sched_b')).toBe(running.command_id);
    open('go');
    expect((await waitFinished(running.command_id)).status).toBe('success');
    expect(e.code).toBe('not_running');
    expect(e.message).toBe(`Command ${command_id} is not running (it ended: success)`);
    expect(e.details).toEqual({ status: 'success' });
  });

  it('run in the environment given to the engine', async () => {
    put('sched_a', { command: 'echo "$ENGINE_TEST_VAR"' });
    const { engine, waitFinished } = makeEngine({
      env: { ...process.env, ENGINE_TEST_VAR: 'from the engine' },
    });
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    expect((await waitFinished(command_id)).stdout).toBe('from the engine\n');
  });

  it('ad-hoc: recorded with its command under its owner, counted, never notified', async () => {
    put('sched_a');
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const owner = storedSchedule(ADHOC_OWNER, { command: gateCommand('go', 'adhoc') });
    expect(() => engine.runAdhoc(rig.repo.get('sched_a') as StoredSchedule)).toThrow(
      `runAdhoc takes the ${ADHOC_OWNER} owner`,
    );
    const other = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    expect(engine.adhocRunning()).toBe(0);
    await waitFinished(other.command_id);
    const run = engine.runAdhoc(owner);
    expect(run).toMatchObject({ schedule_id: ADHOC_OWNER, trigger: 'manual' });
    expect(run.command).toBe(owner.command);
    const scheduled = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    expect(engine.adhocRunning()).toBe(1);
    expect(engine.activeRuns().map((r) => r.command_id)).toEqual([
      run.command_id,
      scheduled.command_id,
    ]);
    await waitFinished(scheduled.command_id);
    expect(engine.adhocRunning()).toBe(1);
    expect(engine.getCommand(scheduled.command_id).command).toBeUndefined();
    open('go');
    await waitFinished(run.command_id);
    expect(engine.history.getByCommand(run.command_id)).toMatchObject({
      status: 'success',
      stdout: 'adhoc\n',
      command: owner.command,
    });
    expect(engine.adhocRunning()).toBe(0);
    expect(notified.map((n) => n.schedule.id)).toEqual(['sched_a', 'sched_a']);
  });

  it('a run notifies with its schedule as it is when the run ends', async () => {
    const s = put('sched_a', { command: gateCommand('go') });
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    rig.repo.put({ ...s, name: 'renamed' });
    open('go');
    await waitFinished(command_id);
    expect(notified.map((n) => n.schedule.name)).toEqual(['renamed']);
  });

  it("deleting a schedule ends its runs, not other schedules', and keeps no history", async () => {
    put('sched_a', { command: 'sleep 60' });
    put('sched_b', { command: gateCommand('go') });
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const a = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const b = engine.runNow(rig.repo.get('sched_b') as StoredSchedule);
    rig.repo.delete('sched_a');
    engine.scheduleDeleted('sched_a');
    const ended = await waitFinished(a.command_id);
    expect(ended.status).toBe('cancelled');
    expect(engine.runningCommand('sched_b')).toBe(b.command_id);
    expect(engine.history.getByCommand(a.command_id)).toBeUndefined();
    expect(existsSync(join(rig.dir, 'history', 'sched_a.jsonl'))).toBe(false);
    expect(notified).toEqual([]);
    open('go');
    await waitFinished(b.command_id);
    expect(notified.map((n) => n.schedule.id)).toEqual(['sched_b']);
  });

  it('without a notification hook, a run ends quietly', async () => {
    const s = put('sched_a');
    const { engine, waitFinished } = makeEngine({ onRunFinished: undefined });
    engine.start();
    await waitFinished(engine.runNow(s).command_id);
    expect(rig.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('a notification that throws is logged, and the run is recorded all the same', async () => {
    const s = put('sched_a');
    const { engine, waitFinished } = makeEngine({
      onRunFinished: () => {
        throw new Error('notifier down');
      },
    });
    engine.start();
    const { command_id } = engine.runNow(s);
    const run = await waitFinished(command_id);
    expect(rig.lines).toContain(`error notification for ${run.id} failed: notifier down`);
    expect(engine.history.getByCommand(command_id)?.status).toBe('success');
  });
});

describe.skipIf(!posix)('retries', () => {
  const retrying = (command: string) =>
    put('sched_a', { command, retries: 1, retry_delay: 1000, retry_backoff: 1 });

  it('a failure with a retry to come says when, and notifies only once the chain ends', async () => {
    const flag = join(rig.dir, 'failed-once');
    const s = retrying(`if [ -f '${flag}' ]; then echo second; else touch '${flag}'; exit 3; fi`);
    const { engine, notified, waitFinished, events } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    const first = await waitFinished(command_id);
    const at = formatTimestamp(rig.time.ms + 1000);
    expect(first).toMatchObject({ status: 'failure', exit_code: 3, next_retry_at: at });
    expect(engine.getCommand(command_id).next_retry_at).toBe(at);
    expect(notified).toEqual([]);
    rig.time.advanceBy(1000);
    const retry = (events.filter((e) => e.type === 'run.started') as { run: Run }[]).at(-1)
      ?.run as Run;
    expect(retry).toMatchObject({ attempt: 2, retry_of: command_id });
    await waitFinished(retry.command_id);
    expect(engine.getCommand(retry.command_id).stdout).toBe('second\n');
    expect(notified.map((n) => n.run.command_id)).toEqual([retry.command_id]);
  });

  it('cancelling the first command of a chain cancels the retry running now', async () => {
    const flag = join(rig.dir, 'failed-once');
    const s = retrying(`if [ -f '${flag}' ]; then sleep 60; else touch '${flag}'; exit 3; fi`);
    const { engine, waitFinished, events } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    await waitFinished(command_id);
    rig.time.advanceBy(1000);
    const retry = (events.filter((e) => e.type === 'run.started') as { run: Run }[]).at(-1)
      ?.run as Run;
    expect(retry.retry_of).toBe(command_id);
    expect(engine.cancelCommand(command_id)).toEqual({ cancelled: true });
    expect((await waitFinished(retry.command_id)).status).toBe('cancelled');
  });

  it('a new run supersedes a waiting retry: the failure it followed is notified then', async () => {
    const s = retrying('exit 3');
    const { engine, notified, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(s);
    await waitFinished(command_id);
    expect(notified).toEqual([]);
    engine.runNow(s);
    expect(notified.map((n) => [n.run.command_id, n.run.status, n.schedule.id])).toEqual([
      [command_id, 'failure', 'sched_a'],
    ]);
    expect(engine.getCommand(command_id).next_retry_at).toBeNull();
  });
});
