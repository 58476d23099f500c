// The scheduler on an injected clock: DST in several zones, calendar edge cases, seconds,
// and wall-clock jumps. Expected instants are written out by hand from the zones' rules.
import { describe, expect, it } from 'vitest';
import { setup } from '../helpers/scheduler';

/** Runs a schedule over [from, to) and returns its fire instants in ISO (UTC). */
function firesBetween(cron: string, timezone: string, from: string, to: string): string[] {
  // Start a second early so that a fire exactly at `from` is inside the window.
  const t = setup(new Date(Date.parse(from) - 1000).toISOString());
  t.plan(cron, timezone);
  t.scheduler.start();
  t.time.advanceTo(Date.parse(to) - 1);
  t.scheduler.stop();
  return t.iso();
}

describe('America/New_York, spring forward (2026-03-08, 02:00 EST -> 03:00 EDT)', () => {
  // Local day Mar 8 runs from 05:00Z (00:00 EST) to 04:00Z Mar 9 (00:00 EDT): 23 hours.
  const day = ['2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'] as const;

  it('30 2 * * * fires once, at 03:30 EDT', () => {
    expect(firesBetween('30 2 * * *', 'America/New_York', ...day)).toEqual([
      '2026-03-08T07:30:00Z',
    ]);
  });

  it('0 * * * * keeps its pace: 23 fires, none at a non-existent 02:00', () => {
    const f = firesBetween('0 * * * *', 'America/New_York', ...day);
    expect(f).toHaveLength(23);
    expect(f.slice(0, 3)).toEqual([
      '2026-03-08T05:00:00Z',
      '2026-03-08T06:00:00Z',
      '2026-03-08T07:00:00Z',
    ]);
    expect(new Set(f).size).toBe(23);
  });

  it('*/20 * * * * fires 69 times, every 20 minutes of real time', () => {
    const f = firesBetween('*/20 * * * *', 'America/New_York', ...day);
    expect(f).toHaveLength(69);
    const gaps = f.slice(1).map((x, i) => Date.parse(x) - Date.parse(f[i] as string));
    expect(new Set(gaps)).toEqual(new Set([20 * 60_000]));
  });
});

describe('America/New_York, fall back (2026-11-01, 02:00 EDT -> 01:00 EST)', () => {
  // Local day Nov 1 runs from 04:00Z (00:00 EDT) to 05:00Z Nov 2 (00:00 EST): 25 hours.
  const day = ['2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'] as const;

  it('30 1 * * * fires once in the repeated hour', () => {
    expect(firesBetween('30 1 * * *', 'America/New_York', ...day)).toEqual([
      '2026-11-01T05:30:00Z',
    ]);
  });

  it('30 2 * * * fires once, at 02:30 EST', () => {
    expect(firesBetween('30 2 * * *', 'America/New_York', ...day)).toEqual([
      '2026-11-01T07:30:00Z',
    ]);
  });

  it('0 * * * * fires at both 01:00s: 25 fires', () => {
    const f = firesBetween('0 * * * *', 'America/New_York', ...day);
    expect(f).toHaveLength(25);
    expect(f).toContain('2026-11-01T05:00:00Z'); // 01:00 EDT
    expect(f).toContain('2026-11-01T06:00:00Z'); // 01:00 EST
  });

  it('*/20 * * * * keeps its pace through the repeated hour: 75 fires', () => {
    const f = firesBetween('*/20 * * * *', 'America/New_York', ...day);
    expect(f).toHaveLength(75);
    const gaps = f.slice(1).map((x, i) => Date.parse(x) - Date.parse(f[i] as string));
    expect(new Set(gaps)).toEqual(new Set([20 * 60_000]));
  });
});

