// Run history: an append-only log per schedule, with an in-memory index so reads never
// touch the disk except for the output of the runs actually returned.
//
// On disk, under `dir`:
//   <schedule_id>.jsonl          one metadata record per line (a Run without stdout/stderr,
//                                plus `has_output`); the newest line for a run id wins.
//   <schedule_id>/<run_id>.json  {"stdout","stderr"} of one run, only when it printed something.
//
// Output lives outside the JSONL because a run may carry ~512 KiB of it and a schedule keeps up
// to 1000 runs: with output inline, start-up would parse up to half a gigabyte per schedule just
// to learn statuses, and compaction would rewrite it all. Separate files keep the log a few
// hundred bytes per run, let a page of 20 read exactly 20 outputs, and make dropping a run's
// output a single unlink.
import { readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_STATUSES, type Run, type RunStatus, type RunTrigger } from '../shared/types';
import { formatTimestamp, parseTimestamp, type Clock } from '../shared/time';
import type { Logger } from './log';
import { appendPrivate, mkdirPrivate, writePrivateAtomic } from './private-fs';

export interface Retention {
  max_runs: number;
  max_age_days: number;
}

export const DEFAULT_RETENTION: Retention = { max_runs: 1000, max_age_days: 90 };

export interface HistoryQuery {
  /** ms; runs started at or after it. */
  since?: number;
  limit: number;
  offset: number;
  status?: RunStatus;
}

export interface HistoryStoreOptions {
  dir: string;
  clock: Clock;
  log: Logger;
  retention: () => Retention;
  /** Defers work off the hot path; default setImmediate. */
  schedule?: (fn: () => void) => void;
}

/** A run without its output: what the index and the JSONL hold. */
export type RunMeta = Omit<Run, 'stdout' | 'stderr'>;

interface Entry {
  meta: RunMeta;
  startedMs: number;
  /** Order of the run's first record: the tie-break between runs started in the same instant. */
  seq: number;
  hasOutput: boolean;
}

interface ScheduleIndex {
  id: string;
  /** Oldest first by (startedMs, seq), so the usual append is a push and retention a shift. */
  entries: Entry[];
  byId: Map<string, Entry>;
  /** Records in the file, superseded and dropped ones included: the measure of waste. */
  lines: number;
  /** The file ends mid-line (torn write): the next append must start a fresh line. */
  needsNewline: boolean;
  /** started_at of the oldest run dropped from memory whose records are still on disk. */
  droppedOldestMs: number;
  /** After a failed compaction, wait for this many lines before trying again. */
  retryAtLines: number;
}

const DAY_MS = 86_400_000;
// Aged-out runs may linger on disk this long past their age before they alone force a
// rewrite; without it a schedule where a run ages out on every append would compact on
// every append.
const AGE_GRACE_MS = DAY_MS;
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

const STATUSES: ReadonlySet<string> = new Set<RunStatus>(RUN_STATUSES);
const TRIGGERS: ReadonlySet<string> = new Set<RunTrigger>(['schedule', 'manual', 'catch_up']);

/** Validates one parsed line; anything else is treated as damage, not trusted. */
function toRecord(value: unknown): { meta: RunMeta; hasOutput: boolean } | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const isStr = (v: unknown): v is string => typeof v === 'string';
  const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
  const isNumOrNull = (v: unknown): v is number | null => v === null || typeof v === 'number';
  const { id, started_at, finished_at, exit_code, duration, schedule_id, command_id } = r;
  const { trigger, status, scheduled_for, signal, truncated, has_output } = r;
  if (
    !isStr(id) ||
    !isStr(started_at) ||
    !isStrOrNull(finished_at) ||
    !isNumOrNull(exit_code) ||
    !isNumOrNull(duration) ||
    !isStr(schedule_id) ||
    !isStr(command_id) ||
    !isStr(trigger) ||
    !TRIGGERS.has(trigger) ||
    !isStr(status) ||
    !STATUSES.has(status) ||
    !isStrOrNull(scheduled_for) ||
    !isStrOrNull(signal) ||
    typeof truncated !== 'boolean' ||
    typeof has_output !== 'boolean'
  ) {
    return null;
  }
  const meta: RunMeta = {
    id,
    started_at,
    finished_at,
    exit_code,
    duration,
    schedule_id,
    command_id,
    trigger: trigger as RunTrigger,
    status: status as RunStatus,
    scheduled_for,
    signal,
    truncated,
  };
  return { meta, hasOutput: has_output };
}

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

