// The live log of a running command (src/core/live-output.ts): the batch bound exactly, a
// first chunk over it, and what the snapshot says once output was cut.
import { describe, expect, it } from 'vitest';
import { LIVE_PENDING_MAX, LiveOutput } from '../../src/core/live-output';

describe('the live batch', () => {
  it('a batch of exactly the bound is sent whole', () => {
    const live = new LiveOutput();
    live.push('stdout', 'a'.repeat(LIVE_PENDING_MAX - 1));
    live.push('stderr', 'b');
    expect(live.drain().map((c) => [c.stream, c.chunk.length])).toEqual([
      ['stdout', LIVE_PENDING_MAX - 1],
      ['stderr', 1],
    ]);
  });

  it('a first chunk over the bound sends nothing of that stream until the next batch', () => {
    const live = new LiveOutput();
    live.push('stderr', 'e\n');
    live.push('stdout', 'x'.repeat(LIVE_PENDING_MAX));
    live.push('stdout', 'later\n');
    expect(live.drain()).toEqual([{ stream: 'stderr', offset: 0, chunk: 'e\n' }]);
    live.push('stdout', 'z');
    expect(live.drain()).toEqual([{ stream: 'stdout', offset: LIVE_PENDING_MAX + 6, chunk: 'z' }]);
  });
});

describe('the snapshot', () => {
  it("is truncated once either stream was cut, and keeps each stream's length", () => {
    const huge = 'q'.repeat(300 * 1024);
    const errOnly = new LiveOutput();
    errOnly.push('stderr', huge);
    const s = errOnly.snapshot();
    expect(s.truncated).toBe(true);
    expect(s.output_length).toEqual({ stdout: 0, stderr: huge.length });
    const outOnly = new LiveOutput();
    outOnly.push('stdout', huge);
    outOnly.push('stderr', 'fine');
    expect(outOnly.snapshot().truncated).toBe(true);
    expect(outOnly.snapshot().stderr).toBe('fine');
  });
});