describe('Australia/Lord_Howe: a 30-minute DST shift', () => {
  // 2026-10-04 02:00 LHST (UTC+10:30) -> 02:30 LHDT (UTC+11), i.e. at 2026-10-03T15:30Z.
  it('15 2 * * * in the skipped half hour fires once, at 02:45 LHDT', () => {
    const f = firesBetween(
      '15 2 * * *',
      'Australia/Lord_Howe',
      '2026-10-02T13:00:00Z',
      '2026-10-05T13:00:00Z',
    );
    expect(f).toEqual([
      '2026-10-02T15:45:00Z', // Oct 3 02:15 LHST
      '2026-10-03T15:45:00Z', // Oct 4 02:45 LHDT: once, after the jump
      '2026-10-04T15:15:00Z', // Oct 5 02:15 LHDT
    ]);
  });

  it('0 2 * * * fires at the moment of the jump (02:30 LHDT)', () => {
    const f = firesBetween(
      '0 2 * * *',
      'Australia/Lord_Howe',
      '2026-10-03T13:00:00Z',
      '2026-10-04T13:00:00Z',
    );
    expect(f).toEqual(['2026-10-03T15:30:00Z']);
  });

  it('30 1 * * * fires once when 01:30-02:00 repeats (2027-04-04, 02:00 LHDT -> 01:30 LHST)', () => {
    const f = firesBetween(
      '30 1 * * *',
      'Australia/Lord_Howe',
      '2027-04-03T13:00:00Z',
      '2027-04-04T13:00:00Z',
    );
    expect(f).toEqual(['2027-04-03T14:30:00Z']);
  });

  it('0 12 * * 7 keeps firing across the half-hour change back (2026-04-05, 02:00 LHDT -> 01:30 LHST)', () => {
    // cron-parser gave up here ("loop limit exceeded"): the schedule had no next run after
    // 2026-03-29 and would never have fired again.
    const f = firesBetween(
      '0 12 * * 7',
      'Australia/Lord_Howe',
      '2026-03-28T13:00:00Z',
      '2026-04-13T13:00:00Z',
    );
    expect(f).toEqual([
      '2026-03-29T01:00:00Z', // Sun Mar 29 12:00 LHDT (UTC+11)
      '2026-04-05T01:30:00Z', // Sun Apr 5 12:00 LHST (UTC+10:30), the day of the change
      '2026-04-12T01:30:00Z',
    ]);
  });

  it('0 * * * * fires on every existing local hour of the short day', () => {
    // Oct 4 local day: 13:30Z Oct 3 to 13:00Z Oct 4 = 23.5 h; 02:00 does not exist.
    const f = firesBetween(
      '0 * * * *',
      'Australia/Lord_Howe',
      '2026-10-03T13:30:00Z',
      '2026-10-04T13:00:00Z',
    );
    expect(f).toHaveLength(23);
    expect(f.slice(0, 3)).toEqual([
      '2026-10-03T13:30:00Z',
      '2026-10-03T14:30:00Z',
      '2026-10-03T16:00:00Z',
    ]);
  });
});

