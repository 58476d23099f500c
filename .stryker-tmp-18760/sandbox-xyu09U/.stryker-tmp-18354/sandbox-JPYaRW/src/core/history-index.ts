// @ts-nocheck
// 
// The runs in memory: the newest state of each, oldest first per schedule, so reads touch
// the disk only for the output of the runs they return. 100,000 runs must fit in a few MB,
// so an entry is a compact object (~180 B with its id and map slot) and a RunMeta is built
// only for the runs a read returns. Pure: the store does I/O.
import { formatTimestamp, parseTimestamp } from '../shared/time';
import { RUN_STATUSES, type RunStatus, type RunTrigger } from '../shared/types';
import { toRecord, type RunGroup, type RunMeta } from './history-record';

/** Times are whole seconds from here: small integers V8 keeps unboxed, until 2088. */
const EPOCH_MS = Date.UTC(2020, 0, 1);
const TRIGGERS: readonly RunTrigger[] = ['schedule', 'manual', 'catch_up'];
const HAS_OUTPUT = 1 << 5;
const TRUNCATED = 1 << 6;
/** The attempt number takes the bits above the flags. */
const ATTEMPT_SHIFT = 7;

/** How a run was started: the same for most runs of a schedule, so kept once and shared. */
interface RunHow {
  shell: string | null;
  env_file: string | null;
}
const hows = new Map<string, RunHow>();

function howOf(shell: string | null, envFile: string | null): RunHow | null {
  if (shell === null && envFile === null) return null;
  const key = `${shell ?? ''}\u0000${envFile ?? ''}`;
  let how = hows.get(key);
  if (!how) {
    how = Object.freeze({ shell, env_file: envFile });
    hows.set(key, how);
  }
  return how;
}

const toSeconds = (ms: number) => Math.round((ms - EPOCH_MS) / 1000);
const fromSeconds = (s: number) => EPOCH_MS + s * 1000;
const seconds = (iso: string | null) => (iso === null ? null : toSeconds(parseTimestamp(iso) ?? 0));
const iso = (s: number | null) => (s === null ? null : formatTimestamp(fromSeconds(s)));

let nextSeq = 0;

/** Whether a sorts after b: a later start, or the same second and recorded later first. */
function after(a: IndexEntry, b: IndexEntry): boolean {
  return a.started > b.started || (a.started === b.started && a.seq > b.seq);
}

/** The command id of a new run: the run id's twin (`run_X` -> `cmd_X`). */
function twinCommand(runId: string): string {
  return `cmd_${runId.slice(4)}`;
}

/**
 * One run. Kept small: times as whole seconds, status, trigger and flags in one integer, and
 * the run id (the parsed string itself: a slice of it would keep the whole line alive). The
 * rare parts — a command id that is not the run id's twin, a signal — live in RunIds.
 */
export class IndexEntry {
  readonly id: string;
  started: number;
  finished: number | null;
  scheduled: number | null;
  duration: number | null;
  exit: number | null;
  /** Status (3 bits), trigger (2 bits), has-output and truncated flags, then the attempt. */
  bits: number;
  how: RunHow | null;
  /** Order of the run's first record: the tie-break between runs started in the same second. */
  readonly seq: number;
  readonly schedule: ScheduleIndex;

  constructor(schedule: ScheduleIndex, meta: RunMeta, hasOutput: boolean) {
    this.schedule = schedule;
    this.seq = nextSeq++;
    this.id = meta.id;
    this.started = 0;
    this.finished = null;
    this.scheduled = null;
    this.duration = null;
    this.exit = null;
    this.bits = 0;
    this.how = null;
    this.update(meta, hasOutput);
  }

  /** Takes a later state of the same run (its ids never change). */
  update(meta: RunMeta, hasOutput: boolean): void {
    this.started = seconds(meta.started_at) as number;
    this.finished = seconds(meta.finished_at);
    this.scheduled = seconds(meta.scheduled_for);
    this.duration = meta.duration;
    this.exit = meta.exit_code;
    this.schedule.ids.setSignal(this, meta.signal);
    this.schedule.ids.setRetryOf(this, meta.retry_of);
    this.how = howOf(meta.shell, meta.env_file);
    this.schedule.ids.setCommandLine(this, meta.command);
    this.bits =
      RUN_STATUSES.indexOf(meta.status) |
      (TRIGGERS.indexOf(meta.trigger) << 3) |
      (hasOutput ? HAS_OUTPUT : 0) |
      (meta.truncated ? TRUNCATED : 0) |
      (Math.max(1, meta.attempt) << ATTEMPT_SHIFT);
  }

