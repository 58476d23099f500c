// Opening the Conf-compatible store file (`conf` under Node, electron-store in the tray app:
// same author, same format) without ever losing what is in it: a file that cannot be used
// as is — not JSON, not an object, a folder — is moved aside to a dated .bak before anything
// writes there, and the app starts with an empty store and a log line saying where it went.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { PRIVATE_FILE_MODE, syncDir } from './private-fs';

/** The subset of Conf / electron-store we rely on. */
export interface ConfLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}

export interface StoreOptions {
  cwd: string;
  configName: string;
  /** Commands and their environment can hold secrets: owner-only. */
  configFileMode: number;
}

export type StoreFactory = (options: StoreOptions) => ConfLike;

export const STORE_CONFIG_NAME = 'config';

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `<file>.<why>-<time>.bak`, numbered when two recoveries happen within one second. */
export function backupPath(file: string, why: string, ms: number): string {
  const base = `${file}.${why}-${stamp(ms)}`;
  let path = `${base}.bak`;
  for (let n = 2; existsSync(path); n++) path = `${base}-${n}.bak`;
  return path;
}

/**
 * A private copy of the file, kept before a change that drops or rewrites something. An
 * identical earlier copy is reused, so a file that stays broken does not add one per start.
 */
export function backupCopy(file: string, why: string, clock: Clock): string {
  const content = readFileSync(file);
  const prefix = `${basename(file)}.${why}-`;
  for (const name of readdirSync(dirname(file))) {
    if (!name.startsWith(prefix) || !name.endsWith('.bak')) continue;
    const existing = join(dirname(file), name);
    try {
      if (readFileSync(existing).equals(content)) return existing;
    } catch {
      // Unreadable old backup: make a new one.
    }
  }
  const backup = backupPath(file, why, clock.now());
  copyFileSync(file, backup);
  chmodSync(backup, PRIVATE_FILE_MODE); // a copy keeps the source's mode, which may be loose
  return backup;
}

function moveAside(path: string, why: string, reason: string, clock: Clock, log: Logger) {
  const backup = backupPath(path, why, clock.now());
  renameSync(path, backup);
  try {
    chmodSync(backup, PRIVATE_FILE_MODE);
  } catch {
    // A folder moved aside keeps its mode; the data directory is private anyway.
  }
  log.error(
    `store file ${path} ${reason}; moved it to ${backup} and started with an empty store. ` +
      'Restore from that file if needed.',
  );
}

/** Why the file cannot be used as a store, or null (missing and empty files are fine). */
function unusable(path: string): { why: string; reason: string } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') return { why: 'unreadable', reason: 'is a folder, not a file' };
    throw e; // EACCES and the like: not ours to move; the caller says what is wrong
  }
  if (text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { why: 'corrupt', reason: `is not valid JSON (${(e as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed;
    return { why: 'not-an-object', reason: `holds ${kind}, not an object` };
  }
  return null;
}

/**
 * conf and electron-store write a temp file, fsync it and rename it over the store; the
 * rename itself is durable only once the folder is synced too. Only then is a write acknowledged.
 */
function durable(conf: ConfLike, dir: string): ConfLike {
  return {
    get: (key) => conf.get(key),
    set: (key, value) => {
      conf.set(key, value);
      syncDir(dir);
    },
    get path() {
      return conf.path;
    },
  };
}

export function openStoreFile(
  factory: StoreFactory,
  dir: string,
  clock: Clock,
  log: Logger,
): ConfLike {
  const path = join(dir, `${STORE_CONFIG_NAME}.json`);
  const options = { cwd: dir, configName: STORE_CONFIG_NAME, configFileMode: 0o600 };
  const problem = unusable(path);
  if (problem) moveAside(path, problem.why, problem.reason, clock, log);
  try {
    return durable(factory(options), dir);
  } catch (e) {
    // Changed between our look and the factory's (another editor): same treatment.
    if ((e as Error).name !== 'SyntaxError' || !existsSync(path)) throw e;
    moveAside(path, 'corrupt', `is not valid JSON (${(e as Error).message})`, clock, log);
    return durable(factory(options), dir);
  }
}
