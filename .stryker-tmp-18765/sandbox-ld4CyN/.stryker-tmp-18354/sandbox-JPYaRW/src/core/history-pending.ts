// @ts-nocheck
// 
// History records the disk refused (full, read-only, failing), kept in memory in order
// until they can be written. Bounded: a disk that stays full for days must not also fill
// the memory, so past the bounds the oldest output goes first, then the oldest records,
// each loss logged with a count.
import type { HistoryRecord } from './history-record';
import type { Logger } from './log';

export interface PendingWrite extends HistoryRecord {
  stdout: string;
  stderr: string;
  /** The run had output on disk and this newer record has none: remove the old file. */
  dropOutput: boolean;
}

export const PENDING_MAX_RECORDS = 10_000;
export const PENDING_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export class PendingWrites {
  readonly #queue: PendingWrite[] = [];
  /** Newest pending output per run id, for reads while it is not on disk. */
  readonly #outputs = new Map<string, PendingWrite>();
  /** Output bytes each write holds against the bound (a drop note counts as none). */
  readonly #counted = new Map<PendingWrite, number>();
  #outputBytes = 0;
  #lostRecords = 0;

  constructor(
    private readonly log: Logger,
    private readonly maxRecords = PENDING_MAX_RECORDS,
    private readonly maxOutputBytes = PENDING_MAX_OUTPUT_BYTES,
  ) {}

  get size(): number {
    return this.#queue.length;
  }

  push(write: PendingWrite): void {
    this.#queue.push(write);
    if (write.hasOutput) {
      this.#outputs.set(write.meta.id, write);
      this.#count(write, write.stdout.length + write.stderr.length);
    }
    this.#bound();
  }

  /** Output of a run that is waiting to be written, if any. */
  output(runId: string): { stdout: string; stderr: string } | undefined {
    const w = this.#outputs.get(runId);
    return w && { stdout: w.stdout, stderr: w.stderr };
  }

  /** Writes the queue in order until `write` throws; returns whether it emptied. */
  drain(write: (w: PendingWrite) => void): boolean {
    while (this.#queue.length > 0) {
      const next = this.#queue[0] as PendingWrite;
      write(next); // a throw leaves it first in line for the next attempt
      this.#queue.shift();
      this.#forgetOutput(next);
    }
    return true;
  }

  /** A deleted schedule's records are not to be written any more. */
  dropSchedule(scheduleId: string): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const w = this.#queue[i] as PendingWrite;
      if (w.meta.schedule_id !== scheduleId) continue;
      this.#queue.splice(i, 1);
      this.#forgetOutput(w);
    }
  }

  #count(w: PendingWrite, bytes: number): void {
    this.#outputBytes += bytes - (this.#counted.get(w) ?? 0);
    this.#counted.set(w, bytes);
  }

  #forgetOutput(w: PendingWrite): void {
    this.#outputBytes -= this.#counted.get(w) ?? 0;
    this.#counted.delete(w);
    if (this.#outputs.get(w.meta.id) === w) this.#outputs.delete(w.meta.id);
  }

  #bound(): void {
    let thinned = 0;
    for (const w of this.#queue) {
      if (this.#outputBytes <= this.maxOutputBytes) break;
      if ((this.#counted.get(w) ?? 0) === 0) continue;
      w.stdout = '';
      w.stderr = `cmdop-scheduler: this run's output was dropped: the disk stayed full and it could not be kept in memory\n`;
      w.meta = { ...w.meta, truncated: true };
      this.#count(w, 0);
      thinned++;
    }
    if (thinned > 0)
      this.log.error(`history: dropped the output of ${thinned} run(s) waiting for disk space`);
    let lost = 0;
    while (this.#queue.length > this.maxRecords) {
      this.#forgetOutput(this.#queue.shift() as PendingWrite);
      lost++;
    }
    if (lost > 0) {
      this.#lostRecords += lost;
      this.log.error(
        `history: lost ${lost} record(s) (${this.#lostRecords} in all) waiting for disk space`,
      );
    }
  }
}
