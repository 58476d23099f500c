import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../../src/core/lock';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-lock-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  expect(child.pid).toBeTypeOf('number');
  return child.pid as number;
}

function writeLock(content: unknown) {
  writeFileSync(
    join(dir, LOCK_FILE),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
}

function lockOwner(): { pid: number; host: string } {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string };
}

describe('acquireDataDirLock', () => {
  it('writes a lock file naming this process and host', () => {
    const lock = acquireDataDirLock(dir);
    try {
      expect(lock.path).toBe(join(dir, LOCK_FILE));
      expect(lockOwner()).toMatchObject({ pid: process.pid, host: hostname() });
    } finally {
      lock.release();
    }
  });

  it('refuses a second acquire while the first is held, then allows it after release', () => {
    const first = acquireDataDirLock(dir);
    let caught: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DataDirLockedError);
    const err = caught as DataDirLockedError;
    expect(err.pid).toBe(process.pid);
    expect(err.dataDir).toBe(dir);
    expect(err.message).toContain(`pid ${process.pid}`);
    expect(err.message).toContain(dir);

    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const second = acquireDataDirLock(dir);
    expect(existsSync(second.path)).toBe(true);
    second.release();
  });

  it('release is idempotent and leaves a lock taken by someone else alone', () => {
    const lock = acquireDataDirLock(dir);
    lock.release();
    const other = acquireDataDirLock(dir);
    lock.release(); // must not remove the new holder's file
    expect(existsSync(other.path)).toBe(true);
    other.release();
  });

  it('takes over a stale lock left by a dead process', async () => {
    const pid = await deadPid();
    writeLock({ pid, host: hostname(), since: 0 });
    const lock = acquireDataDirLock(dir);
    try {
      expect(lockOwner().pid).toBe(process.pid);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock naming our own pid that this process does not hold (pid reuse)', () => {
    writeLock({ pid: process.pid, host: hostname(), since: 0 });
    const lock = acquireDataDirLock(dir);
    try {
      expect(lockOwner().pid).toBe(process.pid);
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    } finally {
      lock.release();
    }
  });

  it('takes over an unreadable (half-written) lock file', () => {
    writeLock('{"pid": 12');
    const lock = acquireDataDirLock(dir);
    try {
      expect(lockOwner().pid).toBe(process.pid);
    } finally {
      lock.release();
    }
  });

  it('refuses a lock held by another live process on this host', async () => {
    const child = spawn('sleep', ['5']);
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', () => resolve());
        child.once('error', reject);
      });
      const pid = child.pid as number;
      writeLock({ pid, host: hostname(), since: Date.now() });
      let caught: unknown;
      try {
        acquireDataDirLock(dir);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DataDirLockedError);
      expect((caught as DataDirLockedError).pid).toBe(pid);
      expect((caught as Error).message).toContain(`pid ${pid}`);
      // The other owner's lock is left in place.
      expect(lockOwner().pid).toBe(pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('respects a lock from another host even if that pid is not alive here', async () => {
    const pid = await deadPid();
    writeLock({ pid, host: `${hostname()}-elsewhere`, since: 0 });
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(lockOwner().pid).toBe(pid);
  });
});

describe('acquireDataDirLock: what the user reads, and what is left behind', () => {
  it('names the other owner and says what to do', () => {
    writeLock({ pid: process.ppid, host: hostname(), since: 0 }); // alive: our parent
    let error: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).name).toBe('DataDirLockedError');
    expect((error as Error).message).toBe(
      `Another Cmdop Scheduler (pid ${process.ppid}) is already using ${dir}. ` +
        'Stop it first, or pass --data-dir to use a different directory.',
    );
  });

  it('a lock file whose pid is not a number is stale: taken over', () => {
    writeLock({ pid: String(process.ppid), host: 'elsewhere', since: 0 });
    const lock = acquireDataDirLock(dir);
    expect(lockOwner().pid).toBe(process.pid);
    lock.release();
  });

  it('a stale lock taken over leaves no moved-aside copy', async () => {
    writeLock({ pid: await deadPid(), host: hostname(), since: 0 });
    const lock = acquireDataDirLock(dir);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('release leaves a lock file rewritten by another process, and a removed one, alone', () => {
    const lock = acquireDataDirLock(dir);
    writeLock({ pid: process.ppid, host: hostname(), since: 0 });
    lock.release();
    expect(lockOwner().pid).toBe(process.ppid);
    rmSync(join(dir, LOCK_FILE));
    const again = acquireDataDirLock(dir);
    rmSync(join(dir, LOCK_FILE));
    expect(() => again.release()).not.toThrow();
  });

  it('a data directory that does not exist is that error, not a lock problem', () => {
    expect(() => acquireDataDirLock(join(dir, 'missing'))).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });

  it('gives up, naming the lock file, when a stale lock cannot be moved aside', async () => {
    writeLock({ pid: await deadPid(), host: hostname(), since: 0 });
    // The place the stale lock would move to is a folder with something in it.
    mkdirSync(join(dir, `${LOCK_FILE}.stale-${process.pid}`, 'x'), { recursive: true });
    expect(() => acquireDataDirLock(dir)).toThrow(
      `Could not lock ${dir}: the lock file ${join(dir, LOCK_FILE)} keeps changing`,
    );
  });
});
