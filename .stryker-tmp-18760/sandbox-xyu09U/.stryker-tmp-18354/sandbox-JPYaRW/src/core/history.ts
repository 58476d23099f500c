// @ts-nocheck
// 
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
import type { Run, RunStatus } from '../shared/types';
import { formatTimestamp, parseTimestamp, type Clock } from '../shared/time';
import { HistoryFiles, SAFE_ID } from './history-files';
import { RunIds, ScheduleIndex, type IndexEntry } from './history-index';
import { recordLine, type RunGroup, type RunMeta } from './history-record';
import { PendingWrites, type PendingWrite } from './history-pending';
import type { Logger } from './log';
import { isFsError, type StorageHealth } from './storage-health';

export type { RunGroup, RunMeta } from './history-record';

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
  /** Told when writing fails and when it works again. */
  health?: StorageHealth;
}

const DAY_MS = 86_400_000;
// Aged-out runs may linger on disk this long past their age before they alone force a
// rewrite; without it a schedule where a run ages out on every append would compact on
// every append.
const AGE_GRACE_MS = DAY_MS;

export class HistoryStore {
  private readonly files: HistoryFiles;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly retention: () => Retention;
  private readonly defer: (fn: () => void) => void;
  private readonly indexes = new Map<string, ScheduleIndex>();
  /** Every run in memory by its run and command ids. */
  private readonly ids = new RunIds();
  /** Process groups of runs still running: few, so kept beside the entries, not in them. */
  private readonly groups = new Map<IndexEntry, RunGroup>();
  private readonly pending = new Set<string>();
  private readonly health: StorageHealth | undefined;
  /** Records the disk refused, in order, waiting to be written. */
  private readonly unwritten: PendingWrites;

  constructor(options: HistoryStoreOptions) {
    this.files = new HistoryFiles(options.dir, options.clock, options.log);
    this.clock = options.clock;
    this.log = options.log;
    this.retention = options.retention;
    this.defer = options.schedule ?? ((fn) => void setImmediate(fn));
    this.health = options.health;
    this.unwritten = new PendingWrites(options.log);
  }

  /** How many records wait for the disk. */
  get unwrittenCount(): number {
    return this.unwritten.size;
  }

  /**
   * Loads every schedule's index. Runs whose newest record is still 'running' (the app
   * died) are rewritten as 'interrupted' with finished_at = the given instant (the last time
   * the engine was known alive; fall back to started_at), duration computed and `note` in
   * stderr, by APPENDING a new record — except those `keepRunning` claims (a process group
   * that is still alive): they stay 'running' for the caller to end (see stillRunning()).
   * Returns the runs marked interrupted. A file that cannot be read is moved aside.
   */
  open(
    interruptedAt: number,
    options: {
      note?: string;
      keepRunning?: (run: RunMeta, group: RunGroup | null) => boolean;
    } = {},
  ): Run[] {
    this.indexes.clear();
    this.ids.clear();
    this.groups.clear();
    this.pending.clear();
    for (const id of this.logIds()) this.indexes.set(id, this.loadOrSetAside(id));
    const interrupted: Run[] = [];
    for (const index of this.indexes.values()) {
      for (const entry of index.entries.filter((e) => e.status === 'running')) {
        const group = this.groups.get(entry) ?? null;
        if (options.keepRunning?.(entry.meta, group)) continue;
        interrupted.push(this.interrupt(entry.meta, interruptedAt, options.note ?? ''));
      }
      this.enforceRetention(index);
      this.maybeCompact(index);
    }
    return interrupted;
  }

  /**
   * Records an unfinished run as 'interrupted', ended at `endMs` (or its start, when the
   * stamp is older), with `note` as its stderr.
   */
  interrupt(run: RunMeta, endMs: number, note: string): Run {
    const startedMs = parseTimestamp(run.started_at) ?? endMs;
    // Alive-time older than the start means the stamp is stale: the run at least started.
    const end = Number.isFinite(endMs) && endMs >= startedMs ? endMs : startedMs;
    // Whatever output the running record kept stays; the note says what happened.
    const entry = this.ids.byRun(run.id);
    const kept = entry ? this.toRun(entry) : { stdout: '', stderr: '' };
    const finished: Run = {
      ...run,
      status: 'interrupted',
      finished_at: formatTimestamp(end),
      duration: end - startedMs,
      stdout: kept.stdout,
      stderr: note === '' ? kept.stderr : `${kept.stderr}cmdop-scheduler: ${note}\n`,
    };
    this.append(finished);
    return finished;
  }

  /** Runs left 'running' by open()'s keepRunning, with their process groups. */
  stillRunning(): { run: RunMeta; group: RunGroup | null }[] {
    const out: { run: RunMeta; group: RunGroup | null }[] = [];
    for (const index of this.indexes.values()) {
      for (const e of index.entries) {
        if (e.status === 'running') out.push({ run: e.meta, group: this.groups.get(e) ?? null });
      }
    }
    return out;
  }

