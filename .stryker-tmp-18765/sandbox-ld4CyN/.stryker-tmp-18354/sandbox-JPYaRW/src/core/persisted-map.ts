// @ts-nocheck
// 
// A small keyed state the engine owes across a restart (pending retries, fires held by a
// pause), kept in one private JSON file written atomically. A disk that refuses the write
// must not stop the schedules: the state stays in memory, the problem is reported once to
// StorageHealth, and the write is tried again every few seconds and with every change.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Logger } from './log';
import { writePrivateAtomic } from './private-fs';
import { isFsError, type StorageHealth } from './storage-health';
import type { Timers } from './timers';

/** How often a refused write is tried again while the state differs from the file. */
export const PERSIST_RETRY_MS = 10_000;

export interface PersistedMapOptions<V> {
  path: string;
  /** What an entry must look like; anything else in the file is dropped with a warning. */
  entry: z.ZodType<V>;
  log: Logger;
  timers: Timers;
  health?: StorageHealth;
}

export class PersistedMap<V> {
  readonly #o: PersistedMapOptions<V>;
  readonly #items = new Map<string, V>();
  #dirty = false;
  #retry: unknown = null;

  constructor(options: PersistedMapOptions<V>) {
    this.#o = options;
  }

  /** Reads the file; a missing one is an empty state, a damaged one is logged and ignored. */
  load(): void {
    this.#items.clear();
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.#o.path, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#o.log.warn(`${this.#o.path} could not be read (${(e as Error).message}); ignored`);
      }
      return;
    }
    const entries =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw)
        ? (raw as { entries?: unknown }).entries
        : undefined;
    if (typeof entries !== 'object' || entries === null) return;
    for (const [key, value] of Object.entries(entries)) {
      const parsed = this.#o.entry.safeParse(value);
      if (parsed.success) this.#items.set(key, parsed.data);
      else this.#o.log.warn(`${this.#o.path}: entry ${key} is damaged and was dropped`);
    }
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): V | undefined {
    return this.#items.get(key);
  }

  values(): V[] {
    return [...this.#items.values()];
  }

  /** Sets and writes. */
  set(key: string, value: V): void {
    this.#items.set(key, value);
    this.#changed();
  }

  /** Sets in memory only: written with the next change (for details not worth a write). */
  touch(key: string, value: V): void {
    this.#items.set(key, value);
  }

  delete(key: string): V | undefined {
    const old = this.#items.get(key);
    if (old !== undefined && this.#items.delete(key)) this.#changed();
    return old;
  }

  /** Writes now if something is still unwritten (at shutdown); stops retrying. */
  close(): void {
    if (this.#retry !== null) this.#o.timers.clearTimeout(this.#retry);
    this.#retry = null;
    if (this.#dirty) this.#write();
  }

  #changed() {
    this.#dirty = true;
    this.#write();
  }

  #write() {
    try {
      writePrivateAtomic(
        this.#o.path,
        JSON.stringify({ v: 1, entries: Object.fromEntries(this.#items) }),
      );
      this.#dirty = false;
      this.#o.health?.succeeded('pending');
    } catch (e) {
      if (!isFsError(e)) throw e;
      if (this.#o.health) this.#o.health.failed('pending', this.#o.path, e);
      else this.#o.log.warn(`could not write ${this.#o.path}: ${e.message}`);
      this.#retry ??= this.#o.timers.setTimeout(() => {
        this.#retry = null;
        if (this.#dirty) this.#write();
      }, PERSIST_RETRY_MS);
    }
  }
}
