import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
