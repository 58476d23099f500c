// Fires held by a pause or battery power (src/core/held-fires.ts), in held.json in a temp
// dir: what is written, what a restart finds, what each release gives back.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HELD_FILE, HeldFires } from '../../src/core/held-fires';
import { FakeTime } from '../helpers/fake-time';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const open = (d: string) => {
  const held = new HeldFires({
    dataDir: d,
    log: captureLog(),
    timers: new FakeTime('2026-06-01T10:00:00Z'),
  });
  held.load();
  return held;
};
const file = (d: string) => JSON.parse(readFileSync(join(d, HELD_FILE), 'utf8')).entries;

describe('held fires', () => {
  it('writes the first miss; later misses of the same hold move the instant in memory only', () => {
    const d = dir();
    const held = open(d);
    expect(existsSync(join(d, HELD_FILE))).toBe(false);
    held.hold({ schedule_id: 'sched_a', by: 'pause', scheduled_for: 1000 });
    expect(file(d)).toEqual({
      sched_a: { schedule_id: 'sched_a', by: 'pause', scheduled_for: 1000 },
    });
    held.hold({ schedule_id: 'sched_a', by: 'pause', scheduled_for: 2000 });
    expect(held.peek('sched_a')?.scheduled_for).toBe(2000);
    expect(file(d).sched_a.scheduled_for).toBe(1000);
    // Held by something else now: written at once.
    held.hold({ schedule_id: 'sched_a', by: 'battery', scheduled_for: 3000 });
    expect(file(d).sched_a).toEqual({ schedule_id: 'sched_a', by: 'battery', scheduled_for: 3000 });
    expect(open(d).peek('sched_a')?.scheduled_for).toBe(3000);
  });

  it('releases by what held them, or all; a released fire is gone from the file', () => {
    const d = dir();
    const held = open(d);
    held.hold({ schedule_id: 'sched_a', by: 'pause', scheduled_for: 1 });
    held.hold({ schedule_id: 'sched_b', by: 'battery', scheduled_for: 2 });
    held.hold({ schedule_id: 'sched_c', by: 'pause', scheduled_for: 3 });
    expect(held.has('pause')).toBe(true);
    expect(held.has('battery')).toBe(true);
    expect(held.release('pause').map((h) => h.schedule_id)).toEqual(['sched_a', 'sched_c']);
    expect(held.has('pause')).toBe(false);
    expect(Object.keys(file(d))).toEqual(['sched_b']);
    expect(open(d).peek('sched_b')).toEqual({
      schedule_id: 'sched_b',
      by: 'battery',
      scheduled_for: 2,
    });
    held.hold({ schedule_id: 'sched_d', by: 'pause', scheduled_for: 4 });
    expect(held.release().map((h) => h.schedule_id)).toEqual(['sched_b', 'sched_d']);
    expect(file(d)).toEqual({});
    expect(held.has('battery')).toBe(false);
  });

  it('close writes what a refused write left in memory', () => {
    const d = join(dir(), 'later');
    const log = captureLog();
    const held = new HeldFires({ dataDir: d, log, timers: new FakeTime('2026-06-01T10:00:00Z') });
    held.load();
    held.hold({ schedule_id: 'sched_a', by: 'pause', scheduled_for: 1 });
    expect(existsSync(join(d, HELD_FILE))).toBe(false);
    mkdirSync(d);
    held.close();
    expect(file(d)).toEqual({ sched_a: { schedule_id: 'sched_a', by: 'pause', scheduled_for: 1 } });
  });

  it("takes one schedule's fire", () => {
    const d = dir();
    const held = open(d);
    held.hold({ schedule_id: 'sched_a', by: 'pause', scheduled_for: 1 });
    expect(held.take('sched_b')).toBeUndefined();
    expect(held.take('sched_a')).toEqual({ schedule_id: 'sched_a', by: 'pause', scheduled_for: 1 });
    expect(held.peek('sched_a')).toBeUndefined();
    expect(file(d)).toEqual({});
  });
});
