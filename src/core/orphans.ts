// Runs of before a crash whose process group still runs. Each counts as running (overlap
// 'skip' holds, cancel works) until its group is ended (SIGTERM, SIGKILL after the grace);
// then the engine records it interrupted.
import type { Run } from '../shared/types';
import type { RunGroup, RunMeta } from './history';
import type { Logger } from './log';
import { endGroup } from './process-groups';
import type { Timers } from './timers';

interface Orphan {
  run: RunMeta;
  done: Promise<void>;
}

export class Orphans {
  readonly #items = new Map<string, Orphan>();

  constructor(
    private readonly timers: Timers,
    private readonly log: Logger,
    private readonly graceMs: number,
  ) {}

  /** Ends the group, then calls `ended` (which records the run). */
  end(run: RunMeta, group: RunGroup, ended: (run: RunMeta) => void): void {
    this.log.warn(
      `run ${run.id} of ${run.schedule_id} outlived the app (process group ${group.pgid}); ending it`,
    );
    const done = endGroup(group.pgid, this.graceMs, this.timers).then(() => {
      this.#items.delete(run.command_id);
      ended(run);
    });
    this.#items.set(run.command_id, { run, done });
    void done.catch((e: unknown) => this.log.error(`ending run ${run.id}: ${String(e)}`));
  }

  /** The run of a command still being ended, as the API shows it (no output kept). */
  get(commandId: string): Run | undefined {
    const o = this.#items.get(commandId);
    return o && { ...o.run, stdout: '', stderr: '' };
  }

  /**
   * Cancels the run of a command if it is one of these: it is being ended from the start (see
   * end()), so a cancel has nothing left to do but say so. Nor has the deletion of a schedule.
   */
  cancel(commandId: string): boolean {
    return this.#items.has(commandId);
  }

  commandOf(scheduleId: string): string | null {
    for (const o of this.#items.values())
      if (o.run.schedule_id === scheduleId) return o.run.command_id;
    return null;
  }

  runs(): Run[] {
    return [...this.#items.values()].map((o) => ({ ...o.run, stdout: '', stderr: '' }));
  }

  done(): Promise<void>[] {
    return [...this.#items.values()].map((o) => o.done);
  }
}
