// Whether the data directory can be written. A full disk, a quota, a read-only remount or a
// failing device must not stop the schedules: writers report here and carry on (history
// keeps records in memory, API writes refuse with 507), the user is told once, and the
// condition clears itself on the next write that succeeds.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '../shared/errors';
import { formatTimestamp, type Clock } from '../shared/time';
import type { StorageProblem, StorageStatus } from '../shared/storage';
import type { Logger } from './log';

/** Out of room: true of the whole file system, so one successful write ends it for all. */
const SPACE_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);

/** What writes to the data directory: each clears only its own problem when it succeeds. */
export type StorageScope = StorageProblem['scope'];

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an input/output error (the device may be failing)',
};

/** An error from the file system (it has an errno code), as opposed to a bug of ours. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** Free bytes for an unprivileged writer on the file system holding `path`, or null. */
export function freeBytes(path: string): number | null {
  for (const candidate of [path, dirname(path)]) {
    try {
      const s = statfsSync(candidate);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      // The file may not exist yet; its folder tells the same.
    }
  }
  return null;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

export function describeStorageError(path: string, error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'EIO';
  const why = REASONS[code] ?? error.message;
  const free = freeBytes(path);
  const room = free === null ? '' : `; ${formatBytes(free)} free`;
  return `cannot write ${path}: ${why} (${code})${room}`;
}

export class StorageHealth {
  readonly #problems = new Map<StorageScope, StorageProblem>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Called when the status changes (a first problem, or the last one cleared). */
    private readonly onChange: (status: StorageStatus) => void = () => {},
  ) {}

  status(): StorageStatus {
    // The newest problem is the one worth showing; all of them clear the same way.
    let problem: StorageProblem | null = null;
    for (const p of this.#problems.values()) if (!problem || p.since > problem.since) problem = p;
    return { ok: problem === null, problem };
  }

  /** A write failed. Logged once per scope until it clears, so a full disk is not a log flood. */
  failed(scope: StorageScope, path: string, error: NodeJS.ErrnoException): void {
    const wasOk = this.#problems.size === 0;
    const known = this.#problems.get(scope);
    const problem: StorageProblem = {
      scope,
      path,
      code: error.code ?? 'EIO',
      message: describeStorageError(path, error),
      free_bytes: freeBytes(path),
      since: known?.since ?? formatTimestamp(this.clock.now()),
    };
    this.#problems.set(scope, problem);
    if (!known) this.log.error(`storage: ${problem.message}; the app keeps running`);
    if (wasOk) this.onChange(this.status());
  }

  /**
   * A write of this scope succeeded: its problem is over, and so is any lack of space
   * elsewhere, since the data directory is one file system.
   */
  succeeded(scope: StorageScope): void {
    // Stryker disable next-line ConditionalExpression: with no problem nothing is deleted, so nothing is cleared
    if (this.#problems.size === 0) return;
    let cleared = this.#problems.delete(scope);
    for (const [other, p] of this.#problems) {
      if (SPACE_CODES.has(p.code)) cleared = this.#problems.delete(other) || cleared;
    }
    if (!cleared) return;
    this.log.info(`storage: writing ${scope} works again`);
    if (this.#problems.size === 0) this.onChange(this.status());
  }

  /**
   * The API's answer to a write it could not make: 507 naming the path and the free space.
   * Non-fs errors are bugs and are rethrown as they are.
   */
  refuse(scope: StorageScope, path: string, error: unknown): never {
    if (!isFsError(error)) throw error;
    this.failed(scope, path, error);
    throw new ApiError(
      'insufficient_storage',
      `${describeStorageError(path, error)}. Nothing was changed; free some space and retry.`,
      { path, errno: error.code, free_bytes: freeBytes(path) },
    );
  }
}
