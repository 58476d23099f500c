// @ts-nocheck
// 
// A Scheduler on FakeTime that records its fires, for the scheduler's unit tests.
import { Scheduler, type Fire, type Plannable } from '../../src/core/scheduler';
import { FakeTime } from './fake-time';
import { captureLog } from './server';

export function setup(startIso: string) {
  const time = new FakeTime(startIso);
  const fires: Fire[] = [];
  const log = captureLog();
  const scheduler = new Scheduler({
    clock: time.clock,
    timers: time,
    log,
    onFire: (f) => fires.push(f),
  });
  const plan = (cron: string, timezone = 'UTC', extra: Partial<Plannable> = {}) => {
    const s: Plannable = {
      id: `sched_${cron.replace(/\W/g, '')}${timezone.replace(/\W/g, '')}`,
      cron,
      timezone,
      enabled: true,
      catch_up: false,
      updatedAt: time.ms,
      ...extra,
    };
    scheduler.plan(s);
    return s;
  };
  const iso = () => fires.map((f) => new Date(f.scheduledFor).toISOString().replace('.000', ''));
  return { time, fires, scheduler, plan, iso, log };
}
