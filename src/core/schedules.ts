// Schedules and settings, persisted through a Conf-compatible store: `conf` under Node,
// electron-store in the tray app (same author, same file format), so either can own the data.
// A write the disk refuses changes nothing, in memory or on disk, and answers 507.
import { storedSettingsSchema, type StoredSettings } from '../shared/settings';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { isFsError, StorageHealth } from './storage-health';
import { backupCopy, openStoreFile, type ConfLike, type StoreFactory } from './store-file';
import { readStoredEntry, type StoredSchedule } from './stored-schedule';

export type { ConfLike, StoreFactory, StoreOptions } from './store-file';
export { STORE_CONFIG_NAME } from './store-file';
export type { StoredSchedule } from './stored-schedule';

export const STORE_SCHEMA_VERSION = 1;

const settingsSchema = storedSettingsSchema;

export type Settings = StoredSettings;

/** Migrations from version N to N+1, applied in order at open. */
type Migration = (
  read: (key: string) => unknown,
  write: (key: string, value: unknown) => void,
) => void;
const MIGRATIONS: Record<number, Migration> = {};

export class ScheduleRepository {
  readonly #conf: ConfLike;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #health: StorageHealth;
  // Conf re-reads the file on every get; the engine reads far more than it writes.
  readonly #schedules = new Map<string, StoredSchedule>();
  /** Entries that break the rules: the reason, and the stored value written back as it was. */
  readonly #broken = new Map<
    string,
    { error: string; fields: Record<string, string>; raw: unknown }
  >();
  #settings: Settings;

  private constructor(conf: ConfLike, clock: Clock, log: Logger, health: StorageHealth) {
    this.#conf = conf;
    this.#clock = clock;
    this.#log = log;
    this.#health = health;
    this.#migrate();
    this.#load();
    this.#settings = this.#loadSettings();
  }

  static open(
    factory: StoreFactory,
    dataDir: string,
    clock: Clock,
    log: Logger,
    health: StorageHealth = new StorageHealth(clock, log),
  ) {
    return new ScheduleRepository(openStoreFile(factory, dataDir, clock, log), clock, log, health);
  }

  get path(): string {
    return this.#conf.path;
  }

