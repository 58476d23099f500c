// The store's write-ahead journal. Rewriting config.json (5 MB with 10,000 schedules) on
// every create or PATCH made each one cost ~130 ms; instead each change is one line
// appended to `config.journal` and fdatasynced before it is acknowledged, and config.json —
// which stays the format of record, shared by the tray app (electron-store) and `serve`
// (conf) — is rewritten from memory now and then, and on close. Replaying the journal over
// config.json at open gives the state of the last acknowledged write; replaying it twice
// gives the same, so a crash between the two steps of compaction loses nothing.
import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from './private-fs';

export const JOURNAL_FILE = 'config.journal';

export type JournalOp =
  | { op: 'put'; schedules: unknown[] }
  | { op: 'delete'; id: string }
  | { op: 'settings'; settings: unknown };

function toOp(value: unknown): JournalOp | null {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: without it null throws into read's catch and other values match no op: the same bad line
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.op === 'put' && Array.isArray(v.schedules)) return { op: 'put', schedules: v.schedules };
  if (v.op === 'delete' && typeof v.id === 'string') return { op: 'delete', id: v.id };
  if (v.op === 'settings' && 'settings' in v) return { op: 'settings', settings: v.settings };
  return null;
}

export class StoreJournal {
  readonly path: string;
  #fd: number | null = null;
  /** Lines written since the last compaction: the measure of when to compact. */
  #lines = 0;
  #bytes = 0;
  /** The file ends mid-line (a torn write): the next append starts a fresh line. */
  #needsNewline = false;

  constructor(dataDir: string) {
    this.path = join(dataDir, JOURNAL_FILE);
  }

  get lines(): number {
    return this.#lines;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The operations since the last compaction, in order. A torn last line (a crash mid-write,
   * never acknowledged) is skipped; `bad` counts other lines that could not be read.
   */
  read(): { ops: JournalOp[]; bad: number } {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ops: [], bad: 0 };
      throw e;
    }
    const lines = text.split('\n');
    const torn = text.length > 0 && !text.endsWith('\n');
    this.#needsNewline = torn;
    const ops: JournalOp[] = [];
    let bad = 0;
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let op: JournalOp | null = null;
      try {
        op = toOp(JSON.parse(line));
      } catch {
        // counted below
      }
      if (op) ops.push(op);
      else if (!(torn && i === lines.length - 1)) bad++;
    });
    this.#lines = ops.length;
    this.#bytes = Buffer.byteLength(text);
    return { ops, bad };
  }

  /** Appends one operation and makes it durable; throws (and changes nothing) if it cannot. */
  append(op: JournalOp): void {
    const line = `${this.#needsNewline ? '\n' : ''}${JSON.stringify(op)}\n`;
    try {
      this.#fd ??= openSync(this.path, 'a', PRIVATE_FILE_MODE);
      writeSync(this.#fd, line);
      fdatasyncSync(this.#fd);
    } catch (e) {
      // Half a line may be on disk: the next append must not glue onto it. Reopen then.
      this.#needsNewline = true;
      this.close();
      throw e;
    }
    this.#needsNewline = false;
    this.#lines++;
    this.#bytes += Buffer.byteLength(line);
  }

  /** Empties the journal once config.json holds everything (after a compaction). */
  reset(): void {
    this.#fd ??= openSync(this.path, 'a', PRIVATE_FILE_MODE);
    ftruncateSync(this.#fd, 0);
    fdatasyncSync(this.#fd);
    this.#lines = 0;
    this.#bytes = 0;
    this.#needsNewline = false;
  }

  close(): void {
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already gone
    }
    this.#fd = null;
  }
}
