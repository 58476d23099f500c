// The scheduler's edges (src/core/scheduler.ts) on FakeTime: what it tells of missed fires,
// failures of its listeners, start/stop/wake, a clock stepped back exactly 3 h, the delay in
// catch-up and in the preview helpers, and many schedules kept in order.
import { describe, expect, it } from 'vitest';
import {
  BACKWARD_JUMP_REPLAN_MS,
  dueFires,
  nextDue,
  Scheduler,
  type Fire,
  type Missed,
  type Plannable,
} from '../../src/core/scheduler';
import { FakeTime } from '../helpers/fake-time';
import { setup } from '../helpers/scheduler';
import { captureLog } from '../helpers/server';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const sched = (id: string, cron: string, extra: Partial<Plannable> = {}): Plannable => ({
  id,
  cron,
  timezone: 'UTC',
  enabled: true,
  catch_up: false,
  updatedAt: 0,
  ...extra,
});

function withListeners(startIso: string, onFire: (f: Fire) => void = () => {}) {
  const time = new FakeTime(startIso);
  const log = captureLog();
  const missed: Missed[] = [];
  const scheduler = new Scheduler({
    clock: time.clock,
    timers: time,
    log,
    onFire,
    onMissed: (m) => missed.push(m),
  });
  return { time, log, missed, scheduler };
}

