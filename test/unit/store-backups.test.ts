// Backups of the store, straight against the module: a real schedule store in a temp dir,
// a fake clock and timers the test fires by hand. What a user sees: the files in backups/,
// the list (newest first, with what each holds), and a restore that can be undone.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backups, BACKUP_DIR } from '../../src/core/backups';
import type { Logger } from '../../src/core/log';
import { ScheduleRepository } from '../../src/core/schedules';
import type { Timers } from '../../src/core/timers';
import { confStoreFactory } from '../../src/headless/conf-store';
import { ApiError } from '../../src/shared/errors';
import { storedSchedule } from '../helpers/stored-schedule';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dir: string;
let now: number;
let lines: { level: string; message: string }[];
let pending: { fn: () => void; ms: number; handle: { unref?: () => void; unrefed: boolean } }[];
let repo: ScheduleRepository;

const log: Logger = {
  info: (message) => void lines.push({ level: 'info', message }),
  warn: (message) => void lines.push({ level: 'warn', message }),
  error: (message) => void lines.push({ level: 'error', message }),
};

const timers: Timers = {
  setTimeout(fn, ms) {
    const handle = {
      unrefed: false,
      unref() {
        handle.unrefed = true;
      },
    };
    pending.push({ fn, ms, handle });
    return handle;
  },
  clearTimeout(handle) {
    pending = pending.filter((p) => p.handle !== handle);
  },
};

/** Fires the timers due now (the ones set while firing wait for the next call). */
function fire(): void {
  const due = pending;
  pending = [];
  for (const p of due) p.fn();
}

const schedule = storedSchedule;

function backups(overrides: { copyTo?: (path: string) => void; timers?: Timers } = {}) {
  return new Backups({
    dataDir: dir,
    copyTo: overrides.copyTo ?? ((path) => repo.copyTo(path)),
    clock: { now: () => now },
    timers: overrides.timers ?? timers,
    log,
    apply: (schedules, settings) => repo.replaceAll(schedules, settings),
  });
}

const folder = () => join(dir, BACKUP_DIR);
const files = () => readdirSync(folder()).sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-backups-'));
  now = T0;
  lines = [];
  pending = [];
  repo = ScheduleRepository.open(confStoreFactory, dir, { now: () => now }, log);
});

afterEach(() => {
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the daily copy', () => {
  it('is made at start and looked for again every hour, once a day', () => {
    repo.put(schedule('sched_a'));
    const b = backups();
    b.start();
    expect(files()).toEqual(['config-20260301T080000Z-daily.json']);
    const copy = JSON.parse(readFileSync(join(folder(), files()[0]!), 'utf8'));
    expect(Object.keys(copy.schedules)).toEqual(['sched_a']);
    expect(pending.map((p) => p.ms)).toEqual([HOUR]);

    // Not yet a day after the last copy: the hourly look adds nothing and looks again.
    now = T0 + DAY - 1;
    fire();
    expect(files()).toHaveLength(1);
    expect(pending.map((p) => p.ms)).toEqual([HOUR]);

    now = T0 + DAY;
    fire();
    expect(files()).toEqual([
      'config-20260301T080000Z-daily.json',
      'config-20260302T080000Z-daily.json',
    ]);
    b.stop();
  });

  it('is not made again by a restart within the day', () => {
    backups().start();
    now = T0 + 5 * HOUR;
    backups().start();
    expect(files()).toEqual(['config-20260301T080000Z-daily.json']);
  });

  it('is not kept from being due by a manual copy made since', async () => {
    const b = backups();
    b.start();
    now = T0 + DAY - HOUR;
    await b.createBackup();
    now = T0 + DAY;
    fire();
    expect(files()).toContain('config-20260302T080000Z-daily.json');
  });

  it('keeps the seven newest daily copies and leaves manual ones alone', async () => {
    const b = backups();
    await b.createBackup();
    for (let day = 0; day < 9; day++) {
      b.start();
      b.stop();
      now += DAY;
    }
    const list = await b.listBackups();
    expect(list.filter((x) => x.kind === 'daily').map((x) => x.created_at)).toEqual(
      [9, 8, 7, 6, 5, 4, 3].map((d) => `2026-03-0${d}T08:00:00Z`),
    );
    expect(list.filter((x) => x.kind === 'manual').map((x) => x.id)).toEqual([
      'config-20260301T080000Z-manual.json',
    ]);
  });

  it('does not keep the process alive, and stops looking when stopped', () => {
    const b = backups();
    b.start();
    expect(pending.map((p) => p.handle.unrefed)).toEqual([true]);
    fire();
    expect(pending.map((p) => p.handle.unrefed)).toEqual([true]);
    b.stop();
    expect(pending).toEqual([]);
    b.stop(); // twice is harmless
    expect(pending).toEqual([]);
  });

  it('works with timers whose handles are not objects', () => {
    const bare: Timers = {
      setTimeout: (fn, ms) => {
        pending.push({ fn, ms, handle: { unrefed: false } });
        return null;
      },
      clearTimeout: () => {},
    };
    const b = backups({ timers: bare });
    expect(() => b.start()).not.toThrow();
    expect(() => fire()).not.toThrow();
    b.stop();
  });

  it('works with timer handles that cannot be unref-ed', () => {
    const plain: Timers = {
      setTimeout: (fn, ms) => {
        const handle = { unrefed: false };
        pending.push({ fn, ms, handle });
        return handle;
      },
      clearTimeout: timers.clearTimeout,
    };
    const b = backups({ timers: plain });
    expect(() => b.start()).not.toThrow();
    expect(() => fire()).not.toThrow();
    b.stop();
    expect(pending).toEqual([]);
  });

  it('logs a failed copy and tries again at the next hourly look', () => {
    let fail = true;
    const b = backups({
      copyTo: (path) => {
        if (fail) throw new Error('no space left on the device');
        repo.copyTo(path);
      },
    });
    expect(() => b.start()).not.toThrow();
    expect(lines).toEqual([
      { level: 'error', message: 'daily backup of the store failed: no space left on the device' },
    ]);
    fail = false;
    now += HOUR;
    fire();
    expect(files()).toEqual(['config-20260301T090000Z-daily.json']);
  });
});

