// The fires that never reached a verdict: missed while the app was off, asleep or past a
// clock jump, and those that fell in a spell when the schedule was disabled.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decisionsRig, HOUR, iso, MIN, T0, verdict } from '../helpers/decisions-rig';

const rig = decisionsRig(beforeEach, afterEach);
const { schedule, recorder, file, fileLines } = rig;

describe('missed fires', () => {
  it('at start: the fires of the time the app was off, per enabled schedule', () => {
    schedule('sched_a', { catch_up: true });
    schedule('sched_off', { enabled: false, updated_at: '2026-05-01T00:00:00Z' });
    schedule('sched_none', { cron: '0 0 1 1 *' });
    const r = recorder();
    r.started(T0 - 3 * HOUR - 5 * MIN, [...rig.schedules.values()]);
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'missed',
        reason: 'app_stopped',
        ran: false,
        scheduled_for: '2026-06-01T07:00:00Z',
        last_scheduled_for: '2026-06-01T10:00:00Z',
        count: 19,
        span_from: '2026-06-01T06:55:00Z',
        span_to: '2026-06-01T10:00:00Z',
        catch_up: true,
        message: 'the app was not running; catch-up is on',
      }),
    ]);
    expect(r.store.entries('sched_off')).toEqual([]);
    expect(r.store.entries('sched_none')).toEqual([]);
    expect(r.disabledSince('sched_off')).toBe(Date.parse('2026-05-01T00:00:00Z'));
    expect(r.disabledSince('sched_a')).toBeNull();
  });

  it('at a first start (never alive before): nothing missed', () => {
    schedule('sched_a');
    const r = recorder();
    r.started(null, [...rig.schedules.values()]);
    expect(r.store.entries('sched_a')).toEqual([]);
  });

  it('at start: a schedule that cannot be planned is logged and skipped', () => {
    schedule('sched_bad', { cron: 'not a cron' });
    schedule('sched_a');
    const r = recorder();
    r.started(T0 - HOUR, [...rig.schedules.values()]);
    expect(rig.lines.map((l) => l.message)).toEqual([
      expect.stringMatching(/^decisions of sched_bad at start: /),
    ]);
    expect(r.store.entries('sched_a')).toHaveLength(1);
  });

  it('at start: last alive just after the last fire misses nothing', () => {
    schedule('sched_a');
    const r = recorder();
    r.started(T0 - 5 * MIN, [...rig.schedules.values()]);
    expect(r.store.entries('sched_a')).toHaveLength(1);
    const r2 = recorder();
    rig.now = T0 + 5 * MIN;
    r2.store.remove('sched_a');
    r2.started(T0 + MIN, [...rig.schedules.values()]);
    expect(r2.store.entries('sched_a')).toEqual([]);
  });

  it('while asleep: the suspend span, within two minutes of waking', () => {
    schedule('sched_a');
    const r = recorder();
    r.suspending();
    rig.now = T0 + 3 * HOUR;
    r.resumed();
    rig.now += 2 * MIN;
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 10 * MIN,
      last: T0 + 3 * HOUR,
      since: T0 + MIN,
      now: rig.now,
    });
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'missed',
        reason: 'asleep',
        count: 18,
        span_from: iso(T0),
        span_to: iso(T0 + 3 * HOUR),
        message: 'the machine was asleep; catch-up is off',
      }),
    ]);
  });

  it('a clock jump when not just woken', () => {
    schedule('sched_a');
    const r = recorder();
    r.suspending();
    rig.now = T0 + HOUR;
    r.resumed();
    rig.now += 2 * MIN + 1;
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 10 * MIN,
      last: T0 + HOUR,
      since: T0,
      now: rig.now,
    });
    r.missed({ scheduleId: 'sched_gone', first: T0, last: T0, since: T0, now: rig.now });
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        reason: 'clock_jump',
        span_from: iso(T0),
        span_to: '2026-06-01T11:02:00Z',
        message: 'the clock jumped forward; catch-up is off',
      }),
    ]);
  });

  it('woken without a known suspend: the span starts when the scheduler last looked', () => {
    schedule('sched_a');
    const r = recorder();
    rig.now = T0 + HOUR;
    r.resumed();
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 10 * MIN,
      last: T0 + HOUR,
      since: T0,
      now: rig.now,
    });
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 70 * MIN,
      last: T0 + 70 * MIN,
      since: null,
      now: rig.now,
    });
    expect(r.store.entries('sched_a').map((d) => [d.reason, d.span_from, d.span_to])).toEqual([
      ['asleep', iso(T0), iso(T0 + HOUR)],
      ['asleep', null, iso(T0 + HOUR)],
    ]);
  });

  it('leaves out the fires before the start, recorded at start already', () => {
    schedule('sched_a');
    const r = recorder();
    r.started(null, [...rig.schedules.values()]);
    r.missed({ scheduleId: 'sched_a', first: T0 - HOUR, last: T0, since: null, now: rig.now });
    expect(r.store.entries('sched_a')).toEqual([]);
    rig.now = T0 + HOUR;
    r.missed({
      scheduleId: 'sched_a',
      first: T0 - HOUR,
      last: T0 + 30 * MIN,
      since: T0,
      now: rig.now,
    });
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        scheduled_for: iso(T0 + 10 * MIN),
        last_scheduled_for: iso(T0 + 30 * MIN),
        count: 3,
      }),
    ]);
  });

  it('a later missed span of the same kind and start grows the entry', () => {
    schedule('sched_a');
    const r = recorder();
    rig.now = T0 + HOUR;
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 10 * MIN,
      last: T0 + 20 * MIN,
      since: T0,
      now: rig.now,
    });
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 30 * MIN,
      last: T0 + 40 * MIN,
      since: T0,
      now: rig.now,
    });
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 50 * MIN,
      last: T0 + 50 * MIN,
      since: T0 + 45 * MIN,
      now: rig.now,
    });
    expect(r.store.entries('sched_a').map((d) => [d.count, d.last_scheduled_for])).toEqual([
      [4, iso(T0 + 40 * MIN)],
      [1, iso(T0 + 50 * MIN)],
    ]);
  });
});