describe('other zones and calendars', () => {
  it('Asia/Kolkata (UTC+05:30): 0 9 * * * fires at 03:30Z', () => {
    expect(
      firesBetween('0 9 * * *', 'Asia/Kolkata', '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z'),
    ).toEqual(['2026-06-01T03:30:00Z', '2026-06-02T03:30:00Z']);
  });

  it('leap day: 0 0 29 2 * next fires on 2028-02-29', () => {
    const t = setup('2026-11-29T18:30:00Z');
    const s = t.plan('0 0 29 2 *');
    expect(new Date(t.scheduler.next(s.id) as number).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('day-of-month OR day-of-week: 0 0 1 * 1 fires on the 1st and on Mondays', () => {
    // June 2026: Mon 1 (both), Mon 8, 15, 22, 29; July 1 (a Wednesday).
    expect(
      firesBetween('0 0 1 * 1', 'UTC', '2026-06-01T00:00:00Z', '2026-07-02T00:00:00Z'),
    ).toEqual([
      '2026-06-01T00:00:00Z',
      '2026-06-08T00:00:00Z',
      '2026-06-15T00:00:00Z',
      '2026-06-22T00:00:00Z',
      '2026-06-29T00:00:00Z',
      '2026-07-01T00:00:00Z',
    ]);
  });

  it('6-field expressions fire on seconds', () => {
    expect(
      firesBetween('* * * * * *', 'UTC', '2026-06-01T00:00:00Z', '2026-06-01T00:00:05Z'),
    ).toEqual([
      '2026-06-01T00:00:00Z',
      '2026-06-01T00:00:01Z',
      '2026-06-01T00:00:02Z',
      '2026-06-01T00:00:03Z',
      '2026-06-01T00:00:04Z',
    ]);
    expect(
      firesBetween('*/15 * * * * *', 'UTC', '2026-06-01T00:00:00Z', '2026-06-01T00:01:00Z'),
    ).toHaveLength(4);
  });
});

describe('the plan', () => {
  it('never sleeps longer than 30 s, even when the next fire is a year away', () => {
    const t = setup('2026-06-01T00:00:00Z');
    t.plan('0 0 1 1 *');
    t.scheduler.start();
    t.time.advanceBy(29_999);
    expect(t.time.pendingCount).toBe(1);
    t.time.advanceBy(1);
    expect(t.time.pendingCount).toBe(1); // woke up, looked, re-armed
    expect(t.fires).toHaveLength(0);
  });

  it('a timer that fires early does not fire the schedule early', () => {
    const t = setup('2026-06-01T00:00:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T00:59:59.998Z');
    t.scheduler.wake();
    expect(t.fires).toHaveLength(0);
    t.time.advanceTo('2026-06-01T01:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T01:00:00Z']);
  });

  it('re-plans only on edit: disabling and deleting stop fires, enabling never catches up', () => {
    const t = setup('2026-06-01T00:00:00Z');
    const s = t.plan('*/10 * * * *', 'UTC', { catch_up: true });
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T00:10:00Z');
    expect(t.fires).toHaveLength(1);
    t.scheduler.plan({ ...s, enabled: false });
    t.time.advanceTo('2026-06-01T01:00:00Z');
    expect(t.fires).toHaveLength(1);
    t.scheduler.plan({ ...s, enabled: true, updatedAt: t.time.ms });
    expect(t.fires).toHaveLength(1);
    t.time.advanceTo('2026-06-01T01:10:00Z');
    expect(t.fires).toHaveLength(2);
    t.scheduler.unplan(s.id);
    t.time.advanceTo('2026-06-01T02:00:00Z');
    expect(t.fires).toHaveLength(2);
    expect(t.scheduler.next(s.id)).toBeNull();
  });

  it('an edited expression takes effect from now', () => {
    const t = setup('2026-06-01T00:00:00Z');
    const s = t.plan('0 3 * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T01:00:00Z');
    t.scheduler.plan({ ...s, cron: '30 1 * * *' });
    t.time.advanceTo('2026-06-01T03:30:00Z');
    expect(t.iso()).toEqual(['2026-06-01T01:30:00Z']);
  });

  it('lists upcoming fires soonest first', () => {
    const t = setup('2026-06-01T00:00:00Z');
    t.plan('0 3 * * *');
    t.plan('0 1 * * *');
    t.plan('0 2 * * *', 'UTC', { enabled: false });
    expect(t.scheduler.upcoming(5).map((u) => new Date(u.at).toISOString())).toEqual([
      '2026-06-01T01:00:00.000Z',
      '2026-06-01T03:00:00.000Z',
    ]);
  });
});

describe('wall-clock jumps', () => {
  it('forward 2 h, catch_up off: the missed fires are skipped, the next runs on time', () => {
    const t = setup('2026-06-01T10:30:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceBy(10_000);
    t.time.jump(2 * 3600_000); // 12:30:10, the 11:00 and 12:00 fires never happened
    t.time.advanceBy(30_000);
    expect(t.fires).toEqual([]);
    expect(t.log.lines.some((l) => l.includes('missed its fire'))).toBe(true);
    t.time.advanceTo('2026-06-01T13:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T13:00:00Z']);
    expect(t.fires[0]?.trigger).toBe('schedule');
  });

  it('forward 2 h, catch_up on: one catch-up run for the latest missed instant', () => {
    const t = setup('2026-06-01T10:30:00Z');
    t.plan('0 * * * *', 'UTC', { catch_up: true });
    t.scheduler.start();
    t.time.advanceBy(10_000);
    t.time.jump(2 * 3600_000);
    t.time.advanceBy(30_000);
    expect(t.fires).toEqual([
      {
        scheduleId: expect.any(String),
        scheduledFor: Date.parse('2026-06-01T12:00:00Z'),
        trigger: 'catch_up',
      },
    ]);
    t.time.advanceTo('2026-06-01T13:00:00Z');
    expect(t.fires.map((f) => f.trigger)).toEqual(['catch_up', 'schedule']);
  });

  it('backward 1 h after a fire: the same instant does not run twice', () => {
    const t = setup('2026-06-01T10:59:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T11:00:30Z');
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z']);
    t.time.jump(-3600_000); // 10:00:30 again
    t.time.advanceTo('2026-06-01T11:59:59Z'); // passes 11:00 a second time
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z']);
    t.time.advanceTo('2026-06-01T12:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z', '2026-06-01T12:00:00Z']);
  });

  it('backward by more than 3 h is a new time: the plan starts again from it', () => {
    const t = setup('2026-06-01T10:59:00Z');
    t.plan('0 * * * *');
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T11:00:30Z');
    t.time.jump(-5 * 3600_000); // 06:00:30
    t.time.advanceTo('2026-06-01T07:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T11:00:00Z', '2026-06-01T07:00:00Z']);
  });

  it('wake() after a resume notices the missed fire at once', () => {
    const t = setup('2026-06-01T10:30:00Z');
    t.plan('0 * * * *', 'UTC', { catch_up: true });
    t.scheduler.start();
    t.time.jump(4 * 3600_000);
    t.scheduler.wake();
    expect(t.fires.map((f) => [f.trigger, new Date(f.scheduledFor).toISOString()])).toEqual([
      ['catch_up', '2026-06-01T14:00:00.000Z'],
    ]);
  });
});