  get commandId(): string {
    return this.schedule.ids.commandOf(this);
  }

  get status(): RunStatus {
    return RUN_STATUSES[this.bits & 7] as RunStatus;
  }

  get hasOutput(): boolean {
    return (this.bits & HAS_OUTPUT) !== 0;
  }

  get startedMs(): number {
    return fromSeconds(this.started);
  }

  get startedAt(): string {
    return iso(this.started) as string;
  }

  /** The run's metadata, built on demand. */
  get meta(): RunMeta {
    const command = this.schedule.ids.commandLineOf(this);
    const meta: RunMeta = {
      id: this.id,
      started_at: iso(this.started) as string,
      finished_at: iso(this.finished),
      exit_code: this.exit,
      duration: this.duration,
      schedule_id: this.schedule.id,
      command_id: this.commandId,
      trigger: TRIGGERS[(this.bits >> 3) & 3] as RunTrigger,
      status: this.status,
      scheduled_for: iso(this.scheduled),
      signal: this.schedule.ids.signalOf(this),
      truncated: (this.bits & TRUNCATED) !== 0,
      attempt: this.bits >>> ATTEMPT_SHIFT,
      retry_of: this.schedule.ids.retryOfOf(this),
      shell: this.how?.shell ?? null,
      env_file: this.how?.env_file ?? null,
    };
    if (command !== undefined) meta.command = command;
    return meta;
  }
}

/**
 * Every run of every schedule by its ids: one map for all, keyed by run id; a new run's
 * command id is found through its twin run id, an older one's through a second, small map.
 */
export class RunIds {
  readonly #byRun = new Map<string, IndexEntry>();
  /** Older history, where a command id is not the run id's twin: both ways. */
  readonly #byCommand = new Map<string, IndexEntry>();
  readonly #commandOf = new Map<IndexEntry, string>();
  /** Signals: only runs ended by one have it. */
  readonly #signals = new Map<IndexEntry, string>();
  /** Only retries have the command id of their first attempt. */
  readonly #retryOf = new Map<IndexEntry, string>();
  /** Command lines: only ad-hoc commands record theirs. */
  readonly #commandLines = new Map<IndexEntry, string>();

  get size(): number {
    return this.#byRun.size;
  }

  byRun(runId: string): IndexEntry | undefined {
    return this.#byRun.get(runId);
  }

  byCommand(commandId: string): IndexEntry | undefined {
    const twin = commandId.startsWith('cmd_')
      ? this.#byRun.get(`run_${commandId.slice(4)}`)
      : undefined;
    return twin && !this.#commandOf.has(twin) ? twin : this.#byCommand.get(commandId);
  }

  commandOf(entry: IndexEntry): string {
    return this.#commandOf.get(entry) ?? twinCommand(entry.id);
  }

  signalOf(entry: IndexEntry): string | null {
    return this.#signals.get(entry) ?? null;
  }

  setSignal(entry: IndexEntry, signal: string | null): void {
    if (signal === null) this.#signals.delete(entry);
    else this.#signals.set(entry, signal);
  }

  retryOfOf(entry: IndexEntry): string | null {
    return this.#retryOf.get(entry) ?? null;
  }

  setRetryOf(entry: IndexEntry, retryOf: string | null): void {
    if (retryOf === null) this.#retryOf.delete(entry);
    else this.#retryOf.set(entry, retryOf);
  }

  commandLineOf(entry: IndexEntry): string | undefined {
    return this.#commandLines.get(entry);
  }

  setCommandLine(entry: IndexEntry, command: string | undefined): void {
    if (command === undefined) this.#commandLines.delete(entry);
    else this.#commandLines.set(entry, command);
  }

  add(entry: IndexEntry, commandId: string): void {
    this.#byRun.set(entry.id, entry);
    if (commandId !== twinCommand(entry.id)) {
      this.#byCommand.set(commandId, entry);
      this.#commandOf.set(entry, commandId);
    }
  }