describe('a disabled spell', () => {
  it('is one entry when the schedule is enabled again', () => {
    const s = schedule('sched_a');
    const r = recorder();
    r.scheduleChanged({ ...s, enabled: false });
    expect(r.disabledSince('sched_a')).toBe(T0);
    rig.now = T0 + 30 * MIN;
    r.scheduleChanged({ ...s, enabled: false }); // still disabled: since stays
    expect(r.disabledSince('sched_a')).toBe(T0);
    rig.now = T0 + HOUR + MIN;
    r.scheduleChanged(s);
    expect(r.disabledSince('sched_a')).toBeNull();
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'skipped_disabled',
        ran: false,
        scheduled_for: iso(T0 + 10 * MIN),
        last_scheduled_for: iso(T0 + HOUR),
        count: 6,
        span_from: iso(T0),
        span_to: iso(T0 + HOUR + MIN),
        message: 'the schedule was disabled',
      }),
    ]);
    // Enabled and written again: nothing more.
    r.scheduleChanged(s);
    expect(r.store.entries('sched_a')).toHaveLength(1);
  });

  it('records nothing when no fire fell in it', () => {
    const s = schedule('sched_a');
    const r = recorder();
    r.scheduleChanged({ ...s, enabled: false });
    rig.now = T0 + 5 * MIN;
    r.scheduleChanged(s);
    expect(r.store.entries('sched_a')).toEqual([]);
  });

  it('is forgotten, with the log, when the schedule is deleted', () => {
    const s = schedule('sched_a');
    const r = recorder();
    r.record(verdict());
    r.scheduleChanged({ ...s, enabled: false });
    r.scheduleDeleted('sched_a');
    expect(r.disabledSince('sched_a')).toBeNull();
    expect(existsSync(file('sched_a'))).toBe(false);
    r.close();
  });

  it('close writes a growing span', () => {
    schedule('sched_a');
    const r = recorder();
    const paused = (at: number) =>
      verdict({ scheduled_for: iso(at), outcome: 'not_run', reason: 'paused' });
    r.record(paused(T0));
    r.record(paused(T0 + 10 * MIN));
    r.close();
    expect(fileLines('sched_a').map((d) => d.count)).toEqual([1, 2]);
  });
});
