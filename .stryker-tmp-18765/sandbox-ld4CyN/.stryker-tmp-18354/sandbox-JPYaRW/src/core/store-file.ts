// @ts-nocheck
// 
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
import { digestOf } from './store-trust';

/** The subset of Conf / electron-store we rely on. */
export interface ConfLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** Several keys in one write of the file. */
  set(values: Record<string, unknown>): void;
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

type Read =
  | { data: Record<string, unknown>; digest: string | null }
  | { problem: { why: string; reason: string } };

/** The file's content, or why it cannot be used as a store (missing and empty are fine). */
function read(path: string): Read {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { data: {}, digest: null };
    if (code === 'EISDIR')
      return { problem: { why: 'unreadable', reason: 'is a folder, not a file' } };
    throw e; // EACCES and the like: not ours to move; the caller says what is wrong
  }
  if (text.trim() === '') return { data: {}, digest: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { problem: { why: 'corrupt', reason: `is not valid JSON (${(e as Error).message})` } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed;
    return { problem: { why: 'not-an-object', reason: `holds ${kind}, not an object` } };
  }
  return { data: parsed as Record<string, unknown>, digest: digestOf(text) };
}

/**
 * conf and electron-store write a temp file, fsync it and rename it over the store; the
 * rename itself is durable only once the folder is synced too. Only then is a write acknowledged.
 * The store object is made on first use: its constructor reads and parses the whole file,
 * which this module has just done (~50 ms with 10,000 schedules), and reads go through the
 * journal's replay, not through it.
 */
function durable(make: () => ConfLike, dir: string, path: string): ConfLike {
  let conf: ConfLike | null = null;
  const store = () => (conf ??= make());
  return {
    get: (key) => store().get(key),
    set: (key: string | Record<string, unknown>, value?: unknown) => {
      if (typeof key === 'string') store().set(key, value);
      else store().set(key);
      syncDir(dir);
    },
    path,
  };
}

/**
 * The store and what it held when opened (read once here: conf re-reads and re-parses the
 * whole file on every get).
 */
export function openStoreFile(
  factory: StoreFactory,
  dir: string,
  clock: Clock,
  log: Logger,
): { conf: ConfLike; data: Record<string, unknown>; digest: string | null } {
  const path = join(dir, `${STORE_CONFIG_NAME}.json`);
  const options = { cwd: dir, configName: STORE_CONFIG_NAME, configFileMode: 0o600 };
  const first = read(path);
  let data: Record<string, unknown> = {};
  let digest: string | null = null;
  if ('problem' in first) moveAside(path, first.problem.why, first.problem.reason, clock, log);
  else ({ data, digest } = first);
  const make = () => {
    try {
      return factory(options);
    } catch (e) {
      // Edited by hand since we read it: moved aside like at open; memory holds the state.
      if ((e as Error).name !== 'SyntaxError' || !existsSync(path)) throw e;
      moveAside(path, 'corrupt', `is not valid JSON (${(e as Error).message})`, clock, log);
      return factory(options);
    }
  };
  return { conf: durable(make, dir, path), data, digest };
}