describe('listing and making copies', () => {
  it('lists newest first, with kind, time, size and how many schedules each holds', async () => {
    const b = backups();
    await b.createBackup();
    repo.put(schedule('sched_a'));
    repo.put(schedule('sched_b'));
    now += 1000;
    const made = await b.createBackup();
    const path = join(folder(), made.id);
    expect(made).toEqual({
      id: 'config-20260301T080001Z-manual.json',
      kind: 'manual',
      created_at: '2026-03-01T08:00:01Z',
      size: readFileSync(path).length,
      schedules: 2,
    });
    // Files that are not backups, and a copy that cannot be read.
    writeFileSync(join(folder(), 'notes.txt'), 'mine');
    writeFileSync(join(folder(), 'config-20260301T070000Z-daily.json'), '{ broken');
    const list = await b.listBackups();
    expect(list.map((x) => [x.id, x.schedules])).toEqual([
      ['config-20260301T080001Z-manual.json', 2],
      ['config-20260301T080000Z-manual.json', 0],
      ['config-20260301T070000Z-daily.json', null],
    ]);
  });

  it('reads the time of a copy from its name, to the second', async () => {
    now = Date.parse('2026-11-30T23:45:17Z');
    const made = await backups().createBackup();
    expect(made.id).toBe('config-20261130T234517Z-manual.json');
    expect(made.created_at).toBe('2026-11-30T23:45:17Z');
  });

  it('lists nothing before the first copy', async () => {
    expect(await backups().listBackups()).toEqual([]);
  });

  it('numbers copies made in the same second, and lists the later one first', async () => {
    const b = backups();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await b.createBackup()).id);
    expect(ids).toEqual([
      'config-20260301T080000Z-manual.json',
      'config-20260301T080000Z-manual-2.json',
      'config-20260301T080000Z-manual-3.json',
    ]);
    expect((await b.listBackups()).map((x) => x.id)).toEqual([...ids].reverse());
  });
});

