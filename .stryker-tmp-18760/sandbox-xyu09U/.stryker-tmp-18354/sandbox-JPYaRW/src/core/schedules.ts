// @ts-nocheck
// 
// Schedules and settings, persisted through a Conf-compatible store: `conf` under Node,
// electron-store in the tray app (same author, same file format), so either can own the data.
// Each change is a durable line in the journal (store-journal.ts) before it is acknowledged;
// config.json is rewritten from memory off the request path. A write the disk refuses
// changes nothing, in memory or on disk, and answers 507.
import { existsSync, readFileSync } from 'node:fs';
import { storedSettingsSchema, type StoredSettings } from '../shared/settings';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { writePrivateAtomic } from './private-fs';
import { isFsError, StorageHealth } from './storage-health';
import { backupCopy, openStoreFile, type ConfLike, type StoreFactory } from './store-file';
import { StoreJournal, type JournalOp } from './store-journal';
import { isTrusted, trustCurrent } from './store-trust';
import { readStoredEntry, type StoredSchedule } from './stored-schedule';

export type { ConfLike, StoreFactory, StoreOptions } from './store-file';
export { STORE_CONFIG_NAME } from './store-file';
export type { StoredSchedule } from './stored-schedule';

export const STORE_SCHEMA_VERSION = 1;
/** Rewrite config.json once the journal holds this many changes or bytes. */
export const COMPACT_LINES = 1000;
export const COMPACT_BYTES = 4 * 1024 * 1024;

const settingsSchema = storedSettingsSchema;

export type Settings = StoredSettings;

export interface RepositoryOptions {
  health?: StorageHealth;
  /** Runs a compaction later, off the request path; default setImmediate. */
  defer?: (fn: () => void) => void;
}

/** Creation order, the API's list order: created_at, then id. */
function before(a: StoredSchedule, b: StoredSchedule): boolean {
  return a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);
}

export class ScheduleRepository {
  readonly #conf: ConfLike;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #health: StorageHealth;
  readonly #journal: StoreJournal;
  readonly #dataDir: string;
  readonly #defer: (fn: () => void) => void;
  readonly #schedules = new Map<string, StoredSchedule>();
  /** The same schedules in list order, kept as they change: a list never sorts. */
  readonly #order: StoredSchedule[] = [];
  /** Entries that break the rules: the reason, and the stored value written back as it was. */
  readonly #broken = new Map<
    string,
    { error: string; fields: Record<string, string>; raw: unknown }
  >();
  #settings: Settings;
  #compactionQueued = false;

  private constructor(
    opened: { conf: ConfLike; data: Record<string, unknown>; digest: string | null },
    dataDir: string,
    clock: Clock,
    log: Logger,
    options: RepositoryOptions,
  ) {
    this.#conf = opened.conf;
    this.#clock = clock;
    this.#log = log;
    this.#health = options.health ?? new StorageHealth(clock, log);
    this.#defer = options.defer ?? ((fn) => void setImmediate(fn));
    this.#journal = new StoreJournal(dataDir);
    this.#dataDir = dataDir;
    const data = opened.data;
    this.#checkVersion(data);
    const ops = this.#readJournal();
    let schedules: unknown = data.schedules ?? {};
    let settings: unknown = data.settings ?? {};
    if (ops.length > 0) {
      const replayed = replay(schedules, settings, ops);
      schedules = replayed.schedules;
      settings = replayed.settings;
    }
    // Settings first: loading schedules may rewrite the file, settings included.
    this.#settings = this.#loadSettings(settings);
    const digest = opened.digest;
    const trusted = ops.length === 0 && digest !== null && isTrusted(dataDir, digest);
    this.#load(schedules, trusted);
    if (!trusted && ops.length === 0 && digest !== null && this.#broken.size === 0) {
      trustCurrent(dataDir, this.#conf.path); // validated in full just now: the next start need not
    }
    // The file of record should hold everything; a journal left by a crash is folded in soon.
    if (ops.length > 0) this.#queueCompaction();
  }

  static open(
    factory: StoreFactory,
    dataDir: string,
    clock: Clock,
    log: Logger,
    options: RepositoryOptions | StorageHealth = {},
  ) {
    const o = options instanceof StorageHealth ? { health: options } : options;
    return new ScheduleRepository(
      openStoreFile(factory, dataDir, clock, log),
      dataDir,
      clock,
      log,
      o,
    );
  }

  get path(): string {
    return this.#conf.path;
  }

  #checkVersion(data: Record<string, unknown>) {
    const raw = data.schemaVersion;
    const version =
      typeof raw === 'number' ? raw : data.schedules !== undefined ? 0 : STORE_SCHEMA_VERSION;
    if (version > STORE_SCHEMA_VERSION) {
      throw new Error(
        `${this.#conf.path} was written by a newer Cmdop Scheduler (store version ${version}, ` +
          `this one knows ${STORE_SCHEMA_VERSION}). Upgrade the app; the file was left untouched.`,
      );
    }
    if (version < STORE_SCHEMA_VERSION) {
      // Version 0 (no schemaVersion) reads as version 1; the next rewrite writes the number.
      const backup = backupCopy(this.#conf.path, `v${version}`, this.#clock);
      this.#log.info(
        `migrating store from version ${version} to ${STORE_SCHEMA_VERSION}; backup at ${backup}`,
      );
      this.#queueCompaction();
    }
  }

