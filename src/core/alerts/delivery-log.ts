// The record of each alert sent for a run, shown on the run (`deliveries`). Kept beside the
// history, not in it: the history index holds every run in a few hundred bytes, and these
// records are read only when a run is.
//
//   <data-dir>/deliveries/<schedule_id>.jsonl   {"run":"run_…", …Delivery} per line, appended
//
// A file is trimmed to its newest half once it passes DELIVERY_FILE_MAX_BYTES (the records of
// the last few hundred runs stay). Only schedules read lately are held in memory. A disk that
// refuses a record does not lose it: it waits in memory (bounded) and is written with the next
// one or within 10 s, and StorageHealth hears about it (scope `deliveries`).
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Delivery } from '../../shared/types';
import { SAFE_ID } from '../history-files';
import type { Logger } from '../log';
import { appendPrivate, mkdirPrivate, writePrivateAtomic } from '../private-fs';
import { isFsError, type StorageHealth } from '../storage-health';
import type { Timers } from '../timers';

export const DELIVERY_FILE_MAX_BYTES = 128 * 1024;
/** Schedules whose records are held in memory at once (the ones read last). */
const LOADED_MAX = 16;
/** Records the disk refused, held for a later write; past this the oldest are dropped. */
const UNWRITTEN_MAX = 1000;
const RETRY_MS = 10_000;

type RunRecords = Map<string, Delivery[]>;

function isDelivery(v: Record<string, unknown>): boolean {
  return (
    (v.channel === 'webhook' || v.channel === 'ping') &&
    typeof v.event === 'string' &&
    typeof v.url === 'string' &&
    typeof v.at === 'string' &&
    typeof v.attempts === 'number' &&
    typeof v.ok === 'boolean'
  );
}

export class DeliveryLog {
  readonly #dir: string;
  readonly #log: Logger;
  readonly #health: StorageHealth | undefined;
  readonly #timers: Timers;
  readonly #loaded = new Map<string, RunRecords>();
  /** Bytes on disk per schedule file, as far as this process knows. */
  readonly #sizes = new Map<string, number>();
  #unwritten: { scheduleId: string; line: string }[] = [];
  #retry: unknown = null;

  constructor(o: { dir: string; log: Logger; health?: StorageHealth; timers: Timers }) {
    this.#dir = o.dir;
    this.#log = o.log;
    this.#health = o.health;
    this.#timers = o.timers;
  }

  #path(scheduleId: string): string {
    return join(this.#dir, `${scheduleId}.jsonl`);
  }

  record(scheduleId: string, runId: string, delivery: Delivery): void {
    if (!SAFE_ID.test(scheduleId) || !SAFE_ID.test(runId)) return;
    const loaded = this.#loaded.get(scheduleId);
    if (loaded) loaded.set(runId, [...(loaded.get(runId) ?? []), delivery]);
    this.#unwritten.push({ scheduleId, line: `${JSON.stringify({ run: runId, ...delivery })}\n` });
    if (this.#unwritten.length > UNWRITTEN_MAX) {
      this.#unwritten.shift();
      this.#log.warn('alerts: a delivery record was lost: the disk refused too many');
    }
    this.#flush();
  }

  /** The records of one run, oldest first. */
  forRun(scheduleId: string, runId: string): Delivery[] {
    if (!SAFE_ID.test(scheduleId)) return [];
    return this.#load(scheduleId).get(runId) ?? [];
  }

  deleteSchedule(scheduleId: string): void {
    this.#loaded.delete(scheduleId);
    this.#sizes.delete(scheduleId);
    this.#unwritten = this.#unwritten.filter((u) => u.scheduleId !== scheduleId);
    if (!SAFE_ID.test(scheduleId)) return;
    try {
      rmSync(this.#path(scheduleId), { force: true });
    } catch (e) {
      this.#log.warn(`alerts: could not remove ${this.#path(scheduleId)}: ${(e as Error).message}`);
    }
  }

  /** Writes what waits, once more, and stops retrying (the app is stopping). */
  close(): void {
    if (this.#retry !== null) this.#timers.clearTimeout(this.#retry);
    this.#retry = null;
    this.#flush(false);
  }

  #load(scheduleId: string): RunRecords {
    const known = this.#loaded.get(scheduleId);
    if (known) {
      // Most recently read last: the first entry is the one to let go.
      this.#loaded.delete(scheduleId);
      this.#loaded.set(scheduleId, known);
      return known;
    }
    const records: RunRecords = new Map();
    const lines = [this.#read(scheduleId)];
    for (const u of this.#unwritten) if (u.scheduleId === scheduleId) lines.push(u.line);
    for (const line of lines.join('').split('\n')) {
      try {
        const { run, ...rest } = JSON.parse(line) as Record<string, unknown>;
        if (typeof run !== 'string' || !isDelivery(rest)) continue;
        records.set(run, [...(records.get(run) ?? []), rest as unknown as Delivery]);
      } catch {
        // An empty line, or one cut by a crash: the others still show.
      }
    }
    this.#loaded.set(scheduleId, records);
    if (this.#loaded.size > LOADED_MAX) {
      this.#loaded.delete(this.#loaded.keys().next().value as string);
    }
    return records;
  }

  #read(scheduleId: string): string {
    try {
      return readFileSync(this.#path(scheduleId), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#log.warn(
          `alerts: ${this.#path(scheduleId)} could not be read: ${(e as Error).message}`,
        );
      }
      return '';
    }
  }

  #flush(retryLater = true) {
    const trimmed = new Set<string>();
    try {
      mkdirPrivate(this.#dir);
      while (this.#unwritten.length > 0) {
        const { scheduleId, line } = this.#unwritten[0] as { scheduleId: string; line: string };
        appendPrivate(this.#path(scheduleId), line);
        this.#unwritten.shift();
        const size = (this.#sizes.get(scheduleId) ?? this.#sizeOnDisk(scheduleId)) + line.length;
        this.#sizes.set(scheduleId, size);
        if (size > DELIVERY_FILE_MAX_BYTES) trimmed.add(scheduleId);
      }
      for (const id of trimmed) this.#trim(id);
      this.#health?.succeeded('deliveries');
    } catch (e) {
      if (!isFsError(e)) throw e;
      if (this.#health) this.#health.failed('deliveries', this.#dir, e);
      else this.#log.warn(`alerts: could not write ${this.#dir}: ${e.message}`);
      if (retryLater && this.#retry === null) {
        this.#retry = this.#timers.setTimeout(() => {
          this.#retry = null;
          this.#flush();
        }, RETRY_MS);
      }
    }
  }

  #sizeOnDisk(scheduleId: string): number {
    try {
      return statSync(this.#path(scheduleId)).size;
    } catch {
      return 0;
    }
  }

  /** Keeps the newest half of a file that grew past its cap. */
  #trim(scheduleId: string) {
    const lines = this.#read(scheduleId).split('\n').filter(Boolean);
    const kept: string[] = [];
    let bytes = 0;
    for (let i = lines.length - 1; i >= 0; i--) {
      bytes += (lines[i] as string).length + 1;
      if (bytes > DELIVERY_FILE_MAX_BYTES / 2) break;
      kept.unshift(lines[i] as string);
    }
    const text = kept.map((l) => `${l}\n`).join('');
    writePrivateAtomic(this.#path(scheduleId), text);
    this.#sizes.set(scheduleId, text.length);
    this.#loaded.delete(scheduleId); // read again, as trimmed, when next asked
  }
}
