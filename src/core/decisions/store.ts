// The decision log on disk: one append-only file per schedule, `decisions/<id>.jsonl`, one
// decision per line. A span that grows (an every-second schedule in a pause) is not written
// per fire: its later versions are appended, with the same id, at most once a minute and
// when the span ends, and a reader keeps the last line of each id. Retention is history's
// (runs kept per schedule, days kept); the file is rewritten when it holds twice that.
// A line that cannot be read is skipped with one log line; a disk that refuses writes keeps
// the decisions in memory (said once per episode) and never stops the engine.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Decision } from '../../shared/decisions-api';
import { decisionWire } from '../../shared/wire-schemas';
import type { Clock } from '../../shared/time';
import { SAFE_ID } from '../history-files';
import type { Logger } from '../log';
import { appendPrivate, mkdirPrivate, writePrivateAtomic } from '../private-fs';
import type { Timers } from '../timers';

export const DECISIONS_DIR = 'decisions';
/** How often a growing span's newest version is written. */
export const SPAN_FLUSH_MS = 60_000;

// A line is read as the API shows it: the wire schema is the one description of a decision.
const storedSchema = decisionWire;

export interface Retention {
  max_runs: number;
  max_age_days: number;
}

export interface DecisionStoreOptions {
  dataDir: string;
  clock: Clock;
  timers: Timers;
  log: Logger;
  retention: () => Retention;
}

interface Log {
  /** Oldest first, one per id. */
  entries: Decision[];
  /** Lines in the file (a span's versions each count). */
  lines: number;
  /** Appends the disk refused: the whole file is rewritten at the next write. */
  stale: boolean;
}

export class DecisionStore {
  readonly #o: DecisionStoreOptions;
  readonly #dir: string;
  readonly #logs = new Map<string, Log>();
  /** Spans grown in memory since their last line: schedule id → decision id. */
  readonly #dirty = new Map<string, Decision>();
  #flushTimer: unknown = null;
  #dirMade = false;
  #refused = false;

  constructor(options: DecisionStoreOptions) {
    this.#o = options;
    this.#dir = join(options.dataDir, DECISIONS_DIR);
  }

  #path(scheduleId: string): string {
    return join(this.#dir, `${scheduleId}.jsonl`);
  }

  /** A schedule's decisions, oldest first (read from its file once, then kept). */
  entries(scheduleId: string): Decision[] {
    return this.#load(scheduleId).entries;
  }

  /** The newest decision, or null. */
  last(scheduleId: string): Decision | null {
    return this.#load(scheduleId).entries.at(-1) ?? null;
  }

  add(d: Decision): void {
    if (!SAFE_ID.test(d.schedule_id)) return;
    const log = this.#load(d.schedule_id);
    log.entries.push(d);
    this.#write(d.schedule_id, log, d);
  }

  /** The newest decision grew (a span): written later, at most once a minute. */
  grew(d: Decision): void {
    this.#dirty.set(d.schedule_id, d);
    if (this.#flushTimer === null) {
      this.#flushTimer = this.#o.timers.setTimeout(() => {
        this.#flushTimer = null;
        this.flush();
      }, SPAN_FLUSH_MS);
    }
  }

  /** Writes every grown span's newest version. */
  flush(): void {
    const dirty = [...this.#dirty.values()];
    this.#dirty.clear();
    for (const d of dirty) {
      const log = this.#logs.get(d.schedule_id);
      if (log) this.#write(d.schedule_id, log, d);
    }
  }

  close(): void {
    if (this.#flushTimer !== null) this.#o.timers.clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.flush();
  }

  remove(scheduleId: string): void {
    this.#logs.delete(scheduleId);
    this.#dirty.delete(scheduleId);
    if (!SAFE_ID.test(scheduleId)) return;
    rmSync(this.#path(scheduleId), { force: true });
  }

  #write(scheduleId: string, log: Log, d: Decision) {
    this.#retain(log);
    try {
      if (!this.#dirMade) mkdirPrivate(this.#dir);
      this.#dirMade = true;
      const { max_runs } = this.#o.retention();
      if (log.stale || log.lines + 1 > 2 * max_runs) {
        // Rewritten whole: after refused appends, and to drop what retention let go.
        const text = log.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
        writePrivateAtomic(this.#path(scheduleId), text);
        log.lines = log.entries.length;
        log.stale = false;
      } else {
        appendPrivate(this.#path(scheduleId), `${JSON.stringify(d)}\n`);
        log.lines += 1;
      }
      if (this.#refused) this.#o.log.info('the decision log can be written again');
      this.#refused = false;
    } catch (e) {
      log.stale = true;
      if (!this.#refused) {
        this.#o.log.warn(
          `the decision log cannot be written (${(e as Error).message}); decisions are kept in memory until it can`,
        );
      }
      this.#refused = true;
    }
  }

  /** Keeps the newest `max_runs` decisions younger than `max_age_days`. */
  #retain(log: Log) {
    const { max_runs, max_age_days } = this.#o.retention();
    const oldest = this.#o.clock.now() - max_age_days * 86_400_000;
    let drop = Math.max(0, log.entries.length - max_runs);
    while (drop < log.entries.length) {
      const e = log.entries[drop] as Decision;
      if (Date.parse(e.last_scheduled_for) >= oldest) break;
      drop += 1;
    }
    if (drop > 0) log.entries.splice(0, drop);
  }

  #load(scheduleId: string): Log {
    const known = this.#logs.get(scheduleId);
    if (known) return known;
    const log: Log = { entries: [], lines: 0, stale: false };
    this.#logs.set(scheduleId, log);
    if (!SAFE_ID.test(scheduleId)) return log;
    let text: string;
    try {
      text = readFileSync(this.#path(scheduleId), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#o.log.warn(`decision log of ${scheduleId} cannot be read: ${(e as Error).message}`);
      }
      return log;
    }
    const byId = new Map<string, Decision>();
    let bad = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      log.lines += 1;
      let parsed: z.ZodSafeParseResult<Decision>;
      try {
        parsed = storedSchema.safeParse(JSON.parse(line));
      } catch {
        bad += 1;
        continue;
      }
      if (!parsed.success || parsed.data.schedule_id !== scheduleId) bad += 1;
      // A span's later version replaces its earlier one, keeping its place.
      else byId.set(parsed.data.id, parsed.data);
    }
    if (bad > 0) {
      this.#o.log.warn(
        `decision log of ${scheduleId}: ${bad} unreadable ${bad === 1 ? 'line was' : 'lines were'} skipped (${this.#path(scheduleId)})`,
      );
    }
    log.entries = [...byId.values()];
    this.#retain(log);
    return log;
  }
}
