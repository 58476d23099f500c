// Start-up planning: remembered next fires are reused when still valid, the rest planned a
// chunk at a time from the start instant (a fire that fell due meanwhile still runs), and a
// schedule asked for before its turn is planned on the spot.
import { describe, expect, it } from 'vitest';
import { planKey } from '../../src/core/plan-cache';
import { Scheduler, type Fire, type Plannable } from '../../src/core/scheduler';
import { START_PLAN_CHUNK, StartPlanner } from '../../src/core/start-plan';
import { silentLogger } from '../../src/core/log';
import { FakeTime } from '../helpers/fake-time';

function setup() {
  const time = new FakeTime('2026-06-01T10:00:00Z');
  const fires: Fire[] = [];
  const scheduler = new Scheduler({
    clock: time.clock,
    timers: time,
    log: silentLogger,
    onFire: (f) => fires.push(f),
  });
  return { time, fires, scheduler };
}

const plannable = (id: string, cron = '0 3 * * *', timezone = 'UTC'): Plannable => ({
  id,
  cron,
  timezone,
  enabled: true,
  catch_up: false,
  updatedAt: 0,
});

describe('StartPlanner', () => {
  it('reuses a remembered fire for an unchanged schedule; recomputes a changed or past one', () => {
    const { time, scheduler } = setup();
    const remembered = new Map<string, [string, number]>([
      // Deliberately not the computed value, to see that it was taken as is.
      ['kept', [planKey(plannable('kept')), Date.parse('2026-06-02T03:00:00Z')]],
      ['edited', [planKey(plannable('edited', '0 4 * * *')), Date.parse('2026-06-02T04:00:00Z')]],
      ['past', [planKey(plannable('past')), Date.parse('2026-06-01T03:00:00Z')]],
    ]);
    let done = 0;
    new StartPlanner({
      scheduler,
      schedules: [plannable('kept'), plannable('edited', '0 5 * * *'), plannable('past')],
      remembered,
      from: time.ms,
      onDone: () => done++,
    }).run();
    expect(done).toBe(1);
    expect(new Date(scheduler.next('kept')!).toISOString()).toBe('2026-06-02T03:00:00.000Z');
    expect(new Date(scheduler.next('edited')!).toISOString()).toBe('2026-06-02T05:00:00.000Z');
    expect(new Date(scheduler.next('past')!).toISOString()).toBe('2026-06-02T03:00:00.000Z');
  });

  it('plans a large store in chunks; a schedule asked for early is planned on the spot', () => {
    const { time, scheduler } = setup();
    const count = START_PLAN_CHUNK * 2 + 7;
    const schedules = Array.from({ length: count }, (_, i) => plannable(`s${i}`));
    const later: (() => void)[] = [];
    let done = 0;
    const planner = new StartPlanner({
      scheduler,
      schedules,
      remembered: new Map(),
      from: time.ms,
      defer: (fn) => later.push(fn),
      onDone: () => done++,
    });
    planner.run();
    expect(scheduler.isPlanned('s0')).toBe(false); // nothing blocked the caller
    planner.ensure(`s${count - 1}`);
    expect(scheduler.isPlanned(`s${count - 1}`)).toBe(true);
    while (later.length) later.shift()!();
    expect(done).toBe(1);
    expect(planner.done).toBe(true);
    expect(schedules.every((s) => scheduler.isPlanned(s.id))).toBe(true);
  });

  it('a fire that fell due while the rest was being planned still runs, once', () => {
    const { time, fires, scheduler } = setup();
    const schedules = Array.from({ length: START_PLAN_CHUNK + 1 }, (_, i) =>
      plannable(`s${i}`, i === START_PLAN_CHUNK ? '30 0 10 * * *' : '0 3 * * *'),
    );
    const later: (() => void)[] = [];
    const planner = new StartPlanner({
      scheduler,
      schedules,
      remembered: new Map(),
      from: time.ms,
      defer: (fn) => later.push(fn),
      onDone: () => {},
    });
    scheduler.start();
    planner.run();
    time.advanceBy(45_000); // 10:00:45: the 10:00:30 fire passed before its turn came
    while (later.length) later.shift()!();
    time.advanceBy(1000);
    expect(fires.map((f) => [f.scheduleId, new Date(f.scheduledFor).toISOString()])).toEqual([
      [`s${START_PLAN_CHUNK}`, '2026-06-01T10:00:30.000Z'],
    ]);
  });
});