  /** Schedule ids with a log file; an unreadable or unmakeable folder is an empty history. */
  private logIds(): string[] {
    try {
      return this.files.logIds();
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.health?.failed('history', this.files.dir, e);
      return [];
    }
  }

  private loadOrSetAside(id: string): ScheduleIndex {
    try {
      return this.load(id);
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.files.setAside(id, e.code ?? e.message);
      return new ScheduleIndex(id, this.ids);
    }
  }

  /**
   * Appends a run record (a new run, or a later state of the same run id: the newest record
   * for an id wins). O(1): one append, no rewrite.
   */
  append(run: Run, group: RunGroup | null = null): void {
    const { stdout, stderr, ...meta } = run;
    if (!SAFE_ID.test(meta.schedule_id) || !SAFE_ID.test(meta.id)) {
      throw new Error(`history: unsafe schedule or run id '${meta.schedule_id}/${meta.id}'`);
    }
    if (parseTimestamp(meta.started_at) === null) {
      throw new Error(`history: run ${meta.id} has a bad started_at '${meta.started_at}'`);
    }
    const index = this.indexFor(meta.schedule_id);
    const hadOutput = this.ids.byRun(meta.id)?.hasOutput === true;
    const hasOutput = stdout !== '' || stderr !== '';
    // The index first: reads show the run even while the disk refuses it.
    this.upsert(index, meta, hasOutput, group);
    const write: PendingWrite = {
      meta,
      hasOutput,
      group,
      stdout,
      stderr,
      dropOutput: !hasOutput && hadOutput,
    };
    // Order matters (the newest record of a run wins): behind earlier refused ones it waits.
    if (this.unwritten.size > 0 || !this.tryWrite(write)) this.unwritten.push(write);
    this.retryUnwritten();
    this.enforceRetention(index);
    this.maybeCompact(index);
  }

  /**
   * Writes what the disk refused before, in order. Cheap when nothing waits; the engine
   * calls it now and then, and every append does, so history catches up on its own.
   */
  retryUnwritten(): void {
    if (this.unwritten.size === 0) return;
    try {
      this.unwritten.drain((w) => this.writeRecord(w));
      this.health?.succeeded('history');
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.health?.failed('history', this.files.dir, e);
    }
  }

  private tryWrite(write: PendingWrite): boolean {
    try {
      this.writeRecord(write);
      this.health?.succeeded('history');
      return true;
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.health?.failed('history', this.files.dir, e);
      return false;
    }
  }

  private writeRecord(w: PendingWrite): void {
    const { meta } = w;
    // A run deleted with its schedule while waiting has nowhere to go.
    if (!this.indexes.has(meta.schedule_id)) return;
    // Output before metadata: a record never points at output that was not written yet.
    if (w.hasOutput) this.files.writeOutput(meta.schedule_id, meta.id, w.stdout, w.stderr);
    this.appendLine(this.indexes.get(meta.schedule_id) as ScheduleIndex, w);
    // The newest record wins, also when it has no output; a crash before this unlink only
    // leaves an orphan that compaction sweeps.
    if (w.dropOutput) this.files.removeOutput(meta.schedule_id, meta.id);
  }

  /** Newest first (by started_at, then append order), with total after filtering. Output (stdout/stderr) included. */
  list(scheduleId: string, query: HistoryQuery): { data: Run[]; total: number } {
    const index = this.readIndex(scheduleId);
    if (!index) return { data: [], total: 0 };
    const { since, status } = query;
    const offset = Math.max(0, query.offset);
    const limit = Math.max(0, query.limit);
    const { entries } = index;
    // Entries are in start order: `since` is where a binary search lands.
    const first = since === undefined ? 0 : index.firstAtOrAfter(since);
    if (status === undefined) {
      const total = entries.length - first;
      const page: IndexEntry[] = [];
      for (let i = entries.length - 1 - offset; i >= first && page.length < limit; i--) {
        page.push(entries[i] as IndexEntry);
      }
      return { data: page.map((e) => this.toRun(e)), total };
    }
    const page: IndexEntry[] = [];
    let total = 0;
    for (let i = entries.length - 1; i >= first; i--) {
      const entry = entries[i] as IndexEntry;
      if (entry.status !== status) continue;
      if (total >= offset && total < offset + limit) page.push(entry);
      total++;
    }
    return { data: page.map((e) => this.toRun(e)), total };
  }

  /** The process group recorded for a run that is still running, if any. */
  groupOf(commandId: string): RunGroup | null {
    const entry = this.ids.byCommand(commandId);
    return (entry && this.groups.get(entry)) ?? null;
  }

  getByCommand(commandId: string): Run | undefined {
    const entry = this.ids.byCommand(commandId);
    return entry && this.toRun(entry);
  }

