// The capped alarm (src/core/timers.ts) every watcher uses, and the event bus
// (src/core/events.ts) its subscribers hang on.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events';
import { Alarm, realTimers } from '../../src/core/timers';
import type { ApiEvent } from '../../src/shared/events';
import { FakeTime } from '../helpers/fake-time';

describe('the alarm', () => {
  const setup = (cap = 30_000) => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const rings: number[] = [];
    const alarm = new Alarm(time, time.clock, cap, () => rings.push(time.ms));
    return { time, rings, alarm, t0: time.ms };
  };

  it('rings at the instant it was set for', () => {
    const { time, rings, alarm, t0 } = setup();
    alarm.set(t0 + 10_000);
    time.advanceBy(9_999);
    expect(rings).toEqual([]);
    time.advanceBy(1);
    expect(rings).toEqual([t0 + 10_000]);
    time.advanceBy(60_000);
    expect(rings).toEqual([t0 + 10_000]);
  });

  it('rings at the cap when the instant is further away', () => {
    const { time, rings, alarm, t0 } = setup(30_000);
    alarm.set(t0 + 3_600_000);
    time.advanceBy(30_000);
    expect(rings).toEqual([t0 + 30_000]);
  });

  it('an instant already past rings at once', () => {
    const { time, rings, alarm, t0 } = setup();
    alarm.set(t0 - 5_000);
    time.advanceBy(0);
    expect(rings).toEqual([t0]);
  });

  it('setting again replaces the earlier instant; null and clear leave it off', () => {
    const { time, rings, alarm, t0 } = setup();
    alarm.set(t0 + 5_000);
    alarm.set(t0 + 20_000);
    expect(time.pendingCount).toBe(1);
    time.advanceBy(20_000);
    expect(rings).toEqual([t0 + 20_000]);
    alarm.set(time.ms + 1_000);
    alarm.set(null);
    expect(time.pendingCount).toBe(0);
    alarm.set(time.ms + 1_000);
    alarm.clear();
    expect(time.pendingCount).toBe(0);
    time.advanceBy(60_000);
    expect(rings).toEqual([t0 + 20_000]);
  });

  it('a clear after it rang does not cancel a timer it no longer owns', () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const cleared: unknown[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => time.setTimeout(fn, ms),
      clearTimeout: (h: unknown) => {
        cleared.push(h);
        time.clearTimeout(h);
      },
    };
    const alarm = new Alarm(timers, time.clock, 30_000, () => {});
    alarm.set(time.ms + 1_000);
    time.advanceBy(1_000);
    alarm.clear();
    expect(cleared).toEqual([]);
  });

  it('the real timers run and cancel', async () => {
    let ran = 0;
    const cancelled = realTimers.setTimeout(() => ran++, 1);
    realTimers.clearTimeout(cancelled);
    await new Promise<void>((resolve) => realTimers.setTimeout(resolve, 5));
    expect(ran).toBe(0);
  });
});

describe('the event bus', () => {
  const event = { type: 'schedule.deleted', id: 'sched_a' } as unknown as ApiEvent;

  it('delivers to every subscriber until it unsubscribes; a throwing one does not stop the rest', () => {
    const bus = new EventBus();
    const a: ApiEvent[] = [];
    const b: ApiEvent[] = [];
    bus.subscribe(() => {
      throw new Error('closed stream');
    });
    const offA = bus.subscribe((e) => a.push(e));
    bus.subscribe((e) => b.push(e));
    bus.emit(event);
    offA();
    bus.emit(event);
    expect(a).toEqual([event]);
    expect(b).toEqual([event, event]);
  });
});
