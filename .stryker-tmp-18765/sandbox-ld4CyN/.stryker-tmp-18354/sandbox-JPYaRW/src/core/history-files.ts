// @ts-nocheck
// 
// The history's files under `dir`, and nothing else: the index lives in HistoryStore.
//   <schedule_id>.jsonl          one record per line (see history-record.ts)
//   <schedule_id>/<run_id>.json  {"stdout","stderr"} of one run, only when it printed something
// Every file is private (0600, folders 0700); errors are the caller's to handle, except
// where losing the operation is harmless (removing, reading one output).
import { readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { appendPrivate, mkdirPrivate, writePrivateAtomic } from './private-fs';

export const SAFE_ID = /^[A-Za-z0-9_-]+$/;

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

export class HistoryFiles {
  #dirMade = false;

  constructor(
    readonly dir: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  logPath(scheduleId: string): string {
    return join(this.dir, `${scheduleId}.jsonl`);
  }

  private outputDir(scheduleId: string): string {
    return join(this.dir, scheduleId);
  }

  private outputPath(scheduleId: string, runId: string): string {
    return join(this.dir, scheduleId, `${runId}.json`);
  }

  private ensureDir(): void {
    if (this.#dirMade) return;
    mkdirPrivate(this.dir);
    this.#dirMade = true;
  }

  /** Schedule ids that have a log. */
  logIds(): string[] {
    this.ensureDir();
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => name.slice(0, -'.jsonl'.length))
      .filter((id) => SAFE_ID.test(id));
  }

  /** The log's text, or null when there is none. */
  readLog(scheduleId: string): string | null {
    try {
      return readFileSync(this.logPath(scheduleId), 'utf8');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  /** Moves an unreadable log out of the way, so new runs can be written where it was. */
  setAside(scheduleId: string, why: string): void {
    const file = this.logPath(scheduleId);
    const aside = `${file}.unreadable-${this.clock.now()}`;
    try {
      renameSync(file, aside);
      this.log.warn(`history: ${file} could not be read (${why}); moved it to ${aside}`);
    } catch {
      this.log.warn(`history: ${file} could not be read (${why}); its runs are not shown`);
    }
  }

  appendLine(scheduleId: string, text: string): void {
    this.ensureDir();
    appendPrivate(this.logPath(scheduleId), text);
  }

  /** Replaces the log at once (compaction): fsynced, because it drops superseded lines. */
  replaceLog(scheduleId: string, text: string): void {
    writePrivateAtomic(this.logPath(scheduleId), text, { durable: true });
  }

  writeOutput(scheduleId: string, runId: string, stdout: string, stderr: string): void {
    this.ensureDir();
    mkdirPrivate(this.outputDir(scheduleId));
    // Atomic: a reader or a crash sees the old output or the new, never half of one.
    writePrivateAtomic(this.outputPath(scheduleId, runId), JSON.stringify({ stdout, stderr }));
  }

  removeOutput(scheduleId: string, runId: string): void {
    try {
      unlinkSync(this.outputPath(scheduleId, runId));
    } catch (e) {
      if (!isMissing(e)) {
        this.log.warn(`history: could not remove output of ${runId}: ${(e as Error).message}`);
      }
    }
  }

  readOutput(scheduleId: string, runId: string): { stdout: string; stderr: string } {
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

  /**
   * Removes every output file of a schedule but those of `keep` (run ids). Sweeping the
   * folder, rather than tracking dropped ids, also clears output orphaned by a crash between
   * writing it and appending its record, and leftover temp files.
   */
  sweepOutputs(scheduleId: string, keep: ReadonlySet<string>): void {
    let names: string[];
    try {
      names = readdirSync(this.outputDir(scheduleId));
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const name of names) {
      if (!name.endsWith('.json') || !keep.has(name.slice(0, -'.json'.length))) {
        rmSync(join(this.outputDir(scheduleId), name), { force: true });
      }
    }
  }

  /** A deleted schedule's log and outputs. */
  removeSchedule(scheduleId: string): void {
    if (!SAFE_ID.test(scheduleId)) return;
    rmSync(this.logPath(scheduleId), { force: true });
    rmSync(`${this.logPath(scheduleId)}.tmp`, { force: true });
    rmSync(this.outputDir(scheduleId), { recursive: true, force: true });
  }
}
