// Many schedules at once: fires come in time order whatever order they were planned,
// edited or removed in; and catch-up at start counts only fires nobody was there to run.
import { describe, expect, it } from 'vitest';
import { setup } from '../helpers/scheduler';

describe('many schedules', () => {
  // Minutes 1..40 of the hour, planned in a scrambled order.
  const minutes = Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) + 1);

  it('fire in time order, each once, whatever order they were planned in', () => {
    const t = setup('2026-06-01T10:00:30Z');
    for (const m of minutes) t.plan(`${m} * * * *`);
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T10:59:00Z');
    const expected = [...minutes]
      .sort((a, b) => a - b)
      .map((m) => `2026-06-01T10:${String(m).padStart(2, '0')}:00Z`);
    expect(t.iso()).toEqual(expected);
    expect(t.scheduler.upcoming(3).map((u) => new Date(u.at).toISOString())).toEqual([
      '2026-06-01T11:01:00.000Z',
      '2026-06-01T11:02:00.000Z',
      '2026-06-01T11:03:00.000Z',
    ]);
  });

  it('keep their order when some are disabled, edited or removed on the way', () => {
    const t = setup('2026-06-01T10:00:30Z');
    const planned = minutes.map((m) => t.plan(`${m} * * * *`));
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T10:10:30Z');
    for (const s of planned.filter((_, i) => i % 3 === 0)) t.scheduler.unplan(s.id);
    for (const s of planned.filter((_, i) => i % 3 === 1))
      t.scheduler.plan({ ...s, enabled: false });
    t.time.advanceTo('2026-06-01T10:59:00Z');
    const kept = minutes.filter((m, i) => i % 3 === 2 && m > 10).sort((a, b) => a - b);
    const fired = t.iso().filter((x) => x > '2026-06-01T10:10:30Z');
    expect(fired).toEqual(kept.map((m) => `2026-06-01T10:${String(m).padStart(2, '0')}:00Z`));
  });
});

describe('catch-up at start counts only fires nobody ran', () => {
  it('a fire at or before the last moment the app was alive is not missed', () => {
    const t = setup('2026-06-01T12:10:00Z');
    const created = Date.parse('2026-05-01T00:00:00Z');
    t.plan('0 * * * *', 'UTC', { catch_up: true, updatedAt: created });
    t.scheduler.catchUp(Date.parse('2026-06-01T12:00:00Z')); // alive at 12:00 exactly
    expect(t.fires).toEqual([]);
    t.scheduler.catchUp(Date.parse('2026-06-01T11:59:59Z')); // gone a second before
    expect(t.iso()).toEqual(['2026-06-01T12:00:00Z']);
  });

  it('a fire at the instant the schedule was made or edited is not missed', () => {
    const t = setup('2026-06-01T12:10:00Z');
    const at = Date.parse('2026-06-01T12:00:00Z');
    t.plan('0 * * * *', 'UTC', { catch_up: true, updatedAt: at });
    t.scheduler.catchUp(Date.parse('2026-06-01T08:00:00Z'));
    expect(t.fires).toEqual([]);
  });
});

describe('start and stop', () => {
  it('nothing fires before start, nor after stop, even for a schedule planned meanwhile', () => {
    const t = setup('2026-06-01T10:00:30Z');
    t.plan('5 * * * *');
    t.time.advanceTo('2026-06-01T10:30:00Z');
    expect(t.fires).toEqual([]);
    t.scheduler.start();
    t.time.advanceTo('2026-06-01T11:05:00Z');
    expect(t.iso()).toEqual(['2026-06-01T11:05:00Z']);
    t.scheduler.stop();
    t.plan('10 * * * *');
    t.time.advanceTo('2026-06-01T13:00:00Z');
    expect(t.iso()).toEqual(['2026-06-01T11:05:00Z']);
    expect(t.time.pendingCount).toBe(0);
  });
});
