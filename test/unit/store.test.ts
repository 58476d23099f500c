import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { Logger } from '../../src/core/log';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

let dir: string;
const T = Date.UTC(2026, 0, 2, 3, 4, 5);
const clock = { now: () => T };
const STAMP = '20260102T030405Z';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-store-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function captureLogger() {
  const lines: { level: string; message: string }[] = [];
  const log: Logger = {
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
  return { log, lines };
}

function open(log: Logger = captureLogger().log) {
  return ScheduleRepository.open(confStoreFactory, dir, clock, log);
}

function schedule(id: string, created_at: string, extra: Partial<StoredSchedule> = {}) {
  return {
    id,
    name: `job ${id}`,
    description: '',
    command: 'echo hi',
    cron: '0 3 * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    ...POLICY_DEFAULTS,
    created_at,
    updated_at: created_at,
    ...extra,
  } satisfies StoredSchedule;
}

const configPath = () => join(dir, 'config.json');

describe('ScheduleRepository', () => {
  it('starts empty with default settings', () => {
    const repo = open();
    expect(repo.path).toBe(configPath());
    expect(repo.all()).toEqual([]);
    expect(repo.settings()).toEqual({
      notifications: { muted: false },
      history: { max_runs: 1000, max_age_days: 90 },
      paused: false,
      paused_until: null,
      local_api: { enabled: false, port: 7878 },
      remote: { url: null },
    });
  });

  it('puts and gets schedules', () => {
    const repo = open();
    const s = schedule('sched_a', '2026-01-01T00:00:00.000Z', { env: { A: '1' } });
    repo.put(s);
    expect(repo.get('sched_a')).toEqual(s);
    expect(repo.get('sched_missing')).toBeUndefined();
  });

  it('lists by created_at, then by id for equal times', () => {
    const repo = open();
    repo.put(schedule('sched_c', '2026-01-01T00:00:00.500Z'));
    repo.put(schedule('sched_b', '2026-01-01T00:00:00.000Z'));
    repo.put(schedule('sched_z', '2026-01-01T00:00:00.100Z'));
    repo.put(schedule('sched_a', '2026-01-01T00:00:00.100Z'));
    expect(repo.all().map((s) => s.id)).toEqual(['sched_b', 'sched_a', 'sched_z', 'sched_c']);
  });

  it('replaces a schedule put again with the same id', () => {
    const repo = open();
    repo.put(schedule('sched_a', '2026-01-01T00:00:00.000Z'));
    repo.put(schedule('sched_a', '2026-01-01T00:00:00.000Z', { name: 'renamed' }));
    expect(repo.all()).toHaveLength(1);
    expect(repo.get('sched_a')?.name).toBe('renamed');
  });

  it('keeps schedules, deletions and settings across reopen', () => {
    const repo = open();
    repo.put(schedule('sched_a', '2026-01-01T00:00:00.000Z'));
    repo.put(schedule('sched_b', '2026-01-01T00:00:01.000Z', { enabled: false, timeout: 5000 }));
    repo.put(schedule('sched_c', '2026-01-01T00:00:02.000Z'));
    expect(repo.delete('sched_c')).toBe(true);
    expect(repo.delete('sched_c')).toBe(false);
    repo.updateSettings({ ...repo.settings(), paused: true });

    const { log, lines } = captureLogger();
    const again = open(log);
    expect(again.all()).toEqual([
      schedule('sched_a', '2026-01-01T00:00:00.000Z'),
      schedule('sched_b', '2026-01-01T00:00:01.000Z', { enabled: false, timeout: 5000 }),
    ]);
    expect(again.settings().paused).toBe(true);
    expect(lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('writes the journal and config.json readable by the owner only (0600)', () => {
    const repo = open();
    repo.put(schedule('sched_a', '2026-01-01T00:00:00.000Z', { env: { SECRET: 'x' } }));
    expect(statSync(join(dir, 'config.journal')).mode & 0o777).toBe(0o600);
    repo.close(); // folds the journal into config.json
    expect(statSync(configPath()).mode & 0o777).toBe(0o600);
  });

  it('moves a corrupt file aside, logs it and opens empty', () => {
    writeFileSync(configPath(), '{not json');
    const { log, lines } = captureLogger();
    const repo = open(log);

    expect(repo.all()).toEqual([]);
    const backup = join(dir, `config.json.corrupt-${STAMP}.bak`);
    expect(readdirSync(dir)).toContain(`config.json.corrupt-${STAMP}.bak`);
    expect(readFileSync(backup, 'utf8')).toBe('{not json');

    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(configPath());
    expect(errors[0]?.message).toContain(backup);

    // The store works again and keeps what is written next.
    repo.put(schedule('sched_a', '2026-01-01T00:00:00.000Z'));
    expect(
      open()
        .all()
        .map((s) => s.id),
    ).toEqual(['sched_a']);
  });

  it('keeps an entry that breaks the rules, with its error, out of harm; backs up once and logs the id', () => {
    const good = schedule('sched_good', '2026-01-01T00:00:00.000Z');
    const bad = { ...schedule('sched_bad', '2026-01-01T00:00:01.000Z'), overlap: 'sometimes' };
    const original = JSON.stringify({
      schemaVersion: 1,
      schedules: { sched_good: good, sched_bad: bad },
    });
    writeFileSync(configPath(), original);
    const { log, lines } = captureLogger();
    const repo = open(log);

    expect(repo.all().map((s) => s.id)).toEqual(['sched_good', 'sched_bad']);
    expect(repo.error('sched_good')).toBeNull();
    expect(repo.error('sched_bad')).toBe("overlap: must be 'skip' or 'allow'");
    expect(repo.get('sched_bad')).toMatchObject({ name: bad.name, overlap: 'skip' });

    const backupName = `config.json.invalid-${STAMP}.bak`;
    expect(readdirSync(dir)).toContain(backupName);
    expect(readFileSync(join(dir, backupName), 'utf8')).toBe(original);

    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('sched_bad');
    expect(errors[0]?.message).not.toContain('sched_good');
    expect(errors[0]?.message).toContain(join(dir, backupName));

    // Still broken at the next start: reported again, but no second identical backup.
    const second = captureLogger();
    expect(open(second.log).error('sched_bad')).toMatch(/^overlap/);
    expect(readdirSync(dir).filter((n) => n.includes('.invalid-'))).toHaveLength(1);

    // A write of another schedule keeps the broken one on disk exactly as it was.
    repo.put({ ...good, name: 'renamed' });
    repo.compact();
    const stored = JSON.parse(readFileSync(configPath(), 'utf8'));
    expect(stored.schedules.sched_good.name).toBe('renamed');
    expect(stored.schedules.sched_bad).toEqual(bad);

    // Fixing it (a valid whole schedule) clears the error and writes the fixed entry.
    const third = open(captureLogger().log);
    third.put({ ...third.get('sched_bad')!, overlap: 'allow' });
    expect(third.error('sched_bad')).toBeNull();
    third.close();
    expect(JSON.parse(readFileSync(configPath(), 'utf8')).schedules.sched_bad.overlap).toBe(
      'allow',
    );
  });

  it('drops an entry stored under a key that is not its id', () => {
    const good = schedule('sched_good', '2026-01-01T00:00:00.000Z');
    writeFileSync(
      configPath(),
      JSON.stringify({
        schemaVersion: 1,
        schedules: {
          sched_good: good,
          sched_other: schedule('sched_x', '2026-01-01T00:00:00.000Z'),
        },
      }),
    );
    const { log, lines } = captureLogger();
    expect(open(log).all()).toEqual([good]);
    expect(lines.some((l) => l.level === 'error' && l.message.includes('sched_other'))).toBe(true);
  });

  it('refuses to open a file written by a newer version and leaves it untouched', () => {
    const original = JSON.stringify({ schemaVersion: 99, schedules: {} });
    writeFileSync(configPath(), original);
    expect(() => open()).toThrow(/newer/);
    expect(readFileSync(configPath(), 'utf8')).toBe(original);
  });

  it('resets invalid settings to defaults with a warning', () => {
    writeFileSync(
      configPath(),
      JSON.stringify({ schemaVersion: 1, schedules: {}, settings: { paused: 'yes' } }),
    );
    const { log, lines } = captureLogger();
    const repo = open(log);
    expect(repo.settings().paused).toBe(false);
    expect(lines.some((l) => l.level === 'warn' && l.message.includes('settings'))).toBe(true);
  });

  it('refuses invalid settings updates', () => {
    const repo = open();
    expect(() =>
      repo.updateSettings({ ...repo.settings(), history: { max_runs: 0, max_age_days: 1 } }),
    ).toThrow();
    expect(repo.settings().history.max_runs).toBe(1000);
  });
});
