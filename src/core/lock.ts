// One process owns a data directory, so no schedule ever runs twice. The lock file holds
// the owner's pid; a lock left by a process that no longer exists (kill -9, crash) is taken
// over, because waiting on a dead owner would stop the user's schedules for good.
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';

export const LOCK_FILE = 'scheduler.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Another Cmdop Scheduler (pid ${pid}) is already using ${dataDir}. ` +
        'Stop it first, or pass --data-dir to use a different directory.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): { pid: number; host: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof parsed.pid === 'number') return { pid: parsed.pid, host: String(parsed.host) };
  } catch {
    // Unreadable or half-written: treated as stale below.
  }
  return null;
}

// Locks this process holds: a lock file naming our own pid that is not in here was left by an
// earlier process that happened to get the same pid (common in containers).
const held = new Set<string>();

function ownedByOther(owner: { pid: number; host: string }, path: string): boolean {
  if (owner.host !== hostname()) return true; // cannot check another host's pids: respect it
  if (owner.pid === process.pid) return held.has(path);
  return isAlive(owner.pid);
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() });
  // Stryker disable next-line EqualityOperator: a fourth look at a lock that keeps changing ends the same
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, content);
      } catch (e) {
        // An empty lock file would look stale to the next starter: never leave one.
        closeSync(fd);
        unlinkSync(path);
        throw e;
      }
      closeSync(fd);
      let released = false;
      held.add(path);
      return {
        path,
        release() {
          if (released) return;
          released = true;
          held.delete(path);
          if (readOwner(path)?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(path);
    if (owner && ownedByOther(owner, path)) throw new DataDirLockedError(dataDir, owner.pid);
    // Stale: move it aside atomically so two starters cannot both delete and recreate it.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch {
      // Someone else took it over first; loop and look again.
    }
  }
  throw new Error(`Could not lock ${dataDir}: the lock file ${path} keeps changing`);
}
