// Files only the user can read. Run output, commands, environments and tokens all hold
// secrets, so everything under the data directory is 0600 (files) / 0700 (folders) by its
// own mode, not only by the data directory's: a folder can be copied, moved or loosened.
import {
  appendFileSync,
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from './log';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** Group and other permission bits: none may be set on anything the app keeps. */
const SHARED_BITS = 0o077;

let tmpSeq = 0;

export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export function appendPrivate(path: string, data: string): void {
  // The mode applies when the file is created; appends never loosen an existing one.
  appendFileSync(path, data, { mode: PRIVATE_FILE_MODE });
}

/**
 * Replaces `path` atomically: a reader or a crash sees the old content or the new, never
 * half. With `durable`, the data and the rename are on disk before this returns (fsync of
 * the file, then of its folder), so an acknowledged write survives a power cut.
 */
export function writePrivateAtomic(
  path: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): void {
  // Stryker disable next-line UpdateOperator: counting down names temp files just as uniquely
  const tmp = `${path}.${process.pid}-${tmpSeq++}.tmp`;
  let fd: number | null = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: writeSync writes a string as UTF-8 too
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    // Stryker disable next-line ConditionalExpression: an fsync shows only after a power cut
    if (options.durable) fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  // Stryker disable next-line ConditionalExpression: a folder's fsync shows only after a power cut
  if (options.durable) syncDir(dirname(path));
}

/** Makes a rename in `dir` durable (the entry itself, not only the file's data). */
// Stryker disable next-line BlockStatement: a folder's fsync shows only after a power cut
export function syncDir(dir: string): void {
  let fd: number | null = null;
  // Stryker disable next-line BlockStatement: not opening the folder leaks nothing either
  try {
    // Stryker disable next-line StringLiteral: a bad flag throws into the catch: no sync, no leak
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems (and Windows) cannot fsync a folder; the file itself is synced.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export class DataDirPermissionError extends Error {
  constructor(
    readonly dataDir: string,
    readonly mode: number,
    readonly ownerUid: number,
  ) {
    super(
      `The data directory ${dataDir} is readable by other users (mode ` +
        `${(mode & 0o777).toString(8).padStart(3, '0')}) and belongs to another user ` +
        `(uid ${ownerUid}), so it cannot be made private. Run \`chmod -R go-rwx '${dataDir}'\` ` +
        'as its owner, or choose a folder of your own with --data-dir.',
    );
    this.name = 'DataDirPermissionError';
  }
}

/** Removes group/other bits from `path` and, for a folder, from everything inside it. */
function tighten(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0; // chmod would follow it out of the data directory
  let fixed = 0;
  if ((stat.mode & SHARED_BITS) !== 0) {
    chmodSync(path, stat.isDirectory() ? PRIVATE_DIR_MODE : stat.mode & 0o700);
    fixed++;
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) fixed += tighten(join(path, name));
  }
  return fixed;
}

/**
 * Creates the data directory 0700, or makes an existing one private. A folder others can
 * enter is tightened with everything in it, when it is ours; someone else's is refused
 * (DataDirPermissionError), since we could neither fix it nor keep our files private there.
 * Only a loose folder is walked, so a normal start costs one stat.
 */
export function securePrivateDir(dir: string, log: Logger, uid = currentUid()): void {
  mkdirPrivate(dir);
  const stat = lstatSync(dir);
  if ((stat.mode & SHARED_BITS) === 0) return;
  if (uid !== null && stat.uid !== uid) throw new DataDirPermissionError(dir, stat.mode, stat.uid);
  const fixed = tighten(dir);
  log.warn(
    `the data directory ${dir} was readable by other users; made it and ${fixed - 1} ` +
      'item(s) in it private (0700 folders, 0600 files)',
  );
}

function currentUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}