  remove(entry: IndexEntry): void {
    if (this.#byRun.get(entry.id) === entry) this.#byRun.delete(entry.id);
    const cmd = this.#commandOf.get(entry);
    if (cmd !== undefined && this.#byCommand.get(cmd) === entry) this.#byCommand.delete(cmd);
    this.#commandOf.delete(entry);
    this.#signals.delete(entry);
    this.#retryOf.delete(entry);
    this.#commandLines.delete(entry);
  }

  clear(): void {
    this.#byRun.clear();
    this.#byCommand.clear();
    this.#commandOf.clear();
    this.#signals.clear();
    this.#retryOf.clear();
    this.#commandLines.clear();
  }
}

export class ScheduleIndex {
  /** Oldest first by start (ties by first record), so retention is a shift. */
  readonly entries: IndexEntry[] = [];
  /** Records in the file, superseded and dropped ones included: the measure of waste. */
  lines = 0;
  /** The file ends mid-line (torn write): the next append must start a fresh line. */
  needsNewline = false;
  /** started_at of the oldest run dropped from memory whose records are still on disk. */
  droppedOldestMs = Infinity;
  /** After a failed compaction, wait for this many lines before trying again. */
  retryAtLines = 0;

  constructor(
    readonly id: string,
    readonly ids: RunIds,
  ) {}

  /**
   * Builds the index from a log's text. The newest record of a run wins; lines that cannot
   * be read are skipped and reported through `warn` (a torn last line is a stop mid-write).
   * Process groups of runs still running are handed to `onGroup`.
   */
  static parse(
    id: string,
    text: string,
    ctx: { ids: RunIds; file: string; warn: (m: string) => void },
    onGroup: (entry: IndexEntry, group: RunGroup | null) => void,
  ): ScheduleIndex {
    const index = new ScheduleIndex(id, ctx.ids);
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
        onGroup(index.upsert(record.meta, record.hasOutput), record.group);
      } else if (torn && i === lines.length - 1) {
        ctx.warn(`history: ${ctx.file}: skipped a torn last record (the app stopped mid-write)`);
      } else if (bad++ === 0) {
        firstBad = i + 1;
      }
    });
    if (bad > 0) {
      ctx.warn(
        `history: ${ctx.file}: skipped ${bad} unreadable record(s), first at line ${firstBad}`,
      );
    }
    return index;
  }

  /** Puts the newest state of a run in, keeping entries in start order. */
  upsert(meta: RunMeta, hasOutput: boolean): IndexEntry {
    const existing = this.ids.byRun(meta.id);
    if (existing && existing.schedule === this) {
      const before = existing.started;
      existing.update(meta, hasOutput);
      if (existing.started !== before) {
        this.entries.splice(this.entries.indexOf(existing), 1);
        this.#insert(existing);
      }
      return existing;
    }
    const entry = new IndexEntry(this, meta, hasOutput);
    this.ids.add(entry, meta.command_id);
    this.#insert(entry);
    return entry;
  }

  #insert(entry: IndexEntry): void {
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

  /** The first position whose start is later than `started` (seconds). */
  #firstAfter(started: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as IndexEntry).started <= started) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first position of a run started at or after `ms`: `since` by binary search. */
  firstAtOrAfter(ms: number): number {
    return this.#firstAfter(Math.ceil((ms - EPOCH_MS) / 1000) - 1);
  }

  /**
   * Drops the oldest runs past the count or the age from memory (the disk catches up at the
   * next compaction) and returns them. A running run is never dropped: its final record is
   * still to come.
   */
  enforce(maxRuns: number, cutoffMs: number): IndexEntry[] {
    const { entries } = this;
    const cutoff = toSeconds(cutoffMs);
    let excess = entries.length - maxRuns;
    const keptRunning: IndexEntry[] = [];
    const dropped: IndexEntry[] = [];
    let i = 0;
    // Oldest first: once a run is within both limits, every newer one is too.
    for (; i < entries.length; i++) {
      const entry = entries[i] as IndexEntry;
      if (excess <= 0 && entry.started >= cutoff) break;
      if (entry.status === 'running') {
        keptRunning.push(entry);
        continue;
      }
      excess--;
      this.ids.remove(entry);
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
