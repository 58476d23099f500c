// The output of one run while it runs, as a log a client can follow: what it printed so
// far (the start and the end of it, bounded like the capture), which GET /v1/commands/:id
// returns, and the chunks waiting to go out as `run.output` events, each with the offset
// where it starts. A client fetches the log, then appends events from its end; a batch that
// was too big to send leaves a gap in the offsets, and the client fetches the log again.
import { appendLog, droppedChars, EMPTY_LOG, logText, type OutputLog } from '../shared/output-log';
import type { Run } from '../shared/types';

type Stream = 'stdout' | 'stderr';

/** Characters waiting for the next flush, both streams together. */
export const LIVE_PENDING_MAX = 64 * 1024;

export interface OutputChunk {
  stream: Stream;
  /** Characters the stream printed before this chunk. */
  offset: number;
  chunk: string;
}

interface Pending {
  offset: number;
  text: string;
  /** Over the bound: the rest of this batch is not sent (the log still keeps it). */
  full: boolean;
}

export type LiveSnapshot = Pick<Run, 'stdout' | 'stderr' | 'truncated' | 'output_length'>;

export class LiveOutput {
  #logs: Record<Stream, OutputLog> = { stdout: EMPTY_LOG, stderr: EMPTY_LOG };
  // Stryker disable next-line ObjectLiteral: undefined, like null, is no batch
  #pending: Record<Stream, Pending | null> = { stdout: null, stderr: null };
  #pendingSize = 0;

  push(stream: Stream, chunk: string): void {
    // Stryker disable next-line ConditionalExpression, StringLiteral: '' changes no log, no batch
    if (chunk === '') return;
    const offset = this.#logs[stream].total;
    this.#logs[stream] = appendLog(this.#logs[stream], chunk);
    const pending = this.#pending[stream];
    if (pending?.full) return;
    if (this.#pendingSize + chunk.length > LIVE_PENDING_MAX) {
      if (pending) pending.full = true;
      else this.#pending[stream] = { offset, text: '', full: true };
      return;
    }
    if (pending) pending.text += chunk;
    else this.#pending[stream] = { offset, text: chunk, full: false };
    this.#pendingSize += chunk.length;
  }

  /** The chunks to send now; the next batch starts empty. */
  drain(): OutputChunk[] {
    const out: OutputChunk[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const pending = this.#pending[stream];
      if (pending && pending.text !== '') {
        out.push({ stream, offset: pending.offset, chunk: pending.text });
      }
      this.#pending[stream] = null;
    }
    this.#pendingSize = 0;
    return out;
  }

  /** The run's output so far, and where each stream's text ends. */
  snapshot(): LiveSnapshot {
    const { stdout, stderr } = this.#logs;
    return {
      stdout: logText(stdout),
      stderr: logText(stderr),
      truncated: droppedChars(stdout) + droppedChars(stderr) > 0,
      output_length: { stdout: stdout.total, stderr: stderr.total },
    };
  }
}
