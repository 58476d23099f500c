// When the engine fires a schedule and what it says the next run is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { START_PLAN_CHUNK } from '../../src/core/start-plan';
import type { StoredSchedule } from '../../src/core/schedules';
import type { Run } from '../../src/shared/types';
import { apiError } from '../helpers/api-error';
import { engineRig, posix } from '../helpers/engine-rig';
import { storedSchedule } from '../helpers/stored-schedule';

const rig = engineRig(beforeEach, afterEach);
const { makeEngine, put, gateCommand, open } = rig;

describe.skipIf(!posix)('firing', () => {
  it('wake fires what fell due while the clock jumped', () => {
    put('sched_a', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    rig.time.advanceTo('2026-06-01T10:00:50Z');
    rig.time.jump(20_000);
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
    engine.wake();
    const started = events.filter((e) => e.type === 'run.started') as { run: Run }[];
    expect(started.map((e) => e.run.scheduled_for)).toEqual(['2026-06-01T10:01:00Z']);
  });

  it('a schedule disabled in the store is not run even if its fire was planned', () => {
    const s = put('sched_a', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    rig.repo.put({ ...s, enabled: false });
    rig.time.advanceTo('2026-06-01T10:01:00Z');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
  });

  it("a fire while the last run still runs is skipped under overlap 'skip', with why", async () => {
    put('sched_a', { cron: '* * * * *', command: gateCommand('go') });
    put('sched_b', { command: 'echo b' });
    const { engine, events, notified, waitFinished } = makeEngine();
    engine.start();
    rig.time.advanceTo('2026-06-01T10:01:00Z');
    const first = (events.find((e) => e.type === 'run.started') as { run: Run }).run;
    // Another schedule is not held up by it.
    const b = engine.runNow(rig.repo.get('sched_b') as StoredSchedule);
    await waitFinished(b.command_id);
    rig.time.advanceTo('2026-06-01T10:02:00Z');
    const skipped = engine.history.list('sched_a', { limit: 10, offset: 0, status: 'skipped' });
    expect(skipped.data).toHaveLength(1);
    expect(skipped.data[0]).toMatchObject({
      scheduled_for: '2026-06-01T10:02:00Z',
      stderr: expect.stringMatching(/^cmdop-scheduler: skipped: /),
    });
    const skipRun = skipped.data[0] as Run;
    expect(events.some((e) => e.type === 'run.finished' && e.run.id === skipRun.id)).toBe(true);
    expect(notified.map((n) => n.run.id)).toContain(skipRun.id);
    const e = apiError(() => engine.runNow(rig.repo.get('sched_a') as StoredSchedule));
    expect(e.code).toBe('conflict');
    expect(e.details).toEqual({ command_id: first.command_id });
    open('go');
    await waitFinished(first.command_id);
  });
});

describe.skipIf(!posix)('the next run', () => {
  it('is null for a disabled schedule', () => {
    const s = put('sched_a', { enabled: false });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.nextRun(s)).toBeNull();
  });

  it('plans a schedule the engine was not told about yet', () => {
    const { engine } = makeEngine();
    engine.start();
    const s = put('sched_new', { cron: '30 10 * * *' });
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:30:00Z'));
  });

  it('is known before the engine starts', () => {
    const s = put('sched_a', { cron: '30 10 * * *' });
    const { engine } = makeEngine();
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:30:00Z'));
  });

  it('asked for while the start plan is still being computed, a fire since the start still runs', () => {
    const many = Array.from({ length: START_PLAN_CHUNK + 1 }, (_, i) =>
      storedSchedule(`sched_${String(i).padStart(3, '0')}`),
    );
    rig.repo.putMany(many);
    const s = put('sched_minutely', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    // Before the next chunk of the start plan: the clock has moved past 10:01 meanwhile.
    rig.time.ms = Date.parse('2026-06-01T10:01:30Z');
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:02:00Z'));
    engine.wake();
    const started = events.filter((e) => e.type === 'run.started') as { run: Run }[];
    expect(started.map((e) => [e.run.schedule_id, e.run.scheduled_for])).toEqual([
      ['sched_minutely', '2026-06-01T10:01:00Z'],
    ]);
  });

  it('of a fire already due is the one after it', () => {
    const s = put('sched_a', { cron: '30 10 * * *' });
    const { engine } = makeEngine();
    engine.start();
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-01T10:30:00Z'));
    rig.time.ms = Date.parse('2026-06-01T10:30:00Z'); // the timer has not rung yet
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-02T10:30:00Z'));
    rig.time.ms = Date.parse('2026-06-01T10:45:00Z');
    expect(engine.nextRun(s)).toBe(Date.parse('2026-06-02T10:30:00Z'));
  });

  it('a change that cannot be planned is logged and its old plan dropped', () => {
    const s = put('sched_a', { cron: '* * * * *' });
    const { engine, events } = makeEngine();
    engine.start();
    engine.scheduleChanged({ ...s, cron: 'not a cron' });
    expect(rig.lines.filter((l) => l.startsWith('error'))).toEqual([
      expect.stringMatching(/^error schedule sched_a cannot be planned: ./),
    ]);
    rig.time.advanceTo('2026-06-01T10:01:00Z');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
  });

  it('changes and deletions before the engine starts are taken', () => {
    const s = put('sched_a', { cron: '30 10 * * *' });
    const { engine } = makeEngine();
    engine.scheduleChanged(s);
    engine.scheduleDeleted('sched_gone');
    expect(engine.scheduler.next('sched_a')).toBe(Date.parse('2026-06-01T10:30:00Z'));
  });
});