describe('restore', () => {
  it('puts back the schedules and settings, after saving the store as it was', async () => {
    repo.put(schedule('sched_old'));
    const b = backups();
    const made = await b.createBackup();
    repo.delete('sched_old');
    repo.put(schedule('sched_new'));
    repo.updateSettings({ ...repo.settings(), paused: true });
    now += 1000;

    const result = await b.restoreBackup(made.id);
    expect(result.schedules).toBe(1);
    expect(result.restored).toEqual(made);
    expect(result.previous).toMatchObject({
      id: 'config-20260301T080001Z-before-restore.json',
      kind: 'before-restore',
      schedules: 1,
    });
    expect(repo.all().map((s) => s.id)).toEqual(['sched_old']);
    expect(repo.settings().paused).toBe(false);
    expect(lines.at(-1)).toEqual({
      level: 'info',
      message: `restored ${made.id} (1 schedules); the store before it is config-20260301T080001Z-before-restore.json`,
    });

    // The copy made first undoes it.
    await b.restoreBackup(result.previous!.id);
    expect(repo.all().map((s) => s.id)).toEqual(['sched_new']);
    expect(repo.settings().paused).toBe(true);
  });

  it('restores a copy with null schedules and no settings as an empty store with defaults', async () => {
    repo.put(schedule('sched_a'));
    repo.updateSettings({ ...repo.settings(), paused: true });
    const b = backups();
    await b.createBackup(); // makes the folder
    const id = 'config-20260201T000000Z-manual.json';
    writeFileSync(join(folder(), id), JSON.stringify({ schedules: null }));
    const result = await b.restoreBackup(id);
    expect(result.schedules).toBe(0);
    expect(repo.all()).toEqual([]);
    expect(repo.settings().paused).toBe(false);
  });

  it('is 404 for a name that is not a backup or a backup that is not there', async () => {
    const b = backups();
    await b.createBackup();
    writeFileSync(join(folder(), 'api-token'), 'secret');
    for (const id of ['config-20260101T000000Z-manual.json', '../config.json', 'api-token']) {
      const error = await b.restoreBackup(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('not_found');
      expect((error as ApiError).message).toBe(`Backup ${id} not found`);
    }
  });

  it('refuses options it does not know', async () => {
    const b = backups();
    const made = await b.createBackup();
    const error = await b.restoreBackup(made.id, { force: true } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_error');
    expect((error as ApiError).message).toContain('Invalid restore');
  });

  const refusals: [string, unknown, string][] = [
    ['not JSON', '{ half', 'cannot be restored: '],
    ['an array', [], 'cannot be restored: it is not a JSON object'],
    ['null', null, 'cannot be restored: it is not a JSON object'],
    ['a number', 5, 'cannot be restored: it is not a JSON object'],
    ['a string', 'text', 'cannot be restored: it is not a JSON object'],
    [
      'a newer store',
      { schemaVersion: 2 },
      'cannot be restored: it was written by a newer Cmdop Scheduler (store version 2)',
    ],
    [
      'a version that is not a number',
      { schemaVersion: '1' },
      'cannot be restored: it was written by a newer Cmdop Scheduler (store version 1)',
    ],
    [
      'schedules in a list',
      { schedules: [] },
      'cannot be restored: its schedules are not an object',
    ],
    [
      'schedules a string',
      { schedules: 'x' },
      'cannot be restored: its schedules are not an object',
    ],
    [
      'an unreadable schedule',
      { schedules: { sched_a: 'x' } },
      'cannot be restored: schedule sched_a cannot be read',
    ],
    [
      'a schedule breaking the rules',
      { schedules: { sched_a: schedule('sched_a', { cron: 'every day' }) } },
      'cannot be restored: schedule sched_a breaks the rules: ',
    ],
    [
      'settings that cannot be read',
      { settings: { paused: 'yes' } },
      'cannot be restored: its settings cannot be read',
    ],
  ];
  it.each(refusals)('refuses %s with 409 naming why, and changes nothing', async (_, data, why) => {
    repo.put(schedule('sched_kept'));
    const b = backups();
    await b.createBackup();
    const id = 'config-20260201T000000Z-manual.json';
    writeFileSync(join(folder(), id), data === '{ half' ? data : JSON.stringify(data));
    const before = files();
    const error = await b.restoreBackup(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('conflict');
    expect((error as ApiError).message).toContain(`Backup ${id} ${why}`);
    expect(files()).toEqual(before);
    expect(repo.all().map((s) => s.id)).toEqual(['sched_kept']);
  });

  it('names the rule a broken schedule breaks', async () => {
    const b = backups();
    await b.createBackup();
    const id = 'config-20260201T000000Z-manual.json';
    const broken = schedule('sched_a', { cron: 'every day' });
    writeFileSync(join(folder(), id), JSON.stringify({ schedules: { sched_a: broken } }));
    const error = (await b.restoreBackup(id).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toMatch(/breaks the rules: .*cron/);
  });
});
