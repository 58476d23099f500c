// What the engine does as it starts: the runs an app that stopped left running are marked
// interrupted or, while their process group lives, ended; and the fires are planned.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTERRUPTED_NOTE, ORPHAN_ENDED_NOTE } from '../../src/core/engine';
import { PLAN_FILE } from '../../src/core/plan-cache';
import { groupAlive, processStart } from '../../src/core/process-groups';
import { newRun } from '../../src/core/run-records';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import { formatTimestamp } from '../../src/shared/time';
import type { Run } from '../../src/shared/types';
import { engineRig, posix, MIN, T0, waitFor } from '../helpers/engine-rig';

const rig = engineRig(beforeEach, afterEach);
const { log, makeEngine, put, gateCommand, open, historyLines, driveUntil } = rig;
const { writeLastAlive, openHistory, leftRunning, group } = rig;

describe.skipIf(!posix)('at start', () => {
  it('a run left running is marked interrupted at the last-alive instant, with a note', () => {
    put('sched_a');
    const left = leftRunning('sched_a', T0 - 2 * 3_600_000);
    writeLastAlive(T0 - 3_600_000);
    const { engine, finished, notified } = makeEngine();
    engine.start();
    const run = engine.getCommand(left.command_id);
    expect(run).toMatchObject({
      status: 'interrupted',
      finished_at: formatTimestamp(T0 - 3_600_000),
      duration: 3_600_000,
    });
    expect(run.stderr).toBe(`cmdop-scheduler: ${INTERRUPTED_NOTE}\n`);
    expect(rig.lines).toContain(`warn run ${left.id} of sched_a was interrupted: the app stopped`);
    expect(finished(left.command_id)?.status).toBe('interrupted');
    expect(notified.map((n) => [n.run.id, n.schedule.id])).toEqual([[left.id, 'sched_a']]);
    expect(engine.lastRun('sched_a')).toEqual({
      at: left.started_at,
      exit_code: null,
      duration: 3_600_000,
      status: 'interrupted',
    });
  });

  it('a recorded end without its finish time is no last run', () => {
    put('sched_a');
    const h = openHistory();
    const run = newRun({
      scheduleId: 'sched_a',
      trigger: 'manual',
      scheduledFor: null,
      chain: null,
      now: T0 - MIN,
    });
    h.append({ ...run, status: 'failure', exit_code: 1 });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.getCommand(run.command_id).status).toBe('failure');
    expect(engine.lastRun('sched_a')).toBeNull();
  });

  it('without a last-alive instant, an interrupted run ends at the start', () => {
    put('sched_a');
    const left = leftRunning('sched_a', T0 - 3_600_000);
    const { engine } = makeEngine();
    engine.start();
    expect(engine.getCommand(left.command_id)).toMatchObject({
      status: 'interrupted',
      finished_at: formatTimestamp(T0),
    });
  });

  it('a run whose process group is gone is interrupted, not ended as an orphan', async () => {
    put('sched_a');
    const pgid = await group();
    const start = processStart(pgid);
    process.kill(-pgid, 'SIGKILL');
    await waitFor(() => !groupAlive(pgid), 'the group to end');
    const left = leftRunning('sched_a', T0 - MIN, { pgid, start });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.getCommand(left.command_id).status).toBe('interrupted');
    expect(engine.activeRuns()).toEqual([]);
    expect(rig.lines.some((l) => l.includes('outlived the app'))).toBe(false);
  });

  it('a run whose group still runs is ended, shown meanwhile, and recorded with why', async () => {
    put('sched_a');
    const pgid = await group();
    const left = leftRunning('sched_a', T0 - MIN, { pgid, start: processStart(pgid) });
    const { engine, finished, notified } = makeEngine();
    engine.start();
    expect(rig.lines).toContain(
      `warn run ${left.id} of sched_a outlived the app (process group ${pgid}); ending it`,
    );
    expect(engine.activeRuns().map((r) => r.command_id)).toEqual([left.command_id]);
    expect(engine.runningCommand('sched_a')).toBe(left.command_id);
    expect(engine.getCommand(left.command_id).status).toBe('running');
    await driveUntil(() => finished(left.command_id) !== undefined, 10_000, 'the orphan ends');
    expect(groupAlive(pgid)).toBe(false);
    const run = engine.getCommand(left.command_id);
    expect(run.status).toBe('interrupted');
    expect(run.stderr).toBe(`cmdop-scheduler: ${ORPHAN_ENDED_NOTE}\n`);
    expect(notified.map((n) => n.run.id)).toEqual([left.id]);
    expect(engine.activeRuns()).toEqual([]);
  });

  it('a run of the app that crashed is found by its group and ended by the next start', async () => {
    put('sched_a', { command: 'sleep 60' });
    const crashed = makeEngine();
    crashed.engine.start();
    const { command_id } = crashed.engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    const { pgid } = historyLines('sched_a')[0] as { pgid: number };
    rig.pgids.push(pgid);
    expect(groupAlive(pgid)).toBe(true);
    // The app is gone without stopping; a new one starts on the same data dir.
    const next = makeEngine();
    next.engine.start();
    expect(next.engine.activeRuns().map((r) => r.command_id)).toEqual([command_id]);
    await driveUntil(() => next.finished(command_id) !== undefined, 10_000, 'the orphan ends');
    await waitFor(() => !groupAlive(pgid), 'the group to end');
    expect(next.engine.getCommand(command_id)).toMatchObject({ status: 'interrupted' });
    expect(next.engine.getCommand(command_id).stderr).toContain(ORPHAN_ENDED_NOTE);
  });

  it('an orphan whose schedule is deleted meanwhile is ended after the grace, unrecorded', async () => {
    put('sched_a');
    const pgid = await group(true);
    const left = leftRunning('sched_a', T0 - MIN, { pgid, start: processStart(pgid) });
    const { engine, finished, notified } = makeEngine();
    engine.start();
    expect(engine.cancelCommand(left.command_id)).toEqual({ cancelled: true });
    rig.repo.delete('sched_a');
    engine.scheduleDeleted('sched_a');
    // SIGTERM is ignored: SIGKILL comes after the configured grace, well before the default.
    await driveUntil(() => !groupAlive(pgid), 4000, 'the stubborn group ends');
    await driveUntil(() => engine.activeRuns().length === 0, 4000, 'the orphan is done');
    expect(finished(left.command_id)).toBeUndefined();
    expect(notified).toEqual([]);
    expect(engine.history.getByCommand(left.command_id)).toBeUndefined();
    expect(existsSync(join(rig.dir, 'history', 'sched_a.jsonl'))).toBe(false);
  });

  it('a second start changes nothing: a run in progress keeps running', async () => {
    put('sched_a', { command: gateCommand('go') });
    const { engine, events, waitFinished } = makeEngine();
    engine.start();
    const { command_id } = engine.runNow(rig.repo.get('sched_a') as StoredSchedule);
    engine.start();
    expect(rig.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    expect(engine.history.getByCommand(command_id)?.status).toBe('running');
    open('go');
    expect((await waitFinished(command_id)).status).toBe('success');
    expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
  });
});

