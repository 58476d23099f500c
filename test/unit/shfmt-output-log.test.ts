// The output log's bounds: the head never grows past its size, the tail is trimmed so a long
// stream is held in bounded memory, and a chunk that starts exactly at the end is appended.
import { describe, expect, it } from 'vitest';
import {
  appendLog,
  droppedChars,
  EMPTY_LOG,
  logFromSnapshot,
  logText,
  mergeChunk,
} from '../../src/shared/output-log';

const small = { head: 5, tail: 2 };

describe('output log bounds', () => {
  it('fills the head across chunks up to its size, then cuts the middle', () => {
    const log = appendLog(appendLog(EMPTY_LOG, 'ab', small), 'cdefghijklm', small);
    expect(log.total).toBe(13);
    expect(droppedChars(log, small)).toBe(6);
    expect(logText(log, small)).toBe('abcde\n[… 6 characters dropped …]\nlm');
  });

  it('keeps only the head of a first chunk larger than the head', () => {
    const log = appendLog(EMPTY_LOG, 'abcdefg', small);
    expect(logText(log, small)).toBe('abcdefg');
    expect(log.head).toBe('abcde');
    const more = appendLog(log, 'hijk', small);
    expect(logText(more, small)).toBe('abcde\n[… 4 characters dropped …]\njk');
  });

  it('holds at most the head and twice the tail of a long stream', () => {
    let log = EMPTY_LOG;
    for (let i = 0; i < 1000; i++) log = appendLog(log, 'xyz', small);
    expect(log.total).toBe(3000);
    expect(log.head.length + log.tail.length).toBeLessThanOrEqual(small.head + 2 * small.tail);
    expect(logText(log, small)).toBe('xyzxy\n[… 2993 characters dropped …]\nyz');
  });

  it('grows a snapshot that was already cut at its tail only', () => {
    const snapshot = logFromSnapshot('0123456789', 10);
    const log = appendLog(snapshot, 'abcdefghijklmn', small);
    expect(log.total).toBe(24);
    expect(logText(log, small)).toBe('0123456789\n[… 12 characters dropped …]\nmn');
  });

  it('appends a chunk that starts exactly where the log ends', () => {
    const log = logFromSnapshot('line 1\n', 7);
    const merged = mergeChunk(log, 'line 2\n', 7);
    expect(merged.kind).toBe('appended');
    expect(logText(merged.log)).toBe('line 1\nline 2\n');
    expect(mergeChunk(log, 'line 3\n', 8).kind).toBe('gap');
  });
});