// README, "Catch-up after the app was off": "each `catch_up` schedule that missed fires runs
// once at start; never on create, edit or enable" (enable: 'the plan' above).
describe('catch-up at start', () => {
  it('runs each catch_up schedule that missed a fire once, and no others', () => {
    const t = setup('2026-06-01T12:00:00Z');
    const lastAlive = Date.parse('2026-06-01T08:10:00Z');
    const planned = Date.parse('2026-05-01T00:00:00Z');
    const hourly = t.plan('0 * * * *', 'UTC', { catch_up: true, updatedAt: planned });
    t.plan('30 * * * *', 'UTC', { catch_up: false, updatedAt: planned });
    t.plan('0 0 1 1 *', 'UTC', { catch_up: true, updatedAt: planned }); // nothing missed
    t.scheduler.catchUp(lastAlive);
    expect(t.fires).toEqual([
      {
        scheduleId: hourly.id,
        scheduledFor: Date.parse('2026-06-01T12:00:00Z'),
        trigger: 'catch_up',
      },
    ]);
  });

  it('does not catch up fires from before the schedule was created or edited', () => {
    const t = setup('2026-06-01T12:00:00Z');
    t.plan('0 9 * * *', 'UTC', { catch_up: true, updatedAt: Date.parse('2026-06-01T11:00:00Z') });
    t.scheduler.catchUp(Date.parse('2026-06-01T08:00:00Z'));
    expect(t.fires).toEqual([]);
  });
});
