// Planning at start (src/core/start-plan.ts): which remembered fires are reused, how many had
// to be computed, the chunks a large store is planned in, and schedules asked for or
// changed before their turn.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log';
import { planKey } from '../../src/core/plan-cache';
import { Scheduler, type Fire, type Plannable } from '../../src/core/scheduler';
import { START_PLAN_CHUNK, StartPlanner } from '../../src/core/start-plan';
import { FakeTime } from '../helpers/fake-time';

const daily = (id: string, extra: Partial<Plannable> = {}): Plannable => ({
  id,
  cron: '0 3 * * *',
  timezone: 'UTC',
  enabled: true,
  catch_up: false,
  updatedAt: 0,
  ...extra,
});

function setup(startIso = '2026-06-01T10:00:00Z') {
  const time = new FakeTime(startIso);
  const fires: Fire[] = [];
  const scheduler = new Scheduler({
    clock: time.clock,
    timers: time,
    log: silentLogger,
    onFire: (f) => fires.push(f),
  });
  return { time, fires, scheduler };
}

describe('the start plan', () => {
  it('takes a remembered fire as it is, and counts only the enabled schedules it computed', () => {
    const { time, scheduler } = setup();
    const later = Date.parse('2026-06-05T03:00:00Z'); // not what a computation would give
    const counts: number[] = [];
    new StartPlanner({
      scheduler,
      schedules: [daily('kept'), daily('fresh'), daily('off', { enabled: false })],
      remembered: new Map([['kept', [planKey(daily('kept')), later]]]),
      from: time.ms,
      onDone: (n) => counts.push(n),
    }).run();
    expect(scheduler.next('kept')).toBe(later);
    expect(scheduler.next('fresh')).toBe(Date.parse('2026-06-02T03:00:00Z'));
    expect(scheduler.isPlanned('off')).toBe(false);
    expect(counts).toEqual([1]);
  });

  it('a remembered fire at the start instant itself is recomputed', () => {
    const { time, scheduler } = setup('2026-06-01T03:00:00Z');
    new StartPlanner({
      scheduler,
      schedules: [daily('s')],
      remembered: new Map([['s', [planKey(daily('s')), time.ms]]]),
      from: time.ms,
      onDone: () => {},
    }).run();
    expect(scheduler.next('s')).toBe(Date.parse('2026-06-02T03:00:00Z'));
  });

  it('a store of exactly one chunk is planned at once', () => {
    const { time, scheduler } = setup();
    const deferred: (() => void)[] = [];
    let done = 0;
    const schedules = Array.from({ length: START_PLAN_CHUNK }, (_, i) => daily(`s${i}`));
    const planner = new StartPlanner({
      scheduler,
      schedules,
      remembered: new Map(),
      from: time.ms,
      defer: (fn) => deferred.push(fn),
      onDone: () => done++,
    });
    planner.run();
    expect(deferred).toEqual([]);
    expect(done).toBe(1);
    expect(planner.done).toBe(true);
  });

  it('a larger store is planned a chunk at a time', () => {
    const { time, scheduler } = setup();
    const deferred: (() => void)[] = [];
    const schedules = Array.from({ length: START_PLAN_CHUNK * 2 + 1 }, (_, i) => daily(`s${i}`));
    const planner = new StartPlanner({
      scheduler,
      schedules,
      remembered: new Map(),
      from: time.ms,
      defer: (fn) => deferred.push(fn),
      onDone: () => {},
    });
    const planned = () => schedules.filter((s) => scheduler.isPlanned(s.id)).length;
    planner.run();
    expect(planned()).toBe(0);
    deferred.shift()!();
    expect(planned()).toBe(START_PLAN_CHUNK);
    expect(planner.done).toBe(false);
    deferred.shift()!();
    expect(planned()).toBe(START_PLAN_CHUNK * 2);
    deferred.shift()!();
    expect(planned()).toBe(START_PLAN_CHUNK * 2 + 1);
    expect(planner.done).toBe(true);
    expect(deferred).toEqual([]);
  });

  it('by default the chunks run after pending I/O, and the plan completes', async () => {
    const { time, scheduler } = setup();
    const schedules = Array.from({ length: START_PLAN_CHUNK + 1 }, (_, i) => daily(`s${i}`));
    const counts = await new Promise<number>((resolve) =>
      new StartPlanner({
        scheduler,
        schedules,
        remembered: new Map(),
        from: time.ms,
        onDone: resolve,
      }).run(),
    );
    expect(counts).toBe(START_PLAN_CHUNK + 1);
    expect(schedules.every((s) => scheduler.isPlanned(s.id))).toBe(true);
  });

  it('ensure is a no-op for a schedule not waiting; a forgotten one is left to the engine', () => {
    const { time, scheduler } = setup();
    const deferred: (() => void)[] = [];
    const schedules = Array.from({ length: START_PLAN_CHUNK + 2 }, (_, i) => daily(`s${i}`));
    const planner = new StartPlanner({
      scheduler,
      schedules,
      remembered: new Map(),
      from: time.ms,
      defer: (fn) => deferred.push(fn),
      onDone: () => {},
    });
    planner.run();
    expect(() => planner.ensure('unknown')).not.toThrow();
    planner.forget('s0');
    planner.ensure('s0');
    expect(scheduler.isPlanned('s0')).toBe(false);
    while (deferred.length) deferred.shift()!();
    expect(scheduler.isPlanned('s0')).toBe(false);
    expect(scheduler.isPlanned('s1')).toBe(true);
  });
});
