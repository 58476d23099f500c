// The schedule store on a temp dir (order, refused writes, failed rewrites, journal replay,
// dropped and broken entries, migration), and one stored schedule read back: a valid one as it is, one that is not a schedule at all
// dropped, and one that breaks the rules kept with typed stand-ins (what could be read kept,
// the rest defaulted) so the user can list it and fix it in the editor.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log';
import { ScheduleRepository } from '../../src/core/schedules';
import { StorageHealth } from '../../src/core/storage-health';
import { JOURNAL_FILE } from '../../src/core/store-journal';
import {
  readStoredEntry,
  storedScheduleFields,
  type StoredSchedule,
} from '../../src/core/stored-schedule';
import { confStoreFactory } from '../../src/headless/conf-store';
import { ApiError } from '../../src/shared/errors';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

const stamps = { created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' };
const valid = {
  id: 'sched_a1',
  name: 'backup',
  description: '',
  command: 'echo hi',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'UTC',
  timeout: null,
  notify: { on_success: false, on_failure: true, webhook_url: null, ping_url: null },
  cwd: null,
  env: {},
  overlap: 'skip',
  catch_up: false,
  ...POLICY_DEFAULTS,
  ...stamps,
};

describe('reading a stored schedule', () => {
  it('reads a valid one, with its notify in the short form', () => {
    const entry = readStoredEntry('sched_a1', valid);
    expect(entry.kind).toBe('valid');
    if (entry.kind !== 'valid') return;
    expect(entry.schedule).toMatchObject({ id: 'sched_a1', name: 'backup', ...stamps });
    expect(entry.schedule.notify).toEqual({ on_success: false, on_failure: true });
    expect(storedScheduleFields(entry.schedule)).toBeNull();
  });

  it('drops what is not a schedule: no id, a bad id, an id not its key, not an object', () => {
    for (const [key, value] of [
      ['sched_a1', { ...valid, id: undefined }],
      ['sched_a1', { ...valid, id: 'sched_a1/../x' }],
      ['sched_b2', valid],
      ['sched_a1', { ...valid, created_at: 5 }],
      ['sched_a1', 'text'],
      ['sched_a1', null],
    ] as const) {
      expect(readStoredEntry(key, value)).toEqual({ kind: 'unreadable' });
    }
  });

  it('keeps one that breaks the rules, with defaults for what cannot be read', () => {
    const raw = {
      id: 'sched_a1',
      ...stamps,
      name: 5,
      description: null,
      command: ['ls'],
      cron: 7,
      enabled: 'yes',
      timezone: 1,
      timeout: 'long',
      notify: 'loud',
      cwd: 3,
      env: ['A=1'],
      overlap: 'queue',
      catch_up: 'no',
      retries: 'two',
      retry_delay: '1m',
      retry_backoff: null,
      random_delay: 'some',
      shell: 'zsh',
      env_file: 4,
      paused_until: 5,
      run_on_battery: 'maybe',
    };
    const entry = readStoredEntry('sched_a1', raw);
    expect(entry.kind).toBe('broken');
    if (entry.kind !== 'broken') return;
    expect(entry.schedule).toEqual({
      id: 'sched_a1',
      name: 'sched_a1',
      description: '',
      command: '',
      cron: '',
      enabled: false,
      timezone: 'UTC',
      timeout: null,
      notify: { on_success: false, on_failure: true },
      cwd: null,
      env: {},
      overlap: 'skip',
      catch_up: false,
      ...POLICY_DEFAULTS,
      ...stamps,
    });
    expect(entry.raw).toBe(raw);
    expect(Object.keys(entry.fields)).toEqual(expect.arrayContaining(['name', 'cron', 'command']));
    expect(entry.error).toContain('cron');
    expect(storedScheduleFields(entry.schedule)).not.toBeNull();
  });

  it('keeps what it can read of a broken one', () => {
    const raw = {
      ...valid,
      cron: 'every day',
      name: 'nightly',
      description: 'mine',
      command: 'make',
      enabled: true,
      timezone: 'Europe/Paris',
      timeout: 30000,
      notify: {
        on_success: true,
        on_failure: false,
        webhook_url: 'https://hooks.example/x',
        ping_url: 'https://ping.example/y',
      },
      cwd: '/srv',
      env: { A: '1', B: 2 },
      overlap: 'allow',
      catch_up: true,
      retries: 2,
      retry_delay: 5000,
      retry_backoff: 3,
      random_delay: 10,
      shell: 'login',
      env_file: '/srv/.env',
      paused_until: '2030-01-01T00:00:00Z',
      run_on_battery: false,
    };
    const entry = readStoredEntry('sched_a1', raw);
    expect(entry.kind).toBe('broken');
    if (entry.kind !== 'broken') return;
    expect(entry.schedule).toEqual({
      id: 'sched_a1',
      name: 'nightly',
      description: 'mine',
      command: 'make',
      cron: 'every day',
      enabled: true,
      timezone: 'Europe/Paris',
      timeout: 30000,
      notify: {
        on_success: true,
        on_failure: false,
        webhook_url: 'https://hooks.example/x',
        ping_url: 'https://ping.example/y',
      },
      cwd: '/srv',
      env: { A: '1' },
      overlap: 'allow',
      catch_up: true,
      retries: 2,
      retry_delay: 5000,
      retry_backoff: 3,
      random_delay: 10,
      shell: 'login',
      env_file: '/srv/.env',
      paused_until: '2030-01-01T00:00:00Z',
      run_on_battery: false,
      ...stamps,
    });
    expect(entry.fields).toEqual({
      cron: 'expected 5 or 6 fields, got 2',
      'env.B': 'must be a string, got number 2',
    });
    expect(storedScheduleFields(entry.schedule)).toEqual({ cron: expect.any(String) });
  });

  it('a broken one with a notify object but no flags gets the default flags', () => {
    const entry = readStoredEntry('sched_a1', { ...valid, cron: 'x', notify: {}, env: null });
    if (entry.kind !== 'broken') throw new Error(entry.kind);
    expect(entry.schedule.notify).toEqual({ on_success: false, on_failure: true });
    expect(entry.schedule.env).toEqual({});
    const nullNotify = readStoredEntry('sched_a1', { ...valid, cron: 'x', notify: null });
    if (nullNotify.kind !== 'broken') throw new Error(nullNotify.kind);
    expect(nullNotify.schedule.notify).toEqual({ on_success: false, on_failure: true });
  });
});

describe('the schedule store', () => {
  let dir: string;
  let lines: { level: string; message: string }[];
  const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };
  const log: Logger = {
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
  };
  const open = (options?: Parameters<typeof ScheduleRepository.open>[4]) =>
    ScheduleRepository.open(confStoreFactory, dir, clock, log, options);
  const sched = (id: string, created_at: string, extra: Partial<StoredSchedule> = {}) =>
    ({
      ...valid,
      id,
      name: `job ${id}`,
      created_at,
      updated_at: created_at,
      ...extra,
    }) as StoredSchedule;
  const journal = () => join(dir, JOURNAL_FILE);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cmdop-sched-store-'));
    lines = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps creation order (time, then id) whatever order they come in', () => {
    const repo = open();
    repo.put(sched('sched_c', '2026-01-03T00:00:00.000Z'));
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    repo.put(sched('sched_e', '2026-01-05T00:00:00.000Z'));
    repo.put(sched('sched_b2', '2026-01-02T00:00:00.000Z'));
    repo.put(sched('sched_b1', '2026-01-02T00:00:00.000Z'));
    repo.put(sched('sched_d', '2026-01-04T00:00:00.000Z'));
    const order = () => repo.all().map((s) => s.id);
    expect(order()).toEqual(['sched_a', 'sched_b1', 'sched_b2', 'sched_c', 'sched_d', 'sched_e']);
    // Put again with the same creation time: same place, new content.
    repo.put(sched('sched_c', '2026-01-03T00:00:00.000Z', { name: 'renamed' }));
    expect(order()).toEqual(['sched_a', 'sched_b1', 'sched_b2', 'sched_c', 'sched_d', 'sched_e']);
    expect(repo.get('sched_c')?.name).toBe('renamed');
    // Another creation time moves it.
    repo.put(sched('sched_c', '2025-12-31T00:00:00.000Z'));
    expect(order()).toEqual(['sched_c', 'sched_a', 'sched_b1', 'sched_b2', 'sched_d', 'sched_e']);
    repo.put(sched('sched_a', '2026-01-09T00:00:00.000Z'));
    expect(order()).toEqual(['sched_c', 'sched_b1', 'sched_b2', 'sched_d', 'sched_e', 'sched_a']);
    expect(repo.delete('sched_b1')).toBe(true);
    expect(repo.delete('sched_b1')).toBe(false);
    expect(order()).toEqual(['sched_c', 'sched_b2', 'sched_d', 'sched_e', 'sched_a']);
    repo.close();
    expect(
      open()
        .all()
        .map((s) => s.id),
    ).toEqual(order());
  });

  it('refuses a change the disk will not take with 507, and changes nothing', () => {
    const health = new StorageHealth(clock, log);
    const repo = open({ health });
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    repo.close();
    const again = open({ health });
    rmSync(journal(), { force: true });
    mkdirSync(journal());
    const error = (() => {
      try {
        again.put(sched('sched_b', '2026-01-02T00:00:00.000Z'));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(507);
    expect(again.get('sched_b')).toBeUndefined();
    expect(() => again.delete('sched_a')).toThrow(ApiError);
    expect(again.get('sched_a')).toBeDefined();
    expect(health.status().problem?.scope).toBe('store');
    rmSync(journal(), { recursive: true });
    again.put(sched('sched_b', '2026-01-02T00:00:00.000Z'));
    expect(health.status().ok).toBe(true);
    expect(again.all().map((s) => s.id)).toEqual(['sched_a', 'sched_b']);
  });

  it('a restore the disk will not take is 507 and leaves the store as it was', () => {
    const health = new StorageHealth(clock, log);
    const repo = open({ health });
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    rmSync(repo.path, { force: true });
    mkdirSync(repo.path);
    writeFileSync(join(repo.path, 'x'), 'x');
    expect(() => repo.replaceAll([], repo.settings())).toThrow(ApiError);
    expect(repo.all().map((s) => s.id)).toEqual(['sched_a']);
    expect(health.status().problem?.scope).toBe('store');
  });

  it('keeps the journal when a rewrite of config.json fails, and loses nothing', () => {
    const health = new StorageHealth(clock, log);
    const repo = open({ health });
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    const path = repo.path;
    rmSync(path, { force: true });
    mkdirSync(path);
    writeFileSync(join(path, 'x'), 'x');
    expect(repo.compact()).toBe(false);
    expect(health.status().problem?.scope).toBe('store');
    expect(readFileSync(journal(), 'utf8')).toContain('sched_a');
    rmSync(path, { recursive: true });
    expect(repo.compact()).toBe(true);
    expect(readFileSync(journal(), 'utf8')).toBe('');
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).schedules)).toEqual(['sched_a']);
  });

  it('folds a journal left by a crash into config.json soon after opening', () => {
    const repo = open();
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    // No close: a crash. The next owner replays it and queues a rewrite.
    const deferred: (() => void)[] = [];
    const again = open({ defer: (fn) => void deferred.push(fn) });
    expect(again.all().map((s) => s.id)).toEqual(['sched_a']);
    expect(deferred).toHaveLength(1);
    deferred[0]!();
    expect(readFileSync(journal(), 'utf8')).toBe('');
    expect(Object.keys(JSON.parse(readFileSync(again.path, 'utf8')).schedules)).toEqual([
      'sched_a',
    ]);
  });

  it('copies itself for a backup: the file when the journal is empty, else memory', () => {
    const repo = open();
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    const fromMemory = join(dir, 'copy-1.json');
    repo.copyTo(fromMemory);
    expect(JSON.parse(readFileSync(fromMemory, 'utf8'))).toMatchObject({
      schemaVersion: 1,
      schedules: { sched_a: { id: 'sched_a' } },
      settings: { paused: false },
    });
    repo.compact();
    const fromFile = join(dir, 'copy-2.json');
    repo.copyTo(fromFile);
    expect(readFileSync(fromFile, 'utf8')).toBe(readFileSync(repo.path, 'utf8'));
    expect(statSync(fromFile).mode & 0o777).toBe(0o600);
  });

  it('skips journal lines it cannot read, saying how many', () => {
    const repo = open();
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    appendFileSync(journal(), '{"op":"what"}\nnot json\n{"op":"delete","id":"sched_x"}\n');
    const again = open();
    expect(again.all().map((s) => s.id)).toEqual(['sched_a']);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      `store: ${journal()}: skipped 2 unreadable change(s)`,
    ]);
  });

  it('replays puts, deletes and settings over config.json, skipping items without an id', () => {
    const repo = open();
    repo.put(sched('sched_a', '2026-01-01T00:00:00.000Z'));
    repo.close();
    appendFileSync(
      journal(),
      [
        {
          op: 'put',
          schedules: [sched('sched_b', '2026-01-02T00:00:00.000Z'), { name: 'no id' }, null],
        },
        { op: 'delete', id: 'sched_a' },
        { op: 'settings', settings: { paused: true } },
      ]
        .map((o) => `${JSON.stringify(o)}\n`)
        .join(''),
    );
    const again = open();
    expect(again.all().map((s) => s.id)).toEqual(['sched_b']);
    expect(again.settings().paused).toBe(true);
  });

  it('replays a journal over a config.json whose schedules are not an object', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, schedules: [] }));
    appendFileSync(
      journal(),
      `${JSON.stringify({ op: 'put', schedules: [sched('sched_b', '2026-01-02T00:00:00.000Z')] })}\n`,
    );
    expect(
      open()
        .all()
        .map((s) => s.id),
    ).toEqual(['sched_b']);
  });

  it('says which entries it dropped, and keeps a copy of the file', () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        schemaVersion: 1,
        schedules: {
          sched_a: sched('sched_a', '2026-01-01T00:00:00.000Z'),
          sched_x: 'junk',
          sched_y: 5,
        },
      }),
    );
    const repo = open();
    expect(repo.all().map((s) => s.id)).toEqual(['sched_a']);
    const errors = lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^store .*config\.json: schedules sched_x, sched_y could not be read and were skipped; the full file is kept at .*config\.json\.invalid-.*\.bak$/,
    );
    // Rewritten without them at once.
    expect(Object.keys(JSON.parse(readFileSync(repo.path, 'utf8')).schedules)).toEqual(['sched_a']);
  });

  it('a schedules section that is not an object is skipped as a whole', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, schedules: 'x' }));
    const repo = open();
    expect(repo.all()).toEqual([]);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /: the schedules section could not be read and were skipped; the full file is kept at /,
      ),
    ]);
  });

  it('names a broken entry and its rule, runs none of it, and a put fixes it', () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        schemaVersion: 1,
        schedules: { sched_a: sched('sched_a', '2026-01-01T00:00:00.000Z', { cron: 'bad' }) },
      }),
    );
    const repo = open();
    expect(repo.error('sched_a')).toContain('cron');
    expect(repo.brokenFields('sched_a')).toEqual({ cron: expect.any(String) });
    expect(repo.error('sched_none')).toBeNull();
    expect(repo.brokenFields('sched_none')).toBeNull();
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^store .*: schedule sched_a breaks the rules \(.*cron.*\); it will not run until it is fixed\. A copy of the file is kept at .*\.bak$/,
      ),
    ]);
    // Written back as it was stored, until fixed.
    repo.put(sched('sched_b', '2026-01-02T00:00:00.000Z'));
    repo.compact();
    expect(JSON.parse(readFileSync(repo.path, 'utf8')).schedules.sched_a.cron).toBe('bad');
    repo.putMany([sched('sched_a', '2026-01-01T00:00:00.000Z')]);
    expect(repo.error('sched_a')).toBeNull();
  });

  it('migrates a store without a version, keeping a copy, and writes the version', () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ schedules: { sched_a: sched('sched_a', '2026-01-01T00:00:00.000Z') } }),
    );
    const deferred: (() => void)[] = [];
    const repo = open({ defer: (fn) => void deferred.push(fn) });
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^migrating store from version 0 to 1; backup at .*config\.json\.v0-.*\.bak$/,
      ),
    ]);
    expect(deferred).toHaveLength(1);
    deferred[0]!();
    expect(JSON.parse(readFileSync(repo.path, 'utf8')).schemaVersion).toBe(1);
  });

  it('a new store (no schedules, no version) needs no migration', () => {
    const repo = open();
    expect(repo.all()).toEqual([]);
    expect(lines).toEqual([]);
  });
});
