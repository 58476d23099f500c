// One schedule's runs in memory: the newest state of each run, oldest first, so reads never
// touch the disk except for the output of the runs they return. Pure: the store does I/O.
import { parseTimestamp } from '../shared/time';
import { toRecord, type RunGroup, type RunMeta } from './history-record';

export interface IndexEntry {
  meta: RunMeta;
  startedMs: number;
  /** Order of the run's first record: the tie-break between runs started in the same instant. */
  seq: number;
  hasOutput: boolean;
  /** While it runs: the process group, to find it again after a crash. */
  group: RunGroup | null;
}

let nextSeq = 0;

/** Whether a sorts after b: later start, or the same start appended later. */
function after(a: IndexEntry, b: IndexEntry): boolean {
  return a.startedMs > b.startedMs || (a.startedMs === b.startedMs && a.seq > b.seq);
}

export class ScheduleIndex {
  /** Oldest first by (startedMs, seq), so the usual append is a push and retention a shift. */
  readonly entries: IndexEntry[] = [];
  readonly byId = new Map<string, IndexEntry>();
  /** Records in the file, superseded and dropped ones included: the measure of waste. */
  lines = 0;
  /** The file ends mid-line (torn write): the next append must start a fresh line. */
  needsNewline = false;
  /** started_at of the oldest run dropped from memory whose records are still on disk. */
  droppedOldestMs = Infinity;
  /** After a failed compaction, wait for this many lines before trying again. */
  retryAtLines = 0;

  constructor(readonly id: string) {}

  /**
   * Builds the index from a log's text. The newest record of a run wins; lines that cannot
   * be read are skipped and reported through `warn` (a torn last line is a stop mid-write).
   */
  static parse(id: string, text: string, file: string, warn: (m: string) => void) {
    const index = new ScheduleIndex(id);
    const lines = text.split('\n');
    // A file not ending in '\n' was cut mid-write; its last piece is a torn record.
    const torn = text.length > 0 && !text.endsWith('\n');
    index.needsNewline = torn;
    let bad = 0;
    let firstBad = 0;
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      index.lines++;
      let record: ReturnType<typeof toRecord> = null;
      try {
        record = toRecord(JSON.parse(line));
      } catch {
        // Handled below with every other unreadable line.
      }
      if (record && record.meta.schedule_id === id) {
        index.upsert(record.meta, record.hasOutput, record.group);
      } else if (torn && i === lines.length - 1) {
        warn(`history: ${file}: skipped a torn last record (the app stopped mid-write)`);
      } else if (bad++ === 0) {
        firstBad = i + 1;
      }
    });
    if (bad > 0)
      warn(`history: ${file}: skipped ${bad} unreadable record(s), first at line ${firstBad}`);
    return index;
  }

  /**
   * Puts the newest state of a run in, keeping entries sorted. Returns the entry and the
   * command id it carried before, so the store can re-key its command lookup.
   */
  upsert(
    meta: RunMeta,
    hasOutput: boolean,
    group: RunGroup | null,
  ): { entry: IndexEntry; previousCommandId: string | null } {
    const startedMs = parseTimestamp(meta.started_at) as number;
    const existing = this.byId.get(meta.id);
    if (existing) {
      const previousCommandId = existing.meta.command_id;
      existing.meta = meta;
      existing.hasOutput = hasOutput;
      existing.group = group;
      if (existing.startedMs !== startedMs) {
        this.entries.splice(this.entries.indexOf(existing), 1);
        existing.startedMs = startedMs;
        this.#insertSorted(existing);
      }
      return { entry: existing, previousCommandId };
    }
    const entry: IndexEntry = { meta, startedMs, seq: nextSeq++, hasOutput, group };
    this.byId.set(meta.id, entry);
    this.#insertSorted(entry);
    return { entry, previousCommandId: null };
  }

  #insertSorted(entry: IndexEntry): void {
    const { entries } = this;
    const last = entries[entries.length - 1];
    if (!last || after(entry, last)) {
      entries.push(entry);
      return;
    }
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(entry, entries[mid] as IndexEntry)) lo = mid + 1;
      else hi = mid;
    }
    entries.splice(lo, 0, entry);
  }

  /**
   * Drops the oldest runs past the count or the age from memory (the disk catches up at the
   * next compaction) and returns them. A running run is never dropped: its final record is
   * still to come.
   */
  enforce(maxRuns: number, cutoffMs: number): IndexEntry[] {
    const { entries } = this;
    let excess = entries.length - maxRuns;
    const keptRunning: IndexEntry[] = [];
    const dropped: IndexEntry[] = [];
    let i = 0;
    // Oldest first: once a run is within both limits, every newer one is too.
    for (; i < entries.length; i++) {
      const entry = entries[i] as IndexEntry;
      if (excess <= 0 && entry.startedMs >= cutoffMs) break;
      if (entry.meta.status === 'running') {
        keptRunning.push(entry);
        continue;
      }
      excess--;
      this.byId.delete(entry.meta.id);
      dropped.push(entry);
      this.droppedOldestMs = Math.min(this.droppedOldestMs, entry.startedMs);
    }
    if (i > keptRunning.length) entries.splice(0, i, ...keptRunning);
    return dropped;
  }

  /** Whether rewriting the log would pay: waste past a quarter, or long-aged runs on disk. */
  needsCompaction(ageCutoffMs: number): boolean {
    if (this.lines < this.retryAtLines) return false;
    // Rewriting the live runs once waste reaches a quarter of them keeps appends amortised O(1).
    if (this.lines > this.entries.length * 1.25 + 10) return true;
    return this.droppedOldestMs < ageCutoffMs;
  }

  /** The log now holds exactly the entries. */
  compacted(): void {
    this.lines = this.entries.length;
    this.needsNewline = false;
    this.droppedOldestMs = Infinity;
    this.retryAtLines = 0;
  }

  /** Wait for a quarter more lines before trying a failed compaction again. */
  compactionFailed(): void {
    this.retryAtLines = this.lines + Math.ceil(this.entries.length * 0.25) + 10;
  }
}
