// A stream's output as a log that can be followed: every character has an offset (how many
// characters the stream printed before it), the engine keeps the start and the end of what
// a live run printed, and a client that fetched the log so far appends `run.output` chunks
// from where it ends. Pure, so the engine and the UI apply the same rules to the same text.

/** Characters kept from the start of a stream, and at most as many from its end. */
export const LOG_HEAD_CHARS = 128 * 1024;
export const LOG_TAIL_CHARS = 128 * 1024;

export interface OutputLog {
  /** The first characters, up to the head size (more when it was made from a snapshot). */
  readonly head: string;
  /** What came after the head; trimmed to the tail size from the front. */
  readonly tail: string;
  /** Characters printed in total, kept or not: the offset of the next chunk. */
  readonly total: number;
  /** Characters cut between head and tail. */
  readonly cut: number;
}

export const EMPTY_LOG: OutputLog = { head: '', tail: '', total: 0, cut: 0 };

export interface LogLimits {
  head: number;
  tail: number;
}

const LIMITS: LogLimits = { head: LOG_HEAD_CHARS, tail: LOG_TAIL_CHARS };

export function cutMarker(chars: number): string {
  return `\n[… ${chars} characters dropped …]\n`;
}

/** Appends the next chunk of the stream. */
export function appendLog(log: OutputLog, chunk: string, limits = LIMITS): OutputLog {
  const total = log.total + chunk.length;
  let { head, tail, cut } = log;
  // The head fills first: nothing reaches the tail (or is cut) while the head has room.
  // Stryker disable next-line EqualityOperator: a full head has no room, so it gains ''
  if (head.length < limits.head) {
    const room = limits.head - head.length;
    head += chunk.slice(0, room);
    chunk = chunk.slice(room);
  }
  tail += chunk;
  // Trimmed in steps of a whole tail, so a stream of small chunks copies each byte twice at
  // most instead of once per chunk.
  // Stryker disable next-line EqualityOperator: trimming at exactly twice the tail keeps the same text
  if (tail.length > 2 * limits.tail) {
    cut += tail.length - limits.tail;
    tail = tail.slice(tail.length - limits.tail);
  }
  return { head, tail, cut, total };
}

/** Characters printed but not kept (the tail may hold up to twice its size until trimmed). */
export function droppedChars(log: OutputLog, limits = LIMITS): number {
  return log.cut + Math.max(0, log.tail.length - limits.tail);
}

/** The kept text, with one marker line where characters were cut. */
export function logText(log: OutputLog, limits = LIMITS): string {
  const dropped = droppedChars(log, limits);
  if (dropped === 0) return log.head + log.tail;
  return log.head + cutMarker(dropped) + log.tail.slice(log.tail.length - limits.tail);
}

/** A log whose kept text is `text` and whose stream has printed `total` characters. */
export function logFromSnapshot(text: string, total: number): OutputLog {
  return { head: text, tail: '', total, cut: 0 };
}

export type MergeResult =
  | { kind: 'appended'; log: OutputLog }
  /** Everything in the chunk was already in the log. */
  | { kind: 'duplicate'; log: OutputLog }
  /** The chunk starts past the end of the log: something in between was missed. */
  | { kind: 'gap'; log: OutputLog };

/** Adds a chunk that starts at `offset`, keeping only what the log does not have yet. */
export function mergeChunk(
  log: OutputLog,
  chunk: string,
  offset: number,
  limits = LIMITS,
): MergeResult {
  if (offset > log.total) return { kind: 'gap', log };
  const fresh = chunk.slice(log.total - offset);
  if (fresh === '') return { kind: 'duplicate', log };
  return { kind: 'appended', log: appendLog(log, fresh, limits) };
}
