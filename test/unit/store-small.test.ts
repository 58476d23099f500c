// The data directory's small parts: where it is on each OS, where its owner listens, the
// records a run starts as, the storage health a full disk reports to, and the keyed state
// kept across a restart (real files in a temp dir, retries on fake timers).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultDataDir, PRODUCT_NAME } from '../../src/core/data-dir';
import type { Logger } from '../../src/core/log';
import { PERSIST_RETRY_MS, PersistedMap } from '../../src/core/persisted-map';
import { newRun, skippedRun } from '../../src/core/run-records';
import {
  fileSecretStore,
  KEYCHAIN_TOKEN_UNREADABLE,
  REMOTE_TOKEN_FILE,
  remoteTokenStore,
  type SecretCodec,
} from '../../src/core/secrets';
import { socketPath } from '../../src/core/socket-path';
import {
  describeStorageError,
  freeBytes,
  isFsError,
  StorageHealth,
} from '../../src/core/storage-health';
import type { Timers } from '../../src/core/timers';
import { ApiError } from '../../src/shared/errors';
import type { StorageStatus } from '../../src/shared/storage';

let dir: string;
let lines: { level: string; message: string }[];
let now: number;
let pending: { fn: () => void; ms: number; handle: object }[];

const log: Logger = {
  info: (message) => void lines.push({ level: 'info', message }),
  warn: (message) => void lines.push({ level: 'warn', message }),
  error: (message) => void lines.push({ level: 'error', message }),
};
const clock = { now: () => now };
const timers: Timers = {
  setTimeout(fn, ms) {
    const handle = {};
    pending.push({ fn, ms, handle });
    return handle;
  },
  clearTimeout(handle) {
    pending = pending.filter((p) => p.handle !== handle);
  },
};
const fire = () => {
  const due = pending;
  pending = [];
  for (const p of due) p.fn();
};
const fsError = (code: string | undefined, message = `${code}: failed`) =>
  Object.assign(new Error(message), { code }) as NodeJS.ErrnoException;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-small-'));
  lines = [];
  now = Date.parse('2026-03-01T08:00:00Z');
  pending = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the data directory', () => {
  it('is where Electron keeps our userData on each OS', () => {
    expect(defaultDataDir('darwin', {}, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Cmdop Scheduler',
    );
    expect(
      defaultDataDir('win32', { APPDATA: 'C:/Users/ann/AppData/Roaming' }, 'C:/Users/ann'),
    ).toBe(join('C:/Users/ann/AppData/Roaming', PRODUCT_NAME));
    expect(defaultDataDir('win32', {}, '/home/ann')).toBe(
      join('/home/ann', 'AppData', 'Roaming', PRODUCT_NAME),
    );
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ann')).toBe(
      '/cfg/Cmdop Scheduler',
    );
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/ann')).toBe(
      '/home/ann/.config/Cmdop Scheduler',
    );
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/Cmdop Scheduler');
  });

  it('has its socket inside it, or a named pipe per folder on Windows', () => {
    expect(socketPath('/data', 'linux')).toBe('/data/api.sock');
    const pipe = socketPath('C:\\Data', 'win32');
    expect(pipe).toMatch(/^\\\\\.\\pipe\\cmdop-scheduler-[0-9a-f]{16}$/);
    // Windows paths are case-insensitive: the same folder, the same pipe.
    expect(socketPath('c:\\data', 'win32')).toBe(pipe);
    expect(socketPath('C:\\Other', 'win32')).not.toBe(pipe);
  });
});

describe('the records a run starts as', () => {
  const start = {
    scheduleId: 'sched_a',
    trigger: 'schedule' as const,
    scheduledFor: Date.parse('2026-03-01T08:00:00Z'),
    chain: null,
    now: Date.parse('2026-03-01T08:00:02Z'),
  };

  it('a new run: running, started now, first attempt', () => {
    const r = newRun(start);
    expect(r).toMatchObject({
      started_at: '2026-03-01T08:00:02Z',
      finished_at: null,
      exit_code: null,
      duration: null,
      stdout: '',
      stderr: '',
      schedule_id: 'sched_a',
      trigger: 'schedule',
      status: 'running',
      scheduled_for: '2026-03-01T08:00:00Z',
      signal: null,
      truncated: false,
      attempt: 1,
      retry_of: null,
      shell: null,
      env_file: null,
    });
    expect(r.id).toMatch(/^run_/);
    expect(r.command_id).toMatch(/^cmd_/);
    expect(newRun(start).id).not.toBe(r.id);
  });

  it('a manual run has no instant; a retry says which attempt of which chain', () => {
    expect(newRun({ ...start, trigger: 'manual', scheduledFor: null }).scheduled_for).toBeNull();
    const retry = newRun({ ...start, chain: { attempt: 3, retry_of: 'cmd_first' } });
    expect(retry).toMatchObject({ attempt: 3, retry_of: 'cmd_first' });
  });

  it('a skipped fire: finished at once, with why in stderr', () => {
    expect(skippedRun(start, 'on battery power')).toMatchObject({
      status: 'skipped',
      started_at: '2026-03-01T08:00:02Z',
      finished_at: '2026-03-01T08:00:02Z',
      duration: 0,
      stderr: 'cmdop-scheduler: skipped: on battery power\n',
    });
  });
});