  /** A write made while opening: if the disk refuses, the app runs on what it read. */
  #writeAtOpen(write: () => void) {
    try {
      write();
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.#health.failed('store', this.#conf.path, e);
    }
  }

  #migrate() {
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
      const backup = backupCopy(this.#conf.path, `v${version}`, this.#clock);
      this.#log.info(
        `migrating store from version ${version} to ${STORE_SCHEMA_VERSION}; backup at ${backup}`,
      );
    }
    const read = (key: string) => this.#conf.get(key);
    const write = (key: string, value: unknown) => this.#conf.set(key, value);
    this.#writeAtOpen(() => {
      for (; version < STORE_SCHEMA_VERSION; version++) MIGRATIONS[version]?.(read, write);
      if (raw !== STORE_SCHEMA_VERSION) this.#conf.set('schemaVersion', STORE_SCHEMA_VERSION);
    });
  }

  #load() {
    const raw = this.#conf.get('schedules') ?? {};
    const entries = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : null;
    const dropped: string[] = [];
    for (const [key, value] of Object.entries(entries ?? {})) {
      const entry = readStoredEntry(key, value);
      if (entry.kind === 'unreadable') {
        dropped.push(key);
        continue;
      }
      this.#schedules.set(key, entry.schedule);
      if (entry.kind === 'broken') {
        this.#broken.set(key, { error: entry.error, fields: entry.fields, raw: entry.raw });
      }
    }
    if (entries === null || dropped.length > 0 || this.#broken.size > 0) {
      // Keep a copy of everything before anything is dropped or rewritten.
      const backup = backupCopy(this.#conf.path, 'invalid', this.#clock);
      if (entries === null || dropped.length > 0) {
        const what = entries === null ? 'the schedules section' : `schedules ${dropped.join(', ')}`;
        this.#log.error(
          `store ${this.#conf.path}: ${what} could not be read and were skipped; the full file is kept at ${backup}`,
        );
        this.#writeAtOpen(() => this.#persist(this.#schedules));
      }
      for (const [id, { error }] of this.#broken) {
        this.#log.error(
          `store ${this.#conf.path}: schedule ${id} breaks the rules (${error}); it will not run ` +
            `until it is fixed. A copy of the file is kept at ${backup}`,
        );
      }
    }
  }

  #loadSettings(): Settings {
    const parsed = settingsSchema.safeParse(this.#conf.get('settings') ?? {});
    if (parsed.success) return parsed.data;
    const backup = backupCopy(this.#conf.path, 'settings', this.#clock);
    this.#log.warn(
      `store ${this.#conf.path}: settings were invalid and were reset to defaults; the old file is kept at ${backup}`,
    );
    const defaults = settingsSchema.parse({});
    this.#writeAtOpen(() => this.#conf.set('settings', defaults));
    return defaults;
  }

  #persist(schedules: ReadonlyMap<string, StoredSchedule>) {
    const out: Record<string, unknown> = {};
    for (const [id, s] of schedules) out[id] = this.#broken.get(id)?.raw ?? s;
    this.#conf.set('schedules', out);
  }

  /** Writes the next state, or leaves memory as it was and refuses with 507. */
  #commit(next: Map<string, StoredSchedule>) {
    try {
      this.#persist(next);
    } catch (e) {
      this.#health.refuse('store', this.#conf.path, e);
    }
    this.#health.succeeded('store');
    this.#schedules.clear();
    for (const [id, s] of next) this.#schedules.set(id, s);
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

  /** Why a stored schedule cannot run (it breaks the rules), or null. */
  error(id: string): string | null {
    return this.#broken.get(id)?.error ?? null;
  }

  /** The stored schedule's broken fields and their rules ({"cron": "minute must be…"}), or null. */
  brokenFields(id: string): Record<string, string> | null {
    return this.#broken.get(id)?.fields ?? null;
  }

  /** Stores a schedule that passed validation: a broken one is fixed by it. */
  put(schedule: StoredSchedule): void {
    const next = new Map(this.#schedules).set(schedule.id, schedule);
    const broken = this.#broken.get(schedule.id);
    this.#broken.delete(schedule.id);
    try {
      this.#commit(next);
    } catch (e) {
      if (broken) this.#broken.set(schedule.id, broken);
      throw e;
    }
  }

  /** Several validated schedules in one write of the file (a batch): all or none. */
  putMany(schedules: StoredSchedule[]): void {
    const next = new Map(this.#schedules);
    for (const s of schedules) next.set(s.id, s);
    this.#commit(next);
    for (const s of schedules) this.#broken.delete(s.id);
  }

  /** Every schedule and the settings replaced in one write (restoring a backup). */
  replaceAll(schedules: StoredSchedule[], settings: Settings): void {
    const parsed = settingsSchema.parse(settings);
    const next = new Map(schedules.map((s) => [s.id, s]));
    const out = Object.fromEntries(next);
    try {
      this.#conf.set('schedules', out);
      this.#conf.set('settings', parsed);
    } catch (e) {
      this.#health.refuse('store', this.#conf.path, e);
    }
    this.#health.succeeded('store');
    this.#broken.clear();
    this.#schedules.clear();
    for (const [id, s] of next) this.#schedules.set(id, s);
    this.#settings = parsed;
  }

  delete(id: string): boolean {
    if (!this.#schedules.has(id)) return false;
    const next = new Map(this.#schedules);
    next.delete(id);
    this.#commit(next);
    this.#broken.delete(id);
    return true;
  }

  settings(): Settings {
    return this.#settings;
  }

  updateSettings(next: Settings): Settings {
    const parsed = settingsSchema.parse(next);
    try {
      this.#conf.set('settings', parsed);
    } catch (e) {
      this.#health.refuse('store', this.#conf.path, e);
    }
    this.#health.succeeded('store');
    this.#settings = parsed;
    return this.#settings;
  }
}