  /**
   * The index's entries, newest first, until `visit` returns false: counts and trends read
   * only the index (status and start are plain fields there), never the output files.
   */
  scanRuns(scheduleId: string, visit: (entry: IndexEntry) => boolean) {
    const entries = this.readIndex(scheduleId)?.entries ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      if (!visit(entries[i] as IndexEntry)) return;
    }
  }

  /** Newest run that actually ran and finished (status not 'running' and not 'skipped'). */
  lastFinished(scheduleId: string): Run | undefined {
    const entry = this.lastFinishedEntry(scheduleId);
    return entry && this.toRun(entry);
  }

  /**
   * lastFinished without its output: for a schedule's `last_run`, where reading up to 512 KiB
   * per schedule on every schedule list would be waste.
   */
  lastFinishedMeta(scheduleId: string): RunMeta | undefined {
    return this.lastFinishedEntry(scheduleId)?.meta;
  }

  /** Deletes all history of a schedule (files too). */
  deleteSchedule(scheduleId: string): void {
    const index = this.indexes.get(scheduleId);
    if (index) for (const entry of index.entries) this.forget(entry);
    this.indexes.delete(scheduleId);
    this.pending.delete(scheduleId);
    this.unwritten.dropSchedule(scheduleId);
    try {
      this.files.removeSchedule(scheduleId);
    } catch (e) {
      if (!isFsError(e)) throw e;
      // Gone from the API already; compaction of a re-created id would not read it back
      // (a new schedule gets a new id), so the files are only space.
      this.log.warn(`history: could not remove the files of ${scheduleId}: ${e.message}`);
    }
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

  private lastFinishedEntry(scheduleId: string): IndexEntry | undefined {
    const entries = this.readIndex(scheduleId)?.entries ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as IndexEntry;
      if (entry.status !== 'running' && entry.status !== 'skipped') return entry;
    }
    return undefined;
  }

  private indexFor(scheduleId: string): ScheduleIndex {
    let index = this.indexes.get(scheduleId);
    if (!index) {
      // Normally open() has loaded it; an append before open() must still respect the file.
      index = this.loadOrSetAside(scheduleId);
      this.indexes.set(scheduleId, index);
    }
    return index;
  }

  private load(scheduleId: string): ScheduleIndex {
    const text = this.files.readLog(scheduleId);
    if (text === null) return new ScheduleIndex(scheduleId, this.ids);
    const ctx = {
      ids: this.ids,
      file: this.files.logPath(scheduleId),
      warn: (m: string) => this.log.warn(m),
    };
    return ScheduleIndex.parse(scheduleId, text, ctx, (entry, group) =>
      this.setGroup(entry, group),
    );
  }

  private appendLine(index: ScheduleIndex, record: PendingWrite): void {
    const line = recordLine(record);
    try {
      this.files.appendLine(index.id, `${index.needsNewline ? '\n' : ''}${line}\n`);
    } catch (e) {
      // A partial write may have left half a line; the next append must not glue onto it.
      index.needsNewline = true;
      throw e;
    }
    index.needsNewline = false;
    index.lines++;
  }

  /** Puts the newest state of a run into the index, with its process group while it runs. */
  private upsert(
    index: ScheduleIndex,
    meta: RunMeta,
    hasOutput: boolean,
    group: RunGroup | null,
  ): void {
    this.setGroup(index.upsert(meta, hasOutput), group);
  }

  private setGroup(entry: IndexEntry, group: RunGroup | null): void {
    if (group) this.groups.set(entry, group);
    else this.groups.delete(entry);
  }

  private forget(entry: IndexEntry): void {
    this.ids.remove(entry);
    this.groups.delete(entry);
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
    for (const entry of index.enforce(maxRuns, cutoffMs)) this.groups.delete(entry);
  }

  private needsCompaction(index: ScheduleIndex): boolean {
    return index.needsCompaction(this.currentRetention().cutoffMs - AGE_GRACE_MS);
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
      index.compactionFailed();
      this.log.warn(`history: compacting ${scheduleId} failed: ${(e as Error).message}`);
    }
  }

  /** Rewrites the log with only the newest record of each kept run, and sweeps stale output. */
  private compact(index: ScheduleIndex): void {
    this.enforceRetention(index);
    const text = index.entries
      .map((e) => {
        const group = this.groups.get(e) ?? null;
        return `${recordLine({ meta: e.meta, hasOutput: e.hasOutput, group })}\n`;
      })
      .join('');
    this.files.replaceLog(index.id, text);
    index.compacted();
    this.files.sweepOutputs(
      index.id,
      new Set(index.entries.filter((e) => e.hasOutput).map((e) => e.id)),
    );
  }

  private toRun(entry: IndexEntry): Run {
    const meta = entry.meta;
    const output = entry.hasOutput
      ? (this.unwritten.output(meta.id) ?? this.files.readOutput(meta.schedule_id, meta.id))
      : { stdout: '', stderr: '' };
    return { ...meta, ...output };
  }
}