  #readJournal(): JournalOp[] {
    try {
      const { ops, bad } = this.#journal.read();
      if (bad > 0) {
        this.#log.warn(`store: ${this.#journal.path}: skipped ${bad} unreadable change(s)`);
      }
      return ops;
    } catch (e) {
      if (!isFsError(e)) throw e;
      // Unreadable (a folder, a bad sector): the state of config.json is the best there is.
      this.#log.error(
        `store: ${this.#journal.path} could not be read (${e.code}); changes since the last ` +
          'rewrite of config.json are not shown. Remove or repair it.',
      );
      return [];
    }
  }

  /** `trusted`: config.json is the file this app validated and wrote (store-trust.ts). */
  #load(raw: unknown, trusted: boolean) {
    const entries = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : null;
    const dropped: string[] = [];
    for (const [key, value] of Object.entries(entries ?? {})) {
      if (trusted && (value as { id?: unknown } | null)?.id === key) {
        this.#set(value as StoredSchedule);
        continue;
      }
      const entry = readStoredEntry(key, value);
      if (entry.kind === 'unreadable') {
        dropped.push(key);
        continue;
      }
      this.#set(entry.schedule);
      if (entry.kind === 'broken') {
        this.#broken.set(key, { error: entry.error, fields: entry.fields, raw: entry.raw });
      }
    }
    if (entries === null || dropped.length > 0 || this.#broken.size > 0) {
      // Keep a copy of everything before anything is dropped or rewritten.
      const backup = this.#backup('invalid');
      if (entries === null || dropped.length > 0) {
        const what = entries === null ? 'the schedules section' : `schedules ${dropped.join(', ')}`;
        this.#log.error(
          `store ${this.#conf.path}: ${what} could not be read and were skipped; the full file is kept at ${backup}`,
        );
        this.compact();
      }
      for (const [id, { error }] of this.#broken) {
        this.#log.error(
          `store ${this.#conf.path}: schedule ${id} breaks the rules (${error}); it will not run ` +
            `until it is fixed. A copy of the file is kept at ${backup}`,
        );
      }
    }
  }

  #loadSettings(raw: unknown): Settings {
    const parsed = settingsSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const backup = this.#backup('settings');
    this.#log.warn(
      `store ${this.#conf.path}: settings were invalid and were reset to defaults; the old file is kept at ${backup}`,
    );
    return settingsSchema.parse({});
  }

  /** A private copy of the store file, and of the journal when it holds changes. */
  #backup(why: string): string {
    const journal =
      this.#journal.lines > 0 ? backupCopy(this.#journal.path, why, this.#clock) : null;
    if (!existsSync(this.#conf.path)) return journal ?? '(nothing on disk yet)';
    const store = backupCopy(this.#conf.path, why, this.#clock);
    return journal ? `${store} and ${journal}` : store;
  }

  // --- the in-memory state -------------------------------------------------------------

  #set(s: StoredSchedule) {
    const old = this.#schedules.get(s.id);
    this.#schedules.set(s.id, s);
    if (old) {
      const at = this.#order.indexOf(old);
      if (old.created_at === s.created_at) {
        this.#order[at] = s;
        return;
      }
      this.#order.splice(at, 1);
    }
    const order = this.#order;
    const last = order[order.length - 1];
    if (!last || before(last, s)) {
      order.push(s); // the usual case: created now, so newest
      return;
    }
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(order[mid] as StoredSchedule, s)) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, s);
  }

  #unset(id: string) {
    const old = this.#schedules.get(id);
    if (!old) return;
    this.#schedules.delete(id);
    this.#order.splice(this.#order.indexOf(old), 1);
  }

  /** The file's view of the schedules: a broken one as it was stored, untouched. */
  #fileSchedules(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const s of this.#order) out[s.id] = this.#broken.get(s.id)?.raw ?? s;
    return out;
  }

  // --- writes -------------------------------------------------------------------------

  /** Makes a change durable, or refuses with 507 before anything changes. */
  #write(op: JournalOp) {
    try {
      this.#journal.append(op);
    } catch (e) {
      this.#health.refuse('store', this.#journal.path, e);
    }
    this.#health.succeeded('store');
    if (this.#journal.lines >= COMPACT_LINES || this.#journal.bytes >= COMPACT_BYTES) {
      this.#queueCompaction();
    }
  }

  #queueCompaction() {
    if (this.#compactionQueued) return;
    this.#compactionQueued = true;
    this.#defer(() => {
      this.#compactionQueued = false;
      this.compact();
    });
  }

  /**
   * Rewrites config.json from memory and empties the journal. A failure (a full disk) keeps
   * the journal, which still holds every change: nothing is lost, the next try catches up.
   */
  compact(): boolean {
    try {
      this.#conf.set({
        schemaVersion: STORE_SCHEMA_VERSION,
        schedules: this.#fileSchedules(),
        settings: this.#settings,
      });
      this.#journal.reset();
      if (this.#broken.size === 0) trustCurrent(this.#dataDir, this.#conf.path);
      return true;
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.#health.failed('store', this.#conf.path, e);
      return false;
    }
  }

  /** On the way out: config.json holds everything, for the next owner or an older version. */
  close(): void {
    if (this.#journal.lines > 0) this.compact();
    this.#journal.close();
  }

  /**
   * Writes the whole store as it is now to `path` (a backup): config.json itself when the
   * journal is empty (a file copy), else a snapshot from memory.
   */
  copyTo(path: string): void {
    const text =
      this.#journal.lines === 0 && existsSync(this.#conf.path)
        ? readFileSync(this.#conf.path)
        : JSON.stringify({
            schemaVersion: STORE_SCHEMA_VERSION,
            schedules: this.#fileSchedules(),
            settings: this.#settings,
          });
    writePrivateAtomic(path, text, { durable: true });
  }

  /** All schedules in the API's list order (creation time, then id). Do not modify. */
  all(): readonly StoredSchedule[] {
    return this.#order;
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
    this.putMany([schedule]);
  }

  /** Several validated schedules in one durable write (a batch): all or none. */
  putMany(schedules: StoredSchedule[]): void {
    this.#write({ op: 'put', schedules });
    for (const s of schedules) {
      this.#broken.delete(s.id);
      this.#set(s);
    }
  }

  delete(id: string): boolean {
    if (!this.#schedules.has(id)) return false;
    this.#write({ op: 'delete', id });
    this.#broken.delete(id);
    this.#unset(id);
    return true;
  }

  /** Every schedule and the settings replaced at once (restoring a backup): all or none. */
  replaceAll(schedules: StoredSchedule[], settings: Settings): void {
    const parsed = settingsSchema.parse(settings);
    try {
      this.#conf.set({
        schemaVersion: STORE_SCHEMA_VERSION,
        schedules: Object.fromEntries(schedules.map((s) => [s.id, s])),
        settings: parsed,
      });
      this.#journal.reset();
    } catch (e) {
      this.#health.refuse('store', this.#conf.path, e);
    }
    this.#health.succeeded('store');
    this.#broken.clear();
    for (const s of [...this.#order]) this.#unset(s.id);
    for (const s of schedules) this.#set(s);
    this.#settings = parsed;
  }

  settings(): Settings {
    return this.#settings;
  }

  updateSettings(next: Settings): Settings {
    const parsed = settingsSchema.parse(next);
    this.#write({ op: 'settings', settings: parsed });
    this.#settings = parsed;
    return this.#settings;
  }
}

/** The journal's changes over what config.json held. */
function replay(
  schedules: unknown,
  settings: unknown,
  ops: JournalOp[],
): { schedules: Record<string, unknown>; settings: unknown } {
  const out: Record<string, unknown> =
    typeof schedules === 'object' && schedules !== null && !Array.isArray(schedules)
      ? { ...(schedules as Record<string, unknown>) }
      : {};
  let s = settings;
  for (const op of ops) {
    if (op.op === 'put') {
      for (const item of op.schedules) {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === 'string') out[id] = item;
      }
    } else if (op.op === 'delete') {
      delete out[op.id];
    } else {
      s = op.settings;
    }
  }
  return { schedules: out, settings: s };
}