describe('missed fires', () => {
  it('are told with the first and last instants missed and when the clock was looked at', () => {
    const fires: Fire[] = [];
    const t = withListeners('2026-06-01T10:59:00Z', (f) => fires.push(f));
    t.scheduler.plan(sched('s', '0 * * * *', { catch_up: true }));
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T10:59:30Z');
    t.time.jump(3 * 3600_000); // asleep: 11:00 to 14:00 pass unseen
    t.time.advanceBy(30_000);
    expect(t.missed).toEqual([
      {
        scheduleId: 's',
        first: at('2026-06-01T11:00:00Z'),
        last: at('2026-06-01T14:00:00Z'),
        since: at('2026-06-01T10:59:30Z'),
        now: at('2026-06-01T14:00:00Z'),
      },
    ]);
    expect(fires).toEqual([
      { scheduleId: 's', scheduledFor: at('2026-06-01T14:00:00Z'), trigger: 'catch_up' },
    ]);
  });

  it('a failing listener is logged and the catch-up still runs', () => {
    const fires: Fire[] = [];
    const time = new FakeTime('2026-06-01T10:59:30Z');
    const log = captureLog();
    const scheduler = new Scheduler({
      clock: time.clock,
      timers: time,
      log,
      onFire: (f) => fires.push(f),
      onMissed: () => {
        throw new Error('decision log refused');
      },
    });
    scheduler.plan(sched('s', '0 * * * *', { catch_up: true }));
    scheduler.start();
    time.jump(2 * 3600_000);
    time.advanceBy(30_000);
    expect(log.lines).toEqual([
      'error recording the missed fires of s failed: decision log refused',
    ]);
    expect(fires.map((f) => f.trigger)).toEqual(['catch_up']);
  });

  it('without a listener nothing is logged but the skip; catch_up off says it waits', () => {
    const t = setup('2026-06-01T10:59:30Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.jump(2 * 3600_000);
    t.time.advanceBy(30_000);
    expect(t.fires).toEqual([]);
    expect(t.log.lines).toEqual([
      'info schedule sched_0UTC missed its fire at 2026-06-01T11:00:00.000Z (asleep or clock changed); catch_up is off, so it waits for the next one',
    ]);
  });
});

describe('a failing start of one schedule', () => {
  it('is logged, and the others due at the same time still fire', () => {
    const fired: string[] = [];
    const t = withListeners('2026-06-01T10:59:50Z', (f) => {
      fired.push(f.scheduleId);
      if (f.scheduleId === 'a') throw new Error('store refused');
    });
    t.scheduler.plan(sched('a', '0 * * * *'));
    t.scheduler.plan(sched('b', '0 * * * *'));
    t.scheduler.start();
    t.time.advanceBy(10_000);
    expect(fired.sort()).toEqual(['a', 'b']);
    expect(t.log.lines).toEqual(['error firing a failed: store refused']);
  });
});

describe('start, stop and wake', () => {
  it('a stop just before a fire is due: it does not fire', () => {
    const t = setup('2026-06-01T10:59:50Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceBy(5_000);
    t.scheduler.stop();
    t.time.advanceTo('2026-06-01T13:00:00Z');
    expect(t.fires).toEqual([]);
    expect(t.time.pendingCount).toBe(0);
  });

  it('a stop from inside a fire: nothing fires after it', () => {
    const time = new FakeTime('2026-06-01T10:59:50Z');
    const fires: Fire[] = [];
    const scheduler: Scheduler = new Scheduler({
      clock: time.clock,
      timers: time,
      log: captureLog(),
      onFire: (f) => {
        fires.push(f);
        scheduler.stop();
      },
    });
    scheduler.plan(sched('s', '* * * * *'));
    scheduler.start();
    time.advanceTo('2026-06-01T11:10:00Z');
    expect(fires.map((f) => iso(f.scheduledFor))).toEqual(['2026-06-01T11:00:00Z']);
  });

  it('wake before start or after stop fires nothing', () => {
    const t = setup('2026-06-01T10:59:50Z');
    t.plan('0 * * * *');
    t.time.jump(60_000);
    t.scheduler.wake();
    expect(t.fires).toEqual([]);
    t.scheduler.start();
    t.scheduler.stop();
    t.time.jump(3600_000);
    t.scheduler.wake();
    expect(t.fires).toEqual([]);
  });

  it('the only schedule unplanned while running: nothing fires, the scheduler keeps waking', () => {
    const t = setup('2026-06-01T10:59:50Z');
    const s = t.plan('0 * * * *');
    t.scheduler.start();
    t.scheduler.unplan(s.id);
    t.time.advanceTo('2026-06-01T12:00:00Z');
    expect(t.fires).toEqual([]);
    expect(t.scheduler.isPlanned(s.id)).toBe(false);
    t.plan('30 * * * *');
    t.time.advanceTo('2026-06-01T12:30:00Z');
    expect(t.iso()).toEqual(['2026-06-01T12:30:00Z']);
  });
});

describe('planning', () => {
  it('a disabled schedule given a next fire is not planned; an enabled one without is', () => {
    const t = setup('2026-06-01T10:00:00Z');
    t.scheduler.planAt(sched('off', '0 * * * *', { enabled: false }), at('2026-06-01T11:00:00Z'));
    t.scheduler.plan(sched('off2', '0 * * * *', { enabled: false }));
    t.scheduler.planAt(sched('done', '0 * * * *'), null);
    expect(t.scheduler.isPlanned('off')).toBe(false);
    expect(t.scheduler.isPlanned('off2')).toBe(false);
    expect(t.scheduler.isPlanned('done')).toBe(true);
    expect(t.scheduler.next('off')).toBeNull();
    expect(t.scheduler.next('done')).toBeNull();
    expect(t.scheduler.upcoming(10)).toEqual([]);
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T13:00:00Z');
    expect(t.fires).toEqual([]);
  });

  it('remembers each cron instant (not the delayed one) for a restart', () => {
    const t = setup('2026-06-01T10:00:30Z');
    const s = t.plan('0 * * * *', 'UTC', { delay: 90_000 });
    expect([...t.scheduler.planned()]).toEqual([{ schedule: s, next: at('2026-06-01T10:00:00Z') }]);
    expect(t.scheduler.next(s.id)).toBe(at('2026-06-01T10:01:30Z'));
  });

  it('nextDue and dueFires include the delay', () => {
    const s = sched('s', '0 * * * *', { delay: 90_000 });
    // 10:00:30 is before 10:01:30, the delayed fire of 10:00.
    expect(nextDue(s, at('2026-06-01T10:00:30Z'))).toBe(at('2026-06-01T10:01:30Z'));
    expect(nextDue(sched('u', '0 * * * *'), at('2026-06-01T10:00:30Z'))).toBe(
      at('2026-06-01T11:00:00Z'),
    );
    const fires = dueFires(s, at('2026-06-01T10:00:30Z'), 3, at('2026-06-01T12:01:31Z'));
    expect(fires.map((f) => [iso(f.at), iso(f.due)])).toEqual([
      ['2026-06-01T10:00:00Z', '2026-06-01T10:01:30Z'],
      ['2026-06-01T11:00:00Z', '2026-06-01T11:01:30Z'],
      ['2026-06-01T12:00:00Z', '2026-06-01T12:01:30Z'],
    ]);
    // The horizon is on the delayed fire too: up to 12:01:30 leaves the 12:00 fire out.
    expect(dueFires(s, at('2026-06-01T10:00:30Z'), 3, at('2026-06-01T12:01:30Z'))).toHaveLength(2);
  });

  it('catch-up at start counts a delayed fire from when it would have run', () => {
    const t = setup('2026-06-01T10:05:00Z');
    // Alive until 10:00:30: the 10:00 fire, delayed to 10:01:30, had not run yet.
    t.plan('0 * * * *', 'UTC', { catch_up: true, delay: 90_000, updatedAt: 0 });
    t.scheduler.catchUp(at('2026-06-01T10:00:30Z'));
    expect(t.fires).toEqual([
      { scheduleId: 'sched_0UTC', scheduledFor: at('2026-06-01T10:00:00Z'), trigger: 'catch_up' },
    ]);
    // At 10:01:00 the 10:00 fire is not yet due (10:01:30): the missed one is 09:00's.
    const u = setup('2026-06-01T10:01:00Z');
    u.plan('0 * * * *', 'UTC', { catch_up: true, delay: 90_000, updatedAt: 0 });
    u.scheduler.catchUp(at('2026-06-01T09:00:30Z'));
    expect(u.iso()).toEqual(['2026-06-01T09:00:00Z']);
  });
});

describe('the clock going back exactly 3 h', () => {
  it('is still a correction: fires already run do not run again', () => {
    const t = setup('2026-06-01T09:59:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T12:00:00Z');
    expect(t.iso()).toEqual([
      '2026-06-01T10:00:00Z',
      '2026-06-01T11:00:00Z',
      '2026-06-01T12:00:00Z',
    ]);
    t.time.jump(-BACKWARD_JUMP_REPLAN_MS);
    t.scheduler.wake();
    t.time.advanceTo('2026-06-01T12:30:00Z');
    expect(t.fires).toHaveLength(3);
    expect(t.log.lines).toEqual([]);
  });

  it('more than that re-plans, and says by how much', () => {
    const t = setup('2026-06-01T11:59:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T12:00:00Z');
    t.time.jump(-(4 * 3600_000));
    t.scheduler.wake();
    expect(t.log.lines).toEqual(['warn clock went back 240 min: re-planning']);
    t.time.advanceTo('2026-06-01T09:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T12:00:00Z', '2026-06-01T09:00:00Z']);
  });
});

describe('many schedules', () => {
  it('each fires at its own instant, whatever order they were planned in', () => {
    const t = setup('2026-06-01T00:00:00Z');
    const fired: { id: string; when: number; scheduledFor: number }[] = [];
    const time = t.time;
    const scheduler = new Scheduler({
      clock: time.clock,
      timers: time,
      log: captureLog(),
      onFire: (f) => fired.push({ id: f.scheduleId, when: time.ms, scheduledFor: f.scheduledFor }),
    });
    // 40 daily schedules at distinct minutes, planned in a scrambled order.
    const minutes = Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    for (const m of minutes) scheduler.plan(sched(`m${m}`, `${m} 1 * * *`));
    scheduler.start();
    time.advanceTo('2026-06-01T02:00:00Z');
    expect(fired).toHaveLength(40);
    for (const f of fired) expect(f.when).toBe(f.scheduledFor);
    expect(fired.map((f) => f.id)).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
  });
});