export class HistoryStore {
  private readonly dir: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly retention: () => Retention;
  private readonly defer: (fn: () => void) => void;
  private readonly indexes = new Map<string, ScheduleIndex>();
  private readonly commands = new Map<string, Entry>();
  private readonly pending = new Set<string>();
  private seq = 0;

  constructor(options: HistoryStoreOptions) {
    this.dir = options.dir;
    this.clock = options.clock;
    this.log = options.log;
    this.retention = options.retention;
    this.defer = options.schedule ?? ((fn) => void setImmediate(fn));
  }

  /**
   * Loads every schedule's index. Runs whose newest record is still 'running' (the process
   * died) are rewritten as 'interrupted' with finished_at = the given instant (the last time
   * the engine was known alive; fall back to started_at), duration computed, by APPENDING a
   * new record. Returns those runs.
   */
  open(interruptedAt: number): Run[] {
    mkdirPrivate(this.dir);
    this.indexes.clear();
    this.commands.clear();
    this.pending.clear();
    for (const name of readdirSync(this.dir)) {
      const id = name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : '';
      if (SAFE_ID.test(id)) this.indexes.set(id, this.load(id));
    }
    const interrupted: Run[] = [];
    for (const index of this.indexes.values()) {
      for (const entry of index.entries.filter((e) => e.meta.status === 'running')) {
        // Alive-time older than the start means the stamp is stale: the run at least started.
        const end =
          Number.isFinite(interruptedAt) && interruptedAt >= entry.startedMs
            ? interruptedAt
            : entry.startedMs;
        const meta: RunMeta = {
          ...entry.meta,
          status: 'interrupted',
          finished_at: formatTimestamp(end),
          duration: end - entry.startedMs,
        };
        this.appendRecord(index, meta, entry.hasOutput);
        interrupted.push(this.toRun(meta, entry.hasOutput));
      }
      this.enforceRetention(index);
      this.maybeCompact(index);
    }
    return interrupted;
  }

  /**
   * Appends a run record (a new run, or a later state of the same run id: the newest record
   * for an id wins). O(1): one append, no rewrite.
   */
  append(run: Run): void {
    const { stdout, stderr, ...meta } = run;
    if (!SAFE_ID.test(meta.schedule_id) || !SAFE_ID.test(meta.id)) {
      throw new Error(`history: unsafe schedule or run id '${meta.schedule_id}/${meta.id}'`);
    }
    if (parseTimestamp(meta.started_at) === null) {
      throw new Error(`history: run ${meta.id} has a bad started_at '${meta.started_at}'`);
    }
    const index = this.indexFor(meta.schedule_id);
    const hadOutput = index.byId.get(meta.id)?.hasOutput === true;
    const hasOutput = stdout !== '' || stderr !== '';
    // Output before metadata: a record never points at output that was not written yet.
    if (hasOutput) this.writeOutput(meta.schedule_id, meta.id, stdout, stderr);
    this.appendRecord(index, meta, hasOutput);
    // The newest record wins, also when it has no output; a crash before this unlink only
    // leaves an orphan that compaction sweeps.
    if (!hasOutput && hadOutput) this.removeOutput(meta.schedule_id, meta.id);
    this.enforceRetention(index);
    this.maybeCompact(index);
  }

  /** Newest first (by started_at, then append order), with total after filtering. Output (stdout/stderr) included. */
  list(scheduleId: string, query: HistoryQuery): { data: Run[]; total: number } {
    const index = this.readIndex(scheduleId);
    if (!index) return { data: [], total: 0 };
    const { since, status } = query;
    const offset = Math.max(0, query.offset);
    const end = offset + Math.max(0, query.limit);
    const page: Entry[] = [];
    let total = 0;
    for (let i = index.entries.length - 1; i >= 0; i--) {
      const entry = index.entries[i] as Entry;
      if (since !== undefined && entry.startedMs < since) continue;
      if (status !== undefined && entry.meta.status !== status) continue;
      if (total >= offset && total < end) page.push(entry);
      total++;
    }
    return { data: page.map((e) => this.toRun(e.meta, e.hasOutput)), total };
  }

