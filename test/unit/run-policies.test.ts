// The pure parts and small rooms of the run policies: the random delay's offset and the
// scheduler's delayed fires, the persisted state under a refusing disk, the notice after the
// last attempt, the decision rules, and the pause arithmetic behind next_run.
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decide, type FireFacts } from '../../src/core/fire-decisions';
import { noticeFor } from '../../src/core/notifications';
import { globalPause, resumesAt, unpausedNext } from '../../src/core/pause';
import { PERSIST_RETRY_MS, PersistedMap } from '../../src/core/persisted-map';
import { PowerWatch } from '../../src/core/power';
import { electronPower } from '../../src/main/power';
import { Scheduler, type Fire } from '../../src/core/scheduler';
import { StorageHealth } from '../../src/core/storage-health';
import { RANDOM_DELAY_MAX, randomDelayOffset } from '../../src/shared/random-delay';
import type { Run } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { finishedRun } from '../helpers/runs';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);

describe('random delay offset', () => {
  it('is within [0, bound), the same every time, and spread across schedules', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `sched_${i.toString(36)}x${i * 7919}`);
    const offsets = ids.map((id) => randomDelayOffset(id, RANDOM_DELAY_MAX));
    expect(offsets.every((o) => Number.isInteger(o) && o >= 0 && o < RANDOM_DELAY_MAX)).toBe(true);
    expect(ids.map((id) => randomDelayOffset(id, RANDOM_DELAY_MAX))).toEqual(offsets);
    // Ten buckets of six minutes: none empty, none with more than twice its share.
    const buckets = new Array(10).fill(0);
    for (const o of offsets) buckets[Math.floor(o / (RANDOM_DELAY_MAX / 10))]++;
    expect(Math.min(...buckets)).toBeGreaterThan(100);
    expect(Math.max(...buckets)).toBeLessThan(400);
    expect(randomDelayOffset('sched_a', 0)).toBe(0);
  });
});

describe('the scheduler with a delay', () => {
  it('fires every cron instant moved by the delay, even a delay longer than the period', () => {
    const time = new FakeTime('2026-06-01T10:00:30Z');
    const fires: Fire[] = [];
    const scheduler = new Scheduler({
      clock: time.clock,
      timers: time,
      log: captureLog(),
      onFire: (f) => fires.push(f),
    });
    const base = {
      cron: '* * * * *',
      timezone: 'UTC',
      enabled: true,
      catch_up: false,
      updatedAt: time.ms,
    };
    scheduler.plan({ ...base, id: 'a', delay: 90_000 });
    scheduler.start();
    // 10:00's fire is due at 10:01:30, still ahead: it is the next one.
    expect(new Date(scheduler.next('a') as number).toISOString()).toBe('2026-06-01T10:01:30.000Z');
    time.advanceTo('2026-06-01T10:05:00Z');
    expect(fires.map((f) => new Date(f.scheduledFor).toISOString().slice(11, 19))).toEqual([
      '10:00:00',
      '10:01:00',
      '10:02:00',
      '10:03:00',
    ]);
    expect(scheduler.upcoming(1)[0]?.at).toBe(Date.parse('2026-06-01T10:05:30Z'));
  });
});