describe.skipIf(!posix)('planning at start', () => {
  it('a broken schedule is never planned; the valid ones fire', async () => {
    put('sched_ok', { cron: '* * * * *' });
    put('sched_bad', { cron: '* * * * *' });
    rig.repo.close();
    const path = join(rig.dir, 'config.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.schedules.sched_bad.timeout = -5;
    writeFileSync(path, JSON.stringify(file));
    rig.repo = ScheduleRepository.open(confStoreFactory, rig.dir, rig.time.clock, log);
    expect(rig.repo.error('sched_bad')).not.toBeNull();
    const { engine, events } = makeEngine();
    engine.start();
    expect(engine.nextRun(rig.repo.get('sched_bad') as StoredSchedule)).toBeNull();
    rig.time.advanceTo('2026-06-01T10:01:00Z');
    const started = events.filter((e) => e.type === 'run.started');
    expect(started.map((e) => (e as { run: Run }).run.schedule_id)).toEqual(['sched_ok']);
  });

  it('catch-up runs a fire missed while the app was off, after the last-alive instant', () => {
    put('sched_a', { cron: '0 9 * * *', catch_up: true });
    writeLastAlive(T0 - 2 * 3_600_000);
    const { engine, events } = makeEngine();
    engine.start();
    const started = events.filter((e) => e.type === 'run.started') as { run: Run }[];
    expect(started.map((e) => [e.run.trigger, e.run.scheduled_for])).toEqual([
      ['catch_up', '2026-06-01T09:00:00Z'],
    ]);
  });

  it('no catch-up on a first start (no last-alive instant)', () => {
    put('sched_a', { cron: '0 9 * * *', catch_up: true });
    const { engine, events } = makeEngine();
    engine.start();
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
  });

  it('the planned fires are remembered on disk once computed', () => {
    put('sched_a');
    const { engine } = makeEngine();
    engine.start();
    const plan = JSON.parse(readFileSync(join(rig.dir, PLAN_FILE), 'utf8')) as {
      fires: Record<string, [string, number]>;
    };
    expect(Object.keys(plan.fires)).toEqual(['sched_a']);
    expect(plan.fires.sched_a?.[1]).toBe(Date.parse('2026-06-02T03:00:00Z'));
  });

  it('with nothing to compute, nothing is written at start', () => {
    const { engine } = makeEngine();
    engine.start();
    expect(existsSync(join(rig.dir, PLAN_FILE))).toBe(false);
  });
});
