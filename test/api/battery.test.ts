// run_on_battery with a fake /sys/class/power_supply tree under a configurable root: a fire
// on battery is recorded as skipped with the reason, a catch_up schedule runs once when AC
// returns, and what counts as "on battery" follows systemd's rule.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPowerSupply } from '../../src/core/power';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, sleep, type PolicyServer } from '../helpers/policies';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
let open: PolicyServer | null = null;
afterEach(async () => {
  await open?.stop();
  open = null;
});

/** A power_supply tree: each entry's files, as the kernel lays them out. */
function supplyTree(root: string, supplies: Record<string, Record<string, string>>) {
  rmSync(root, { recursive: true, force: true });
  for (const [name, files] of Object.entries(supplies)) {
    mkdirSync(join(root, name), { recursive: true });
    for (const [file, value] of Object.entries(files))
      writeFileSync(join(root, name, file), `${value}\n`);
  }
}

const laptop = (online: '0' | '1') => ({
  AC: { type: 'Mains', online },
  BAT0: { type: 'Battery', status: online === '1' ? 'Charging' : 'Discharging', capacity: '57' },
});

describe('run_on_battery: false', () => {
  it('skips a fire on battery with the reason; catch_up runs once when AC returns', async () => {
    const root = join(dir(), 'power_supply');
    supplyTree(root, laptop('0'));
    const time = new FakeTime('2026-06-01T10:00:00Z');
    open = await policyServer({ time, dataDir: dir(), powerSupplyRoot: root });
    const p = open;
    const body = { command: 'echo ran', cron: '*/10 * * * *' };
    const mains = await p.create({ ...body, run_on_battery: false, catch_up: true });
    const strict = await p.create({ ...body, run_on_battery: false });
    const any = await p.create(body); // run_on_battery defaults to true
    time.advanceTo('2026-06-01T10:10:00Z');
    await p.settled(any.id, 1); // overlap 'skip' would skip 10:20 while 10:10 still ran
    time.advanceTo('2026-06-01T10:20:00Z');
    const skipped = await p.settled(mains.id, 2);
    expect(skipped.map((r) => [r.status, r.scheduled_for])).toEqual([
      ['skipped', '2026-06-01T10:10:00Z'],
      ['skipped', '2026-06-01T10:20:00Z'],
    ]);
    expect(skipped[0]?.stderr).toBe(
      'cmdop-scheduler: skipped: the machine is on battery power and run_on_battery is false\n',
    );
    expect((await p.settled(any.id, 2)).map((r) => r.status)).toEqual(['success', 'success']);
    // Run now is the user's own choice: it runs on battery.
    await p.runNow(strict.id);
    expect((await p.settled(strict.id, 3)).map((r) => r.status)).toEqual([
      'skipped',
      'skipped',
      'success',
    ]);

    supplyTree(root, laptop('1')); // plugged in at 10:21
    time.advanceTo('2026-06-01T10:21:00Z');
    const back = await p.settled(mains.id, 3);
    expect(back[2]).toMatchObject({
      status: 'success',
      trigger: 'catch_up',
      scheduled_for: '2026-06-01T10:20:00Z',
    });
    await sleep(50);
    expect(await p.runs(strict.id)).toHaveLength(3); // no catch_up: nothing when AC returns
    time.advanceTo('2026-06-01T10:30:00Z');
    expect((await p.settled(mains.id, 4))[3]).toMatchObject({
      status: 'success',
      trigger: 'schedule',
    });
  });
});

describe('reading /sys/class/power_supply', () => {
  const root = () => join(dir(), 'ps');
  const cases: [string, Record<string, Record<string, string>>, boolean][] = [
    ['a server: no supplies at all', {}, false],
    ['a laptop on AC', laptop('1'), false],
    ['a laptop on battery', laptop('0'), true],
    [
      'USB-C power online, mains absent',
      { ucsi: { type: 'USB', online: '1' }, BAT0: { type: 'Battery', status: 'Discharging' } },
      false,
    ],
    [
      'no AC supply listed, the battery discharging',
      { BAT0: { type: 'Battery', status: 'Discharging' } },
      true,
    ],
    ['no AC supply listed, the battery full', { BAT0: { type: 'Battery', status: 'Full' } }, false],
    [
      "a wireless mouse's battery does not count",
      { hidpp_battery_0: { type: 'Battery', status: 'Discharging', scope: 'Device' } },
      false,
    ],
  ];
  it.each(cases)('%s', (_name, supplies, onBattery) => {
    const r = root();
    supplyTree(r, supplies);
    expect(readPowerSupply(r)).toBe(onBattery);
  });

  it('a root that does not exist is AC (a container, another OS)', () => {
    expect(readPowerSupply(join(dir(), 'missing'))).toBe(false);
  });
});
