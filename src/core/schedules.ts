// Schedules and settings, persisted through a Conf-compatible store: `conf` under Node,
// electron-store in the tray app (same author, same file format), so either can own the data.
import { chmodSync, copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Schedule } from '../shared/types';
import { storedSettingsSchema, type StoredSettings } from '../shared/settings';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { PRIVATE_FILE_MODE } from './private-fs';

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
export const STORE_SCHEMA_VERSION = 1;

/**
 * A schedule as kept on disk: what the user wrote plus timestamps. The machine is always
 * this one, and next/last run and running are derived, so none of them is stored.
 * created_at/updated_at keep milliseconds, so creation order holds within one second.
 */
export type StoredSchedule = Omit<Schedule, 'machine_id' | 'next_run' | 'last_run' | 'running'>;

export const storedScheduleSchema = z.object({
  id: z.string().regex(/^sched_[0-9A-Za-z]+$/),
  name: z.string().min(1),
  description: z.string(),
  command: z.string().min(1),
  cron: z.string().min(1),
  enabled: z.boolean(),
  timezone: z.string().min(1),
  timeout: z.number().int().positive().nullable(),
  notify: z.object({ on_success: z.boolean(), on_failure: z.boolean() }),
  cwd: z.string().nullable(),
  env: z.record(z.string(), z.string()),
  overlap: z.enum(['skip', 'allow']),
  catch_up: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

const settingsSchema = storedSettingsSchema;

export type Settings = StoredSettings;

/** Migrations from version N to N+1, applied in order at open. */
type Migration = (
  read: (key: string) => unknown,
  write: (key: string, value: unknown) => void,
) => void;
const MIGRATIONS: Record<number, Migration> = {};

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `<file>.<why>-<time>.bak`, numbered when two recoveries happen within one second. */
function backupPath(file: string, why: string, ms: number): string {
  const base = `${file}.${why}-${stamp(ms)}`;
  let path = `${base}.bak`;
  for (let n = 2; existsSync(path); n++) path = `${base}-${n}.bak`;
  return path;
}

function openConf(factory: StoreFactory, dir: string, clock: Clock, log: Logger): ConfLike {
  const path = join(dir, `${STORE_CONFIG_NAME}.json`);
  const options = { cwd: dir, configName: STORE_CONFIG_NAME, configFileMode: 0o600 };
  try {
    return factory(options);
  } catch (e) {
    if ((e as Error).name !== 'SyntaxError' || !existsSync(path)) throw e;
    const backup = backupPath(path, 'corrupt', clock.now());
    renameSync(path, backup);
    chmodSync(backup, PRIVATE_FILE_MODE);
    log.error(
      `store file ${path} is not valid JSON (${(e as Error).message}); ` +
        `moved it to ${backup} and started with an empty store. Restore from that file if needed.`,
    );
    return factory(options);
  }
}

export class ScheduleRepository {
  readonly #conf: ConfLike;
  // Conf re-reads the file on every get; the engine reads far more than it writes.
  readonly #schedules = new Map<string, StoredSchedule>();
  #settings: Settings;

  private constructor(conf: ConfLike, clock: Clock, log: Logger) {
    this.#conf = conf;
    this.#migrate(clock, log);
    this.#load(clock, log);
    this.#settings = this.#loadSettings(log);
  }

  static open(factory: StoreFactory, dataDir: string, clock: Clock, log: Logger) {
    return new ScheduleRepository(openConf(factory, dataDir, clock, log), clock, log);
  }

  get path(): string {
    return this.#conf.path;
  }

  #backup(clock: Clock, why: string): string {
    const backup = backupPath(this.#conf.path, why, clock.now());
    copyFileSync(this.#conf.path, backup);
    chmodSync(backup, PRIVATE_FILE_MODE); // a copy keeps the source's mode, which may be loose
    return backup;
  }

  #migrate(clock: Clock, log: Logger) {
    const raw = this.#conf.get('schemaVersion');
    const hasData = this.#conf.get('schedules') !== undefined;
    let version = typeof raw === 'number' ? raw : hasData ? 0 : STORE_SCHEMA_VERSION;
    if (version > STORE_SCHEMA_VERSION) {
      throw new Error(
        `${this.#conf.path} was written by a newer Cmdop Scheduler (store version ${version}, ` +
          `this one knows ${STORE_SCHEMA_VERSION}). Upgrade the app; the file was left untouched.`,
      );
    }
    if (version < STORE_SCHEMA_VERSION && hasData) {
      const backup = this.#backup(clock, `v${version}`);
      log.info(
        `migrating store from version ${version} to ${STORE_SCHEMA_VERSION}; backup at ${backup}`,
      );
    }
    const read = (key: string) => this.#conf.get(key);
    const write = (key: string, value: unknown) => this.#conf.set(key, value);
    for (; version < STORE_SCHEMA_VERSION; version++) MIGRATIONS[version]?.(read, write);
    if (raw !== STORE_SCHEMA_VERSION) this.#conf.set('schemaVersion', STORE_SCHEMA_VERSION);
  }

  #load(clock: Clock, log: Logger) {
    const raw = this.#conf.get('schedules') ?? {};
    const entries = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : null;
    const dropped: string[] = [];
    for (const [key, value] of Object.entries(entries ?? {})) {
      const parsed = storedScheduleSchema.safeParse(value);
      if (parsed.success && parsed.data.id === key) this.#schedules.set(key, parsed.data);
      else dropped.push(key);
    }
    if (entries === null || dropped.length > 0) {
      // Keep a copy of everything before dropping what cannot be read.
      const backup = this.#backup(clock, 'invalid');
      const what = entries === null ? 'the schedules section' : `schedules ${dropped.join(', ')}`;
      log.error(
        `store ${this.#conf.path}: ${what} could not be read and were skipped; the full file is kept at ${backup}`,
      );
      this.#persist();
    }
  }

  #loadSettings(log: Logger): Settings {
    const parsed = settingsSchema.safeParse(this.#conf.get('settings') ?? {});
    if (parsed.success) return parsed.data;
    log.warn(`store ${this.#conf.path}: settings were invalid and were reset to defaults`);
    const defaults = settingsSchema.parse({});
    this.#conf.set('settings', defaults);
    return defaults;
  }

  #persist() {
    this.#conf.set('schedules', Object.fromEntries(this.#schedules));
  }

  /** All schedules, ordered by creation time then id (the API's list order). */
  all(): StoredSchedule[] {
    return [...this.#schedules.values()].sort(
      (a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
    );
  }

  get(id: string): StoredSchedule | undefined {
    return this.#schedules.get(id);
  }

  put(schedule: StoredSchedule): void {
    this.#schedules.set(schedule.id, schedule);
    this.#persist();
  }

  /** Several schedules in one write of the file (a batch), not one write per schedule. */
  putMany(schedules: StoredSchedule[]): void {
    for (const s of schedules) this.#schedules.set(s.id, s);
    this.#persist();
  }

  /** Every schedule and the settings replaced in one write (restoring a backup). */
  replaceAll(schedules: StoredSchedule[], settings: Settings): void {
    this.#schedules.clear();
    for (const s of schedules) this.#schedules.set(s.id, s);
    this.#settings = settingsSchema.parse(settings);
    this.#persist();
    this.#conf.set('settings', this.#settings);
  }

  delete(id: string): boolean {
    const existed = this.#schedules.delete(id);
    if (existed) this.#persist();
    return existed;
  }

  settings(): Settings {
    return this.#settings;
  }

  updateSettings(next: Settings): Settings {
    this.#settings = settingsSchema.parse(next);
    this.#conf.set('settings', this.#settings);
    return this.#settings;
  }
}
