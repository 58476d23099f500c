// The README's numbers for firing late, written against the documented values (README,
// "How schedules run", "Sleep and clock changes"), not the source's constants:
// "the scheduler looks at the wall clock at least every 30 s. A fire noticed more than a
// minute late was missed: schedules with `catch_up` run once (trigger `catch_up`), others
// wait for their next fire. The clock going back less than 3 h never repeats a fire."
import { describe, expect, it } from 'vitest';
import { setup } from '../helpers/scheduler';

/** The 11:00 fire of an hourly schedule, noticed `lateMs` after its instant. */
function lateBy(lateMs: number, catchUp: boolean) {
  const t = setup('2026-06-01T10:59:50Z');
  t.plan('0 * * * *', 'UTC', { catch_up: catchUp });
  t.scheduler.start();
  // The timer waits 10 s for 11:00:00; meanwhile the wall clock steps ahead (a suspend),
  // so it rings `lateMs` after the instant.
  t.time.jump(lateMs);
  t.time.advanceBy(10_000);
  return t;
}

describe('a fire noticed late', () => {
  it.each([1000, 30_000, 59_000, 60_000])('%i ms late still runs, as a scheduled run', (ms) => {
    const t = lateBy(ms, false);
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z']);
    expect(t.fires[0]?.trigger).toBe('schedule');
  });

  it.each([61_000, 30 * 60_000])(
    '%i ms late was missed: without catch_up it does not run',
    (ms) => {
      const t = lateBy(ms, false);
      expect(t.fires).toEqual([]);
      t.time.advanceTo('2026-06-01T12:00:00Z');
      expect(t.iso()).toEqual(['2026-06-01T12:00:00Z']); // the next fire runs on time
    },
  );

  it('61 s late with catch_up: runs once, as a catch-up', () => {
    const t = lateBy(61_000, true);
    expect(t.fires.map((f) => f.trigger)).toEqual(['catch_up']);
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z']);
  });
});

describe('the wall clock is looked at every 30 s', () => {
  it('a step forward while waiting for a far fire is seen within 30 s', () => {
    const t = setup('2026-06-01T10:00:00Z');
    t.plan('0 0 1 1 *', 'UTC', { catch_up: true }); // next: 2027-01-01
    t.scheduler.start();
    t.time.jump(365 * 24 * 3600_000); // past the fire, without a timer ringing
    t.time.advanceBy(29_999);
    expect(t.fires).toEqual([]);
    t.time.advanceBy(1);
    expect(t.fires.map((f) => f.trigger)).toEqual(['catch_up']);
  });
});

describe('the clock going back', () => {
  function backBy(ms: number) {
    const t = setup('2026-06-01T10:59:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T11:00:30Z');
    t.time.jump(-ms);
    // Long enough to pass 11:00 again whatever the step; 13:00 not reached.
    t.time.advanceTo('2026-06-01T11:00:31Z');
    return t;
  }

  it('by less than 3 h never repeats a fire', () => {
    const t = backBy(3 * 3600_000 - 60_000); // 08:01:30: 11:00 comes round again
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z']);
    t.time.advanceTo('2026-06-01T12:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z', '2026-06-01T12:00:00Z']);
  });

  it('by more than 3 h is a new time: the plan starts again from it, 11:00 fires again', () => {
    const t = backBy(3 * 3600_000 + 30 * 60_000); // 07:30:30
    expect(t.iso()).toEqual([
      '2026-06-01T11:00:00Z',
      '2026-06-01T08:00:00Z',
      '2026-06-01T09:00:00Z',
      '2026-06-01T10:00:00Z',
      '2026-06-01T11:00:00Z',
    ]);
  });
});
