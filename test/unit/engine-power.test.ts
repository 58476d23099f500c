// Battery or AC (src/core/power.ts): systemd's rule read from a fake power_supply tree in a
// temp dir, and the watch that tells when AC is back, on FakeTime.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POWER_POLL_MS, PowerWatch, readPowerSupply, sysfsPower } from '../../src/core/power';
import { FakeTime } from '../helpers/fake-time';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);

function supply(root: string, name: string, files: Record<string, string>) {
  mkdirSync(join(root, name), { recursive: true });
  for (const [file, text] of Object.entries(files))
    writeFileSync(join(root, name, file), `${text}\n`);
}

describe('reading the power supply', () => {
  it('no tree, or an empty one, is AC', () => {
    expect(readPowerSupply(join(dir(), 'none'))).toBe(false);
    expect(readPowerSupply(dir())).toBe(false);
  });

  it('an online AC supply is AC, whatever the battery does', () => {
    const root = dir();
    supply(root, 'BAT0', { type: 'Battery', status: 'Discharging' });
    supply(root, 'AC', { type: 'Mains', online: '1' });
    expect(readPowerSupply(root)).toBe(false);
  });

  it('every AC supply offline is battery, even with no battery listed', () => {
    const root = dir();
    supply(root, 'AC', { type: 'Mains', online: '0' });
    supply(root, 'USB', { type: 'USB' });
    expect(readPowerSupply(root)).toBe(true);
    expect(sysfsPower(root).onBattery()).toBe(true);
  });

  it('without an AC supply, a discharging system battery is battery; a charging one is not', () => {
    const root = dir();
    supply(root, 'BAT0', { type: 'Battery', status: 'Charging' });
    expect(readPowerSupply(root)).toBe(false);
    supply(root, 'BAT1', { type: 'Battery', status: 'Discharging' });
    expect(readPowerSupply(root)).toBe(true);
  });

  it("a device's battery and an entry without a type do not count", () => {
    const root = dir();
    supply(root, 'mouse', { type: 'Battery', status: 'Discharging', scope: 'Device' });
    supply(root, 'hid', { type: 'Mains', online: '0', scope: 'Device' });
    supply(root, 'odd', { online: '0' });
    expect(readPowerSupply(root)).toBe(false);
  });
});

describe('the power watch', () => {
  function setup(battery: { on: boolean } | (() => boolean)) {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    let ac = 0;
    const onBattery = typeof battery === 'function' ? battery : () => battery.on;
    const watch = new PowerWatch({ onBattery }, time, log, () => ac++);
    return { time, log, watch, ac: () => ac };
  }

  it('polls only while something waits, and tells when AC is back', () => {
    const power = { on: true };
    const { time, watch, ac } = setup(power);
    watch.start();
    expect(time.pendingCount).toBe(0);
    watch.wait(true);
    watch.wait(true);
    expect(time.pendingCount).toBe(1);
    time.advanceBy(POWER_POLL_MS * 3);
    expect(ac()).toBe(0);
    power.on = false;
    time.advanceBy(POWER_POLL_MS - 1);
    expect(ac()).toBe(0);
    time.advanceBy(1);
    expect(ac()).toBe(1);
    watch.wait(false);
    expect(time.pendingCount).toBe(0);
    time.advanceBy(POWER_POLL_MS * 3);
    expect(ac()).toBe(1);
  });

  it('a check looks now, but only while something waits', () => {
    const power = { on: false };
    const { watch, ac } = setup(power);
    watch.check();
    expect(ac()).toBe(0);
    watch.wait(true);
    watch.check();
    expect(ac()).toBe(1);
    watch.stop();
    watch.check();
    expect(ac()).toBe(1);
  });

  it('a listener told of AC that stops waiting ends the polling; one that waits again keeps one poll', () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const done = new PowerWatch({ onBattery: () => false }, time, captureLog(), () =>
      done.wait(false),
    );
    done.wait(true);
    time.advanceBy(POWER_POLL_MS);
    expect(time.pendingCount).toBe(0);
    let told = 0;
    const again = new PowerWatch({ onBattery: () => false }, time, captureLog(), () => {
      told++;
      again.wait(true);
    });
    again.wait(true);
    time.advanceBy(POWER_POLL_MS);
    expect(told).toBe(1);
    expect(time.pendingCount).toBe(1);
  });

  it('stop ends the polling', () => {
    const { time, watch } = setup({ on: true });
    watch.wait(true);
    watch.stop();
    expect(time.pendingCount).toBe(0);
  });

  it('a power source that fails is AC, with a warning', () => {
    const { watch, log } = setup(() => {
      throw new Error('no sysfs');
    });
    expect(watch.onBattery()).toBe(false);
    expect(log.lines).toEqual(['warn power state unknown (no sysfs); taken as AC']);
  });

  it('hears a source that reports changes, until stopped', () => {
    const listeners = new Set<() => void>();
    const time = new FakeTime('2026-06-01T10:00:00Z');
    let battery = true;
    let ac = 0;
    const watch = new PowerWatch(
      {
        onBattery: () => battery,
        subscribe: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      },
      time,
      captureLog(),
      () => ac++,
    );
    watch.start();
    watch.wait(true);
    battery = false;
    for (const l of listeners) l();
    expect(ac).toBe(1);
    watch.stop();
    expect(listeners.size).toBe(0);
  });
});
