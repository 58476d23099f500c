// The output log shared by the engine (live runs) and the UI (following a run).
import { describe, expect, it } from 'vitest';
import {
  appendLog,
  EMPTY_LOG,
  logFromSnapshot,
  logText,
  mergeChunk,
} from '../../src/shared/output-log';
import { LiveOutput, LIVE_PENDING_MAX } from '../../src/core/live-output';

const small = { head: 5, tail: 4 };

describe('output log', () => {
  it('keeps everything while it fits, with the total as the next offset', () => {
    const log = appendLog(appendLog(EMPTY_LOG, 'ab', small), 'cd', small);
    expect(logText(log, small)).toBe('abcd');
    expect(log.total).toBe(4);
  });

  it('keeps the head and the tail with one marker naming what was cut', () => {
    let log = EMPTY_LOG;
    for (const c of 'abcdefghijklmnopqrst') log = appendLog(log, c, small);
    expect(log.total).toBe(20);
    expect(logText(log, small)).toBe('abcde\n[… 11 characters dropped …]\nqrst');
  });

  it('merges chunks by offset: duplicates dropped, overlaps trimmed, gaps reported', () => {
    const log = logFromSnapshot('line 1\nline 2\n', 14);
    expect(mergeChunk(log, 'line 1\n', 0).kind).toBe('duplicate');
    const overlap = mergeChunk(log, 'line 2\nline 3\n', 7);
    expect(overlap.kind).toBe('appended');
    expect(logText(overlap.log)).toBe('line 1\nline 2\nline 3\n');
    expect(overlap.log.total).toBe(21);
    expect(mergeChunk(log, 'later\n', 30)).toEqual({ kind: 'gap', log });
  });
});

describe('LiveOutput', () => {
  it('batches chunks per stream with the offset of their first character', () => {
    const live = new LiveOutput();
    live.push('stdout', 'a\n');
    live.push('stderr', 'x\n');
    live.push('stdout', 'b\n');
    expect(live.drain()).toEqual([
      { stream: 'stdout', offset: 0, chunk: 'a\nb\n' },
      { stream: 'stderr', offset: 0, chunk: 'x\n' },
    ]);
    live.push('stdout', 'c\n');
    expect(live.drain()).toEqual([{ stream: 'stdout', offset: 4, chunk: 'c\n' }]);
    expect(live.snapshot()).toEqual({
      stdout: 'a\nb\nc\n',
      stderr: 'x\n',
      truncated: false,
      output_length: { stdout: 6, stderr: 2 },
    });
  });

  it('sends at most a bounded batch; the log keeps what was not sent', () => {
    const live = new LiveOutput();
    const big = 'y'.repeat(LIVE_PENDING_MAX);
    live.push('stdout', 'start\n');
    live.push('stdout', big);
    live.push('stdout', 'more\n');
    expect(live.drain()).toEqual([{ stream: 'stdout', offset: 0, chunk: 'start\n' }]);
    live.push('stdout', 'next\n');
    const [next] = live.drain();
    expect(next).toEqual({ stream: 'stdout', offset: 6 + big.length + 5, chunk: 'next\n' });
    expect(live.snapshot().stdout.endsWith('more\nnext\n')).toBe(true);
  });
});
