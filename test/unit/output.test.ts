import { describe, it, expect } from 'vitest';
import {
  OUTPUT_HEAD_BYTES,
  OUTPUT_TAIL_BYTES,
  OutputCapture,
  droppedMarker,
} from '../../src/core/output';

/** ASCII only, so that decoding is the identity and byte offsets equal string offsets. */
function pattern(length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = 33 + ((i * 7 + Math.floor(i / 91)) % 94);
  return b;
}

function feed(capture: OutputCapture, data: Buffer, chunkSize: number): void {
  for (let i = 0; i < data.length; i += chunkSize) capture.push(data.subarray(i, i + chunkSize));
}

/** What the capture must hold: head, marker, tail, computed from the whole input. */
function expected(data: Buffer, head: number, tail: number): string {
  if (data.length <= head + tail) return data.toString('utf8');
  const dropped = data.length - head - tail;
  return (
    data.subarray(0, head).toString('utf8') +
    droppedMarker(dropped) +
    data.subarray(data.length - tail).toString('utf8')
  );
}

describe('OutputCapture', () => {
  // README, "Runs": "Each stream keeps its first and last 128 KiB, with a marker saying how
  // many bytes were dropped between": the documented number, not the source constant.
  it('keeps the first and last 128 KiB of a stream by default, and says what it dropped', () => {
    const capture = new OutputCapture();
    const head = Buffer.alloc(131_072, 'h');
    const middle = Buffer.alloc(1000, 'm');
    const tail = Buffer.alloc(131_072, 't');
    capture.push(Buffer.concat([head, middle, tail]));
    expect(capture.text()).toBe(
      `${'h'.repeat(131_072)}\n[… 1000 bytes dropped …]\n${'t'.repeat(131_072)}`,
    );
    const exact = new OutputCapture();
    exact.push(Buffer.concat([head, tail]));
    expect(exact.truncated).toBe(false);
    expect(exact.text()).toHaveLength(262_144);
  });

  it('keeps a small output untouched', () => {
    const c = new OutputCapture();
    c.push(Buffer.from('hello '));
    c.push(Buffer.from('wörld\n'));
    expect(c.text()).toBe('hello wörld\n');
    expect(c.truncated).toBe(false);
    expect(c.droppedBytes).toBe(0);
    expect(c.totalBytes).toBe(Buffer.byteLength('hello wörld\n'));
  });

  it('is empty before any input, and ignores empty chunks', () => {
    const c = new OutputCapture();
    expect(c.text()).toBe('');
    c.push(Buffer.alloc(0));
    expect(c.text()).toBe('');
    expect(c.truncated).toBe(false);
  });

  it('does not truncate an input of exactly head + tail bytes', () => {
    const data = pattern(OUTPUT_HEAD_BYTES + OUTPUT_TAIL_BYTES);
    const c = new OutputCapture();
    feed(c, data, 10_000);
    expect(c.truncated).toBe(false);
    expect(c.text()).toBe(data.toString('utf8'));
  });

  it('drops the single byte after the limit and says so', () => {
    const data = pattern(OUTPUT_HEAD_BYTES + OUTPUT_TAIL_BYTES + 1);
    const c = new OutputCapture();
    c.push(data);
    expect(c.truncated).toBe(true);
    expect(c.droppedBytes).toBe(1);
    const text = c.text();
    expect(text).toContain('\n[… 1 bytes dropped …]\n');
    expect(text).toBe(expected(data, OUTPUT_HEAD_BYTES, OUTPUT_TAIL_BYTES));
  });

  it.each([1, 3, 7, 10, 11, 17, 64, 1000, 5000])(
    'keeps head and tail exactly with small limits, chunks of %i bytes',
    (chunkSize) => {
      const data = pattern(4321);
      const c = new OutputCapture(10, 7);
      feed(c, data, chunkSize);
      expect(c.droppedBytes).toBe(4321 - 17);
      expect(c.text()).toBe(expected(data, 10, 7));
    },
  );

  it.each([1024, 4096, 65_536, 100_000, 300_000, 3_000_000])(
    'keeps 128 KiB head and tail of 3 MB fed in chunks of %i bytes',
    (chunkSize) => {
      const data = pattern(3_000_000);
      const c = new OutputCapture();
      feed(c, data, chunkSize);
      expect(c.truncated).toBe(true);
      expect(c.droppedBytes).toBe(3_000_000 - OUTPUT_HEAD_BYTES - OUTPUT_TAIL_BYTES);
      expect(c.text()).toBe(expected(data, OUTPUT_HEAD_BYTES, OUTPUT_TAIL_BYTES));
    },
  );

  it('handles chunks of varying sizes around the ring boundary', () => {
    const data = pattern(50_000);
    const c = new OutputCapture(100, 333);
    let i = 0;
    for (let n = 1; i < data.length; n = (n * 31 + 7) % 700) {
      c.push(data.subarray(i, i + n));
      i += n;
    }
    expect(c.text()).toBe(expected(data, 100, 333));
  });

  it('keeps a multibyte character whole when nothing is dropped', () => {
    const data = Buffer.from('€'.repeat(40));
    const c = new OutputCapture(10, 200);
    feed(c, data, 1);
    expect(c.text()).toBe('€'.repeat(40));
  });
});