describe('storage health', () => {
  it('tells an errno error from a bug', () => {
    expect(isFsError(fsError('ENOSPC'))).toBe(true);
    expect(isFsError(new Error('bug'))).toBe(false);
    expect(isFsError({ code: 'ENOSPC' })).toBe(false);
    expect(isFsError(Object.assign(new Error('x'), { code: 28 }))).toBe(false);
  });

  it('finds the free space of a file, of its folder when it is not there yet, or none', () => {
    const free = freeBytes(dir);
    expect(free).toBeGreaterThan(0);
    expect(freeBytes(join(dir, 'not-yet.json'))).toEqual(expect.any(Number));
    expect(freeBytes(join(dir, 'no', 'such', 'file'))).toBeNull();
  });

  it('names the path, the reason and the code in words', () => {
    const path = join(dir, 'no', 'such', 'file');
    expect(describeStorageError(path, fsError('ENOSPC'))).toBe(
      `cannot write ${path}: no space left on the device (ENOSPC)`,
    );
    expect(describeStorageError(path, fsError('EDQUOT'))).toContain('the disk quota is exhausted');
    expect(describeStorageError(path, fsError('EROFS'))).toContain('the file system is read-only');
    expect(describeStorageError(path, fsError('EACCES'))).toContain('permission denied');
    expect(describeStorageError(path, fsError('EPERM'))).toContain('operation not permitted');
    expect(describeStorageError(path, fsError('EIO'))).toContain('an input/output error');
    expect(describeStorageError(path, fsError('EXDEV', 'cross-device link'))).toBe(
      `cannot write ${path}: cross-device link (EXDEV)`,
    );
    expect(describeStorageError(path, fsError(undefined, 'odd'))).toBe(
      `cannot write ${path}: an input/output error (the device may be failing) (EIO)`,
    );
  });

  it('adds the free space in a unit a person reads', () => {
    const text = describeStorageError(join(dir, 'config.json'), fsError('ENOSPC'));
    expect(text).toMatch(/\(ENOSPC\); \d+(\.\d)? (bytes|KiB|MiB|GiB) free$/);
  });

  it('reports a problem once per scope, the newest first, and clears it when writing works', () => {
    const changes: StorageStatus[] = [];
    const h = new StorageHealth(clock, log, (s) => void changes.push(s));
    expect(h.status()).toEqual({ ok: true, problem: null });
    h.succeeded('store'); // nothing to clear
    expect(lines).toEqual([]);

    h.failed('history', join(dir, 'history'), fsError('EACCES'));
    now += 1000;
    h.failed('history', join(dir, 'history'), fsError('EACCES'));
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(lines[0]!.message).toMatch(
      /^storage: cannot write .*history: permission denied \(EACCES\).*; the app keeps running$/,
    );
    const first = h.status().problem!;
    expect(first).toMatchObject({
      scope: 'history',
      code: 'EACCES',
      since: '2026-03-01T08:00:00Z',
    });
    expect(changes).toEqual([
      { ok: false, problem: expect.objectContaining({ scope: 'history' }) },
    ]);

    now += 1000;
    h.failed('store', join(dir, 'config.json'), fsError('EROFS'));
    expect(h.status().problem).toMatchObject({ scope: 'store', since: '2026-03-01T08:00:02Z' });
    expect(changes).toHaveLength(1);

    // Another scope working again does not clear a read-only store or a denied history.
    h.succeeded('pending');
    expect(h.status().ok).toBe(false);
    expect(lines.filter((l) => l.level === 'info')).toEqual([]);

    h.succeeded('store');
    expect(h.status().problem?.scope).toBe('history');
    expect(lines.at(-1)).toEqual({ level: 'info', message: 'storage: writing store works again' });
    expect(changes).toHaveLength(1);
    h.succeeded('history');
    expect(h.status()).toEqual({ ok: true, problem: null });
    expect(changes.at(-1)).toEqual({ ok: true, problem: null });
  });

  it('a write that works ends every lack of space, the disk being one', () => {
    const h = new StorageHealth(clock, log);
    h.failed('history', dir, fsError('ENOSPC'));
    h.failed('store', dir, fsError('EDQUOT'));
    h.failed('pending', dir, fsError('EACCES'));
    h.succeeded('state');
    expect(h.status().problem?.scope).toBe('pending');
    expect(lines.at(-1)).toEqual({ level: 'info', message: 'storage: writing state works again' });
  });

  it('refuses an API write with 507 naming the path and the free space; a bug is rethrown', () => {
    const h = new StorageHealth(clock, log);
    const path = join(dir, 'config.json');
    let error: unknown;
    try {
      h.refuse('store', path, fsError('ENOSPC'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('insufficient_storage');
    expect((error as ApiError).status).toBe(507);
    expect((error as ApiError).message).toMatch(
      /^cannot write .*config\.json: no space left on the device \(ENOSPC\).*\. Nothing was changed; free some space and retry\.$/,
    );
    expect((error as ApiError).details).toMatchObject({ path, errno: 'ENOSPC' });
    expect(h.status().problem?.scope).toBe('store');
    const bug = new TypeError('bug');
    expect(() => h.refuse('store', path, bug)).toThrow(bug);
    // An error without an errno code is not the disk's either.
    const odd = fsError(undefined);
    expect(() => h.refuse('store', path, odd)).toThrow(odd);
  });
});

describe('a persisted map', () => {
  const entry = z.object({ n: z.number() });
  const path = () => join(dir, 'state.json');
  const map = (health?: StorageHealth) =>
    new PersistedMap({ path: path(), entry, log, timers, health });
  const onDisk = () => JSON.parse(readFileSync(path(), 'utf8'));

  it('writes every change privately, and a new one reads it back', () => {
    const m = map();
    m.load();
    expect(m.size).toBe(0);
    m.set('a', { n: 1 });
    m.set('b', { n: 2 });
    expect(onDisk()).toEqual({ v: 1, entries: { a: { n: 1 }, b: { n: 2 } } });
    expect(statSync(path()).mode & 0o777).toBe(0o600);
    expect(m.delete('a')).toEqual({ n: 1 });
    expect(m.delete('zz')).toBeUndefined();
    expect(onDisk().entries).toEqual({ b: { n: 2 } });
    const again = map();
    again.load();
    expect(again.get('b')).toEqual({ n: 2 });
    expect(again.values()).toEqual([{ n: 2 }]);
    expect(lines).toEqual([]);
  });

  it('keeps a touch in memory until the next change writes it', () => {
    const m = map();
    m.set('a', { n: 1 });
    m.touch('a', { n: 5 });
    expect(m.get('a')).toEqual({ n: 5 });
    expect(onDisk().entries.a).toEqual({ n: 1 });
    m.close();
    expect(onDisk().entries.a).toEqual({ n: 1 });
    m.set('b', { n: 2 });
    expect(onDisk().entries).toEqual({ a: { n: 5 }, b: { n: 2 } });
  });

  it('drops damaged entries and files with a warning; a missing file is empty', () => {
    const m = map();
    m.load();
    expect(lines).toEqual([]);
    writeFileSync(path(), JSON.stringify({ v: 1, entries: { a: { n: 1 }, b: { n: 'x' } } }));
    m.load();
    expect(m.values()).toEqual([{ n: 1 }]);
    expect(lines).toEqual([
      { level: 'warn', message: `${path()}: entry b is damaged and was dropped` },
    ]);
    for (const text of ['[]', 'null', '{"entries":null}', '{"entries":5}', '{}']) {
      lines = [];
      writeFileSync(path(), text);
      m.load();
      expect(m.size).toBe(0);
      expect(lines).toEqual([]);
    }
    m.set('stale', { n: 0 });
    writeFileSync(path(), '{ half');
    m.load();
    expect(m.size).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toMatch(/state\.json could not be read \(.+\); ignored$/);
  });

  it('keeps changes in memory while the disk refuses, and retries until written', () => {
    mkdirSync(path()); // a folder in the file's place: every write fails
    const m = map();
    m.set('a', { n: 1 });
    expect(lines.map((l) => l.message)).toEqual([
      expect.stringMatching(/^could not write .*state\.json: /),
    ]);
    expect(pending.map((p) => p.ms)).toEqual([PERSIST_RETRY_MS]);
    m.set('b', { n: 2 });
    expect(pending).toHaveLength(1); // one retry at a time
    fire();
    expect(pending).toHaveLength(1); // still refused: tried again later
    rmSync(path(), { recursive: true });
    fire();
    expect(pending).toEqual([]);
    expect(onDisk().entries).toEqual({ a: { n: 1 }, b: { n: 2 } });
  });

  it('reports a refused write to the storage health, and clears it when written', () => {
    const health = new StorageHealth(clock, log);
    mkdirSync(path());
    const m = map(health);
    m.set('a', { n: 1 });
    expect(health.status().problem?.scope).toBe('pending');
    expect(lines.some((l) => l.message.startsWith('could not write'))).toBe(false);
    rmSync(path(), { recursive: true });
    m.close();
    expect(pending).toEqual([]);
    expect(health.status().ok).toBe(true);
    expect(onDisk().entries).toEqual({ a: { n: 1 } });
  });

  it('a retry after the state was written anyway writes nothing', () => {
    mkdirSync(path());
    const m = map();
    m.set('a', { n: 1 });
    rmSync(path(), { recursive: true });
    m.set('b', { n: 2 });
    rmSync(path());
    fire();
    expect(() => readFileSync(path())).toThrow();
  });
});

describe('the Cmdop API token at rest', () => {
  // A stand-in for the OS keychain: reversible, and visibly not the plain text.
  const keychain: SecretCodec = {
    encrypt: (plain) => Buffer.from(`enc:${[...plain].reverse().join('')}`),
    decrypt: (data) => {
      const text = data.toString('utf8');
      if (!text.startsWith('enc:')) throw new Error('not ours');
      return [...text.slice(4)].reverse().join('');
    },
  };
  const plainPath = () => join(dir, REMOTE_TOKEN_FILE);
  const encPath = () => `${plainPath()}.enc`;
  const exists = (p: string) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  };

  it('serve keeps it in a plain 0600 file, and removes an encrypted one on saving', () => {
    writeFileSync(encPath(), 'enc:old');
    const s = remoteTokenStore(dir);
    expect(s.encrypted).toBe(false);
    expect(s.get()).toBeNull();
    // The tray saved one serve cannot decrypt: the user is told to enter it again.
    expect(s.unreadable?.()).toBe(KEYCHAIN_TOKEN_UNREADABLE);
    s.set('tok-1');
    expect(readFileSync(plainPath(), 'utf8')).toBe('tok-1\n');
    expect(statSync(plainPath()).mode & 0o777).toBe(0o600);
    expect(exists(encPath())).toBe(false);
    expect(s.get()).toBe('tok-1');
    expect(s.unreadable?.()).toBeNull();
    s.set(null);
    expect(exists(plainPath())).toBe(false);
    expect(s.get()).toBeNull();
    expect(s.unreadable?.()).toBeNull();
  });

  it('the tray keeps it encrypted, reads serve’s plain one, and removes it on saving', () => {
    writeFileSync(plainPath(), 'from-serve\n');
    const s = remoteTokenStore(dir, keychain);
    expect(s.encrypted).toBe(true);
    expect(s.get()).toBe('from-serve');
    expect(s.unreadable?.()).toBeNull();
    s.set('tok-2');
    expect(readFileSync(encPath(), 'utf8')).toBe('enc:2-kot');
    expect(exists(plainPath())).toBe(false);
    expect(s.get()).toBe('tok-2');
    expect(s.unreadable?.()).toBeNull();
    // Serve, on the same folder, cannot read it and says so.
    expect(remoteTokenStore(dir).unreadable?.()).toBe(KEYCHAIN_TOKEN_UNREADABLE);
    // An encrypted file this keychain cannot read: unreadable, and get is null.
    writeFileSync(encPath(), 'garbage');
    expect(s.get()).toBeNull();
    expect(s.unreadable?.()).toBe(KEYCHAIN_TOKEN_UNREADABLE);
    s.set('');
    expect(exists(encPath())).toBe(false);
  });

  it('reads an empty or blank file as no secret, and trims a plain one', () => {
    const f = fileSecretStore(plainPath());
    expect(f.encrypted).toBe(false);
    writeFileSync(plainPath(), '  \n');
    expect(f.get()).toBeNull();
    writeFileSync(plainPath(), '  spaced  \n');
    expect(f.get()).toBe('spaced');
  });
});