  getByCommand(commandId: string): Run | undefined {
    const entry = this.commands.get(commandId);
    return entry && this.toRun(entry.meta, entry.hasOutput);
  }

  /**
   * Runs without their output, newest first, until `visit` returns false: counts and trends
   * read only the index, never the output files.
   */
  scanMeta(scheduleId: string, visit: (meta: Readonly<RunMeta>, startedMs: number) => boolean) {
    const entries = this.readIndex(scheduleId)?.entries ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as Entry;
      if (!visit(entry.meta, entry.startedMs)) return;
    }
  }

  /** Newest run that actually ran and finished (status not 'running' and not 'skipped'). */
  lastFinished(scheduleId: string): Run | undefined {
    const entry = this.lastFinishedEntry(scheduleId);
    return entry && this.toRun(entry.meta, entry.hasOutput);
  }

  /**
   * lastFinished without its output: for a schedule's `last_run`, where reading up to 512 KiB
   * per schedule on every schedule list would be waste.
   */
  lastFinishedMeta(scheduleId: string): RunMeta | undefined {
    const entry = this.lastFinishedEntry(scheduleId);
    return entry && { ...entry.meta };
  }

  /** Deletes all history of a schedule (files too). */
  deleteSchedule(scheduleId: string): void {
    const index = this.indexes.get(scheduleId);
    if (index) for (const entry of index.entries) this.forgetCommand(entry);
    this.indexes.delete(scheduleId);
    this.pending.delete(scheduleId);
    if (!SAFE_ID.test(scheduleId)) return;
    rmSync(this.logPath(scheduleId), { force: true });
    rmSync(`${this.logPath(scheduleId)}.tmp`, { force: true });
    rmSync(this.outputDir(scheduleId), { recursive: true, force: true });
  }

  /** Waits for any deferred compaction to finish (tests, shutdown). */
  flush(): Promise<void> {
    // Compaction is synchronous, so running what is queued now is the same as waiting for it;
    // the deferred callbacks then find nothing left to do.
    for (const id of [...this.pending]) this.runCompaction(id);
    return Promise.resolve();
  }

  /** The index as reads may show it: runs that aged out since the last append are dropped. */
  private readIndex(scheduleId: string): ScheduleIndex | undefined {
    const index = this.indexes.get(scheduleId);
    if (index) {
      // Cheap when nothing is due: the scan stops at the oldest run, which is within limits.
      this.enforceRetention(index);
      this.maybeCompact(index);
    }
    return index;
  }

  private lastFinishedEntry(scheduleId: string): Entry | undefined {
    const entries = this.readIndex(scheduleId)?.entries ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as Entry;
      if (entry.meta.status !== 'running' && entry.meta.status !== 'skipped') return entry;
    }
    return undefined;
  }

  private logPath(scheduleId: string): string {
    return join(this.dir, `${scheduleId}.jsonl`);
  }

  private outputDir(scheduleId: string): string {
    return join(this.dir, scheduleId);
  }

  private outputPath(scheduleId: string, runId: string): string {
    return join(this.dir, scheduleId, `${runId}.json`);
  }

  private indexFor(scheduleId: string): ScheduleIndex {
    let index = this.indexes.get(scheduleId);
    if (!index) {
      // Normally open() has loaded it; an append before open() must still respect the file.
      mkdirPrivate(this.dir);
      index = this.load(scheduleId);
      this.indexes.set(scheduleId, index);
    }
    return index;
  }

  private load(scheduleId: string): ScheduleIndex {
    const index: ScheduleIndex = {
      id: scheduleId,
      entries: [],
      byId: new Map(),
      lines: 0,
      needsNewline: false,
      droppedOldestMs: Infinity,
      retryAtLines: 0,
    };
    const file = this.logPath(scheduleId);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (isMissing(e)) return index;
      throw e;
    }
    const lines = text.split('\n');
    // A file not ending in '\n' was cut mid-write; its last piece is a torn record.
    const torn = text.length > 0 && !text.endsWith('\n');
    index.needsNewline = torn;
    let bad = 0;
    let firstBad = 0;
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      index.lines++;
      const isLast = torn && i === lines.length - 1;
      let record: ReturnType<typeof toRecord> = null;
      try {
        record = toRecord(JSON.parse(line));
      } catch {
        // Handled below with every other unreadable line.
      }
      if (record && record.meta.schedule_id === scheduleId) {
        this.upsert(index, record.meta, record.hasOutput);
      } else if (isLast) {
        this.log.warn(`history: ${file}: skipped a torn last record (the app stopped mid-write)`);
      } else if (bad++ === 0) {
        firstBad = i + 1;
      }
    });
    if (bad > 0) {
      this.log.warn(
        `history: ${file}: skipped ${bad} unreadable record(s), first at line ${firstBad}`,
      );
    }
    return index;
  }

  private appendRecord(index: ScheduleIndex, meta: RunMeta, hasOutput: boolean): void {
    const line = JSON.stringify({ ...meta, has_output: hasOutput });
    try {
      appendPrivate(this.logPath(index.id), `${index.needsNewline ? '\n' : ''}${line}\n`);
    } catch (e) {
      // A partial write may have left half a line; the next append must not glue onto it.
      index.needsNewline = true;
      throw e;
    }
    index.needsNewline = false;
    index.lines++;
    this.upsert(index, meta, hasOutput);
  }

  /** Puts the newest state of a run into the index, keeping entries sorted. */
  private upsert(index: ScheduleIndex, meta: RunMeta, hasOutput: boolean): void {
    const startedMs = parseTimestamp(meta.started_at) as number;
    const existing = index.byId.get(meta.id);
    if (existing) {
      this.forgetCommand(existing);
      existing.meta = meta;
      existing.hasOutput = hasOutput;
      this.commands.set(meta.command_id, existing);
      if (existing.startedMs === startedMs) return;
      index.entries.splice(index.entries.indexOf(existing), 1);
      existing.startedMs = startedMs;
      this.insertSorted(index.entries, existing);
      return;
    }
    const entry: Entry = { meta, startedMs, seq: this.seq++, hasOutput };
    index.byId.set(meta.id, entry);
    this.commands.set(meta.command_id, entry);
    this.insertSorted(index.entries, entry);
  }

  private insertSorted(entries: Entry[], entry: Entry): void {
    const last = entries[entries.length - 1];
    if (!last || after(entry, last)) {
      entries.push(entry);
      return;
    }
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(entry, entries[mid] as Entry)) lo = mid + 1;
      else hi = mid;
    }
    entries.splice(lo, 0, entry);
  }

  private forgetCommand(entry: Entry): void {
    if (this.commands.get(entry.meta.command_id) === entry) {
      this.commands.delete(entry.meta.command_id);
    }
  }

  private currentRetention(): { maxRuns: number; cutoffMs: number } {
    const r = this.retention();
    const maxRuns = r.max_runs >= 1 ? Math.floor(r.max_runs) : DEFAULT_RETENTION.max_runs;
    const days = r.max_age_days > 0 ? r.max_age_days : DEFAULT_RETENTION.max_age_days;
    return { maxRuns, cutoffMs: this.clock.now() - days * DAY_MS };
  }

  /** Drops the oldest runs past the count or the age from memory; the disk catches up later. */
  private enforceRetention(index: ScheduleIndex): void {
    const { maxRuns, cutoffMs } = this.currentRetention();
    const { entries } = index;
    let excess = entries.length - maxRuns;
    const keptRunning: Entry[] = [];
    let i = 0;
    // Oldest first: once a run is within both limits, every newer one is too.
    for (; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      if (excess <= 0 && entry.startedMs >= cutoffMs) break;
      // A running run is never dropped: its final record is still to come.
      if (entry.meta.status === 'running') {
        keptRunning.push(entry);
        continue;
      }
      excess--;
      index.byId.delete(entry.meta.id);
      this.forgetCommand(entry);
      index.droppedOldestMs = Math.min(index.droppedOldestMs, entry.startedMs);
    }
    if (i > keptRunning.length) entries.splice(0, i, ...keptRunning);
  }

  private needsCompaction(index: ScheduleIndex): boolean {
    if (index.lines < index.retryAtLines) return false;
    // Rewriting the live runs once waste reaches a quarter of them keeps appends amortised O(1).
    if (index.lines > index.entries.length * 1.25 + 10) return true;
    return index.droppedOldestMs < this.currentRetention().cutoffMs - AGE_GRACE_MS;
  }

  private maybeCompact(index: ScheduleIndex): void {
    if (this.pending.has(index.id) || !this.needsCompaction(index)) return;
    this.pending.add(index.id);
    this.defer(() => this.runCompaction(index.id));
  }

  private runCompaction(scheduleId: string): void {
    if (!this.pending.delete(scheduleId)) return; // already flushed, or the schedule was deleted
    const index = this.indexes.get(scheduleId);
    if (!index) return;
    try {
      this.compact(index);
    } catch (e) {
      index.retryAtLines = index.lines + Math.ceil(index.entries.length * 0.25) + 10;
      this.log.warn(`history: compacting ${scheduleId} failed: ${(e as Error).message}`);
    }
  }

  /** Rewrites the log with only the newest record of each kept run, and sweeps stale output. */
  private compact(index: ScheduleIndex): void {
    this.enforceRetention(index);
    const file = this.logPath(index.id);
    const text = index.entries
      .map((e) => `${JSON.stringify({ ...e.meta, has_output: e.hasOutput })}\n`)
      .join('');
    writePrivateAtomic(file, text, { durable: true });
    index.lines = index.entries.length;
    index.needsNewline = false;
    index.droppedOldestMs = Infinity;
    index.retryAtLines = 0;
    // Sweeping the folder, rather than tracking dropped ids, also clears output orphaned by a
    // crash between writing it and appending its record, and leftover .tmp files.
    const keep = new Set(index.entries.filter((e) => e.hasOutput).map((e) => `${e.meta.id}.json`));
    let names: string[];
    try {
      names = readdirSync(this.outputDir(index.id));
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const name of names) {
      if (!keep.has(name)) rmSync(join(this.outputDir(index.id), name), { force: true });
    }
  }

  private writeOutput(scheduleId: string, runId: string, stdout: string, stderr: string): void {
    const path = this.outputPath(scheduleId, runId);
    mkdirPrivate(this.outputDir(scheduleId));
    // Atomic: a reader or a crash sees the old output or the new, never half of one.
    writePrivateAtomic(path, JSON.stringify({ stdout, stderr }));
  }

  private removeOutput(scheduleId: string, runId: string): void {
    try {
      unlinkSync(this.outputPath(scheduleId, runId));
    } catch (e) {
      if (!isMissing(e)) {
        this.log.warn(`history: could not remove output of ${runId}: ${(e as Error).message}`);
      }
    }
  }

  private readOutput(scheduleId: string, runId: string): { stdout: string; stderr: string } {
    const path = this.outputPath(scheduleId, runId);
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const { stdout, stderr } = (parsed ?? {}) as Record<string, unknown>;
      if (typeof stdout === 'string' && typeof stderr === 'string') return { stdout, stderr };
      this.log.warn(`history: ${path}: not a run output; showing none`);
    } catch (e) {
      this.log.warn(`history: ${path}: unreadable output (${(e as Error).message}); showing none`);
    }
    return { stdout: '', stderr: '' };
  }

  private toRun(meta: RunMeta, hasOutput: boolean): Run {
    const output = hasOutput
      ? this.readOutput(meta.schedule_id, meta.id)
      : { stdout: '', stderr: '' };
    return { ...meta, ...output };
  }
}

/** Whether a sorts after b: later start, or the same start appended later. */
function after(a: Entry, b: Entry): boolean {
  return a.startedMs > b.startedMs || (a.startedMs === b.startedMs && a.seq > b.seq);
}
