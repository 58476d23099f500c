// Automatic backups of the store: a copy of config.json in `backups/` once a day (checked at
// start and every hour, so a laptop that sleeps through the night still gets one), seven of
// each kind kept. A restore first copies the current store, so it can be undone, then swaps
// schedules and settings in one write and tells the engine.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../shared/errors';
import {
  BACKUP_NAME,
  BACKUPS_KEPT,
  restoreSchema,
  type BackupInfo,
  type BackupKind,
  type BackupsApi,
  type RestoreInput,
  type RestoreResult,
} from '../shared/backups';
import { parseInput } from '../shared/schemas';
import { storedSettingsSchema } from '../shared/settings';
import type { Clock } from '../shared/time';
import { formatTimestamp } from '../shared/time';
import type { Logger } from './log';
import { mkdirPrivate } from './private-fs';
import { STORE_SCHEMA_VERSION, type Settings, type StoredSchedule } from './schedules';
import { readStoredEntry } from './stored-schedule';
import type { Timers } from './timers';

export const BACKUP_DIR = 'backups';
const DAY_MS = 86_400_000;
/** How often the daily copy is looked for; a timer that long survives sleep well enough. */
const CHECK_MS = 3600_000;

export interface BackupsOptions {
  dataDir: string;
  /**
   * Writes the store as it is now to a path. Not a plain copy of config.json: recent changes
   * may still be only in its journal.
   */
  copyTo: (path: string) => void;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** Puts a restored store's schedules and settings in place. */
  apply(schedules: StoredSchedule[], settings: Settings): void;
}

function stamp(ms: number): string {
  return formatTimestamp(ms).replace(/[-:]/g, '');
}

function parseStamp(text: string): number {
  // Stryker disable next-line Regex: text is a stamp BACKUP_NAME matched whole; anchors add nothing
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : 0;
}

/** A store file's schedules and settings, each checked; throws naming what is wrong. */
function readStore(path: string): { schedules: StoredSchedule[]; settings: Settings } {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error('it is not a JSON object');
  }
  const version = data.schemaVersion ?? 0;
  if (typeof version !== 'number' || version > STORE_SCHEMA_VERSION) {
    throw new Error(`it was written by a newer Cmdop Scheduler (store version ${String(version)})`);
  }
  const raw = data.schedules ?? {}; // null too: read as no schedules
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error('its schedules are not an object');
  }
  const schedules: StoredSchedule[] = [];
  for (const [key, value] of Object.entries(raw)) {
    // The same rules as loading the store: a backup that breaks them is not restored.
    const entry = readStoredEntry(key, value);
    if (entry.kind === 'unreadable') throw new Error(`schedule ${key} cannot be read`);
    if (entry.kind === 'broken')
      throw new Error(`schedule ${key} breaks the rules: ${entry.error}`);
    schedules.push(entry.schedule);
  }
  const settings = storedSettingsSchema.safeParse(data.settings ?? {});
  if (!settings.success) throw new Error('its settings cannot be read');
  return { schedules, settings: settings.data };
}

export class Backups implements BackupsApi {
  readonly #o: BackupsOptions;
  readonly #dir: string;
  #timer: unknown = null;

  constructor(options: BackupsOptions) {
    this.#o = options;
    this.#dir = join(options.dataDir, BACKUP_DIR);
  }

  /** Makes today's copy if it is due, then looks again every hour. */
  start(): void {
    this.#daily();
    const tick = () => {
      this.#daily();
      this.#timer = this.#o.timers.setTimeout(tick, CHECK_MS);
      (this.#timer as { unref?: () => void } | null)?.unref?.();
    };
    this.#timer = this.#o.timers.setTimeout(tick, CHECK_MS);
    (this.#timer as { unref?: () => void } | null)?.unref?.();
  }

  stop(): void {
    // Stryker disable next-line ConditionalExpression: clearing a null timer does nothing
    if (this.#timer !== null) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #daily(): void {
    try {
      const newest = this.#names().find((b) => b.kind === 'daily');
      const due = !newest || this.#o.clock.now() - Date.parse(newest.created_at) >= DAY_MS;
      if (due) this.#copy('daily');
    } catch (e) {
      // A full disk must not stop the schedules; the next hourly check tries again.
      this.#o.log.error(`daily backup of the store failed: ${(e as Error).message}`);
    }
  }

  /** What a backup holds; `id` is a name BACKUP_NAME matched. */
  #info(id: string): BackupInfo {
    const m = BACKUP_NAME.exec(id) as RegExpExecArray;
    const path = join(this.#dir, id);
    let schedules: number | null;
    try {
      schedules = readStore(path).schedules.length;
    } catch {
      schedules = null;
    }
    return {
      id,
      kind: m[2] as BackupKind,
      created_at: formatTimestamp(parseStamp(m[1] as string)),
      size: statSync(path).size,
      schedules,
    };
  }

  /** Newest first, with what the names say: cheap (the daily check runs at every start). */
  #names(): { id: string; kind: BackupKind; created_at: string }[] {
    if (!existsSync(this.#dir)) return [];
    const ids = readdirSync(this.#dir).filter((n) => BACKUP_NAME.test(n));
    const order = (id: string) => {
      const m = BACKUP_NAME.exec(id) as RegExpExecArray;
      return [m[1] as string, Number(m[3] ?? 1)] as const;
    };
    ids.sort((a, b) => {
      const [sa, na] = order(a);
      const [sb, nb] = order(b);
      return sb.localeCompare(sa) || nb - na;
    });
    return ids.map((id) => {
      const m = BACKUP_NAME.exec(id) as RegExpExecArray;
      return {
        id,
        kind: m[2] as BackupKind,
        created_at: formatTimestamp(parseStamp(m[1] as string)),
      };
    });
  }

  /** Newest first, each read to count its schedules (for the list a person looks at). */
  #all(): BackupInfo[] {
    return this.#names().map((b) => this.#info(b.id));
  }

  /** Writes a backup and prunes its kind; returns its id (reading it back is for callers who show it). */
  #copy(kind: BackupKind): string {
    mkdirPrivate(this.#dir);
    const base = `config-${stamp(this.#o.clock.now())}-${kind}`;
    let id = `${base}.json`;
    for (let n = 2; existsSync(join(this.#dir, id)); n++) id = `${base}-${n}.json`;
    this.#o.copyTo(join(this.#dir, id));
    for (const old of this.#names()
      .filter((b) => b.kind === kind)
      .slice(BACKUPS_KEPT)) {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: just listed; force only covers a race
      rmSync(join(this.#dir, old.id), { force: true });
    }
    return id;
  }

  async listBackups(): Promise<BackupInfo[]> {
    return this.#all();
  }

  async createBackup(): Promise<BackupInfo> {
    return this.#info(this.#copy('manual'));
  }

  async restoreBackup(id: string, options: RestoreInput = {}): Promise<RestoreResult> {
    parseInput(restoreSchema, options, 'restore');
    if (!BACKUP_NAME.test(id) || !existsSync(join(this.#dir, id))) {
      throw ApiError.notFound('Backup', id);
    }
    const restored = this.#info(id);
    let store: ReturnType<typeof readStore>;
    try {
      store = readStore(join(this.#dir, id));
    } catch (e) {
      throw new ApiError('conflict', `Backup ${id} cannot be restored: ${(e as Error).message}`);
    }
    const previous = this.#info(this.#copy('before-restore'));
    this.#o.apply(store.schedules, store.settings);
    this.#o.log.info(
      `restored ${id} (${store.schedules.length} schedules); the store before it is ${previous.id}`,
    );
    return { restored, previous, schedules: store.schedules.length };
  }
}