describe('persisted state when the disk refuses', () => {
  it('keeps the state in memory, reports once, and writes it when writing works again', () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    const states: boolean[] = [];
    const health = new StorageHealth(time.clock, log, (s) => states.push(s.ok));
    const folder = join(dir(), 'not-yet');
    const path = join(folder, 'retries.json');
    const map = new PersistedMap({
      path,
      entry: z.object({ n: z.number() }),
      log,
      timers: time,
      health,
    });
    map.set('a', { n: 1 }); // ENOENT: the folder is missing
    map.set('b', { n: 2 });
    expect(map.get('a')).toEqual({ n: 1 });
    expect(health.status()).toMatchObject({
      ok: false,
      problem: { scope: 'pending', code: 'ENOENT', path },
    });
    expect(states).toEqual([false]);
    mkdirSync(folder);
    time.advanceBy(PERSIST_RETRY_MS);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      v: 1,
      entries: { a: { n: 1 }, b: { n: 2 } },
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(health.status().ok).toBe(true);
    const again = new PersistedMap({ path, entry: z.object({ n: z.number() }), log, timers: time });
    again.load();
    expect(again.values()).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('the notice after the last attempt', () => {
  const run = (over: Partial<Run>): Run =>
    finishedRun({
      started_at: '2026-06-01T10:00:00Z',
      finished_at: '2026-06-01T10:00:01Z',
      exit_code: 3,
      duration: 1000,
      stderr: 'boom\n',
      shell: '/bin/sh -c',
      ...over,
    });
  const schedule = {
    name: 'Backup',
    notify: { on_success: false, on_failure: true },
    timeout: 5000,
  };
  it('says how many attempts ran', () => {
    expect(noticeFor(run({}), schedule)?.title).toBe('Backup failed — exit 3');
    expect(noticeFor(run({ attempt: 4 }), schedule)?.title).toBe(
      'Backup failed after 4 attempts — exit 3',
    );
    expect(
      noticeFor(run({ attempt: 2, status: 'timeout', exit_code: null }), schedule)?.title,
    ).toBe('Backup timed out after 5 s (2 attempts)');
  });
});

describe('the decision rules', () => {
  const facts = (over: Partial<FireFacts>): FireFacts => ({
    trigger: 'schedule',
    global: { paused: false },
    own: { paused: false },
    runOnBattery: true,
    onBattery: () => true,
    overlap: 'skip',
    running: null,
    ...over,
  });
  it('pauses first, then battery, then overlap; a manual run ignores pauses and battery', () => {
    const paused = { paused: true, until: null } as const;
    expect(decide(facts({ global: paused, runOnBattery: false }))).toMatchObject({
      outcome: 'not_run',
      reason: 'paused',
    });
    expect(
      decide(facts({ own: { paused: true, until: Date.parse('2026-06-01T11:00:00Z') } })),
    ).toEqual({
      outcome: 'not_run',
      reason: 'schedule_paused',
      message: 'the schedule is paused until 2026-06-01T11:00:00Z',
    });
    expect(decide(facts({ runOnBattery: false, running: 'cmd_x' }))).toMatchObject({
      reason: 'on_battery',
    });
    expect(decide(facts({ running: 'cmd_x' }))).toMatchObject({
      outcome: 'skipped',
      reason: 'overlap',
    });
    expect(decide(facts({ trigger: 'manual', global: paused, runOnBattery: false }))).toEqual({
      outcome: 'run',
    });
    let asked = false;
    decide(facts({ onBattery: () => (asked = true) }));
    expect(asked).toBe(false); // power is read only for schedules that care
  });
});

describe('pause arithmetic', () => {
  const now = Date.parse('2026-06-01T10:00:00Z');
  it('an ended timed pause is no pause; next_run moves past a pause or is null', () => {
    expect(globalPause({ paused: true, paused_until: '2026-06-01T09:00:00Z' }, now)).toEqual({
      paused: false,
    });
    expect(globalPause({ paused: true, paused_until: null }, now)).toEqual({
      paused: true,
      until: null,
    });
    const hourly = (from: number) => (Math.floor(from / 3_600_000) + 1) * 3_600_000;
    const at11 = Date.parse('2026-06-01T11:00:00Z');
    expect(
      unpausedNext(now + 600_000, resumesAt([{ paused: true, until: at11 }], now), hourly),
    ).toBe(at11);
    expect(
      unpausedNext(now + 600_000, resumesAt([{ paused: true, until: null }], now), hourly),
    ).toBeNull();
    expect(unpausedNext(now + 600_000, resumesAt([{ paused: false }], now), hourly)).toBe(
      now + 600_000,
    );
  });
});

describe("the tray app's power source", () => {
  it("reads Electron's powerMonitor and hears on-ac at once, without waiting for the poll", () => {
    const monitor = Object.assign(new EventEmitter(), {
      battery: true,
      isOnBatteryPower() {
        return this.battery;
      },
    });
    const time = new FakeTime('2026-06-01T10:00:00Z');
    let ac = 0;
    const watch = new PowerWatch(electronPower(monitor), time, captureLog(), () => ac++);
    watch.start();
    expect(watch.onBattery()).toBe(true);
    watch.wait(true);
    monitor.battery = false;
    monitor.emit('on-ac');
    expect(ac).toBe(1);
    watch.stop();
    expect(monitor.listenerCount('on-ac')).toBe(0);
  });
});
