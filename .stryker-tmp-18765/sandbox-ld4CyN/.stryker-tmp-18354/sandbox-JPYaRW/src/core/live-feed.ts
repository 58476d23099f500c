// @ts-nocheck
// 
// Live output of running commands goes out as `run.output` events a few times a second,
// not per chunk, each with the offset where it starts in its stream (see live-output.ts: a
// client that missed a batch sees the gap and fetches the log again).
import type { Run } from '../shared/types';
import type { EventBus } from './events';
import type { LiveOutput } from './live-output';
import type { Timers } from './timers';

export const OUTPUT_FLUSH_MS = 100;

export interface LiveRun {
  run: Run;
  /** Its output so far (GET /v1/commands/:id) and the chunks waiting for the next flush. */
  live: LiveOutput;
}

export class LiveFeed {
  #timer: unknown = null;

  constructor(
    private readonly events: EventBus,
    private readonly timers: Timers,
    /** The runs whose waiting chunks a flush sends. */
    private readonly active: () => Iterable<LiveRun>,
    private readonly flushMs = OUTPUT_FLUSH_MS,
  ) {}

  push(a: LiveRun, stream: 'stdout' | 'stderr', chunk: string): void {
    a.live.push(stream, chunk);
    if (this.#timer === null) {
      this.#timer = this.timers.setTimeout(() => {
        this.#timer = null;
        for (const r of this.active()) this.flush(r);
      }, this.flushMs);
    }
  }

  flush({ run, live }: LiveRun): void {
    for (const { stream, offset, chunk } of live.drain()) {
      this.events.emit({
        type: 'run.output',
        command_id: run.command_id,
        run_id: run.id,
        schedule_id: run.schedule_id,
        stream,
        offset,
        chunk,
      });
    }
  }
}
