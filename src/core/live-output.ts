// Live output of running commands, pushed out as `run.output` events a few times a second
// rather than per chunk, and bounded while it waits, because a command may print gigabytes.
import type { Run } from '../shared/types';
import type { EventBus } from './events';
import type { Timers } from './timers';

/** Live output waiting for the next flush: bounded, because a command may print gigabytes. */
const LIVE_OUTPUT_MAX = 64 * 1024;
const OUTPUT_FLUSH_MS = 100;

export interface LiveBuffer {
  run: Run;
  pending: { stdout: string; stderr: string; dropped: number };
}

export class LiveOutput {
  #timer: unknown = null;

  constructor(
    private readonly events: EventBus,
    private readonly timers: Timers,
    /** The runs whose buffers a flush empties. */
    private readonly active: () => Iterable<LiveBuffer>,
    private readonly flushMs = OUTPUT_FLUSH_MS,
  ) {}

  static buffer(run: Run): LiveBuffer {
    return { run, pending: { stdout: '', stderr: '', dropped: 0 } };
  }

  push(live: LiveBuffer, stream: 'stdout' | 'stderr', chunk: string): void {
    const p = live.pending;
    if (p.stdout.length + p.stderr.length + chunk.length > LIVE_OUTPUT_MAX) {
      // The UI shows the full captured output when the run ends; live view may thin out.
      p.dropped += chunk.length;
    } else {
      p[stream] += chunk;
    }
    if (this.#timer === null) {
      this.#timer = this.timers.setTimeout(() => {
        this.#timer = null;
        for (const a of this.active()) this.flush(a);
      }, this.flushMs);
    }
  }

  flush(live: LiveBuffer): void {
    const p = live.pending;
    const { run } = live;
    if (p.dropped > 0) {
      p.stderr += `\n[… ${p.dropped} characters of live output not shown; the run keeps its output …]\n`;
      p.dropped = 0;
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      if (p[stream] === '') continue;
      this.events.emit({
        type: 'run.output',
        command_id: run.command_id,
        run_id: run.id,
        schedule_id: run.schedule_id,
        stream,
        chunk: p[stream],
      });
      p[stream] = '';
    }
  }
}
