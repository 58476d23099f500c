// How ids are drawn: uniform base62 from the platform's random bytes, fetched in blocks, and
// a run's id and its command's id as twins. The random source is stubbed to known bytes, and
// the module loaded afresh so its block of bytes starts empty.
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

/** Loads ids.ts with getRandomValues filling every block from `bytes` (then zeros). */
async function withBytes(bytes: number[]) {
  const calls: number[] = [];
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T>(array: T): T => {
    const view = array as unknown as Uint8Array;
    view.fill(0);
    view.set(bytes.slice(0, view.length));
    calls.push(view.length);
    return array;
  });
  const ids = await import('../../src/shared/ids');
  return { ids, calls };
}

describe('random ids', () => {
  it('maps bytes to base62 and throws away 248..255, which would favour 0-7', async () => {
    const { ids } = await withBytes([248, 255, 10, 250, 11, 61, 62, 247]);
    // 248 -> skipped, 255 -> skipped, 10 -> A, 250 -> skipped, 11 -> B, 61 -> z, 62 -> 0, 247 -> z
    expect(ids.randomBase62(5)).toBe('ABz0z');
  });

  it('fetches random bytes in blocks of 4096, not once per id', async () => {
    const { ids, calls } = await withBytes(Array.from({ length: 4096 }, (_, i) => i % 62));
    for (let i = 0; i < 200; i++) ids.newId('run');
    // 200 ids of 16 characters: 3200 bytes, one block.
    expect(calls).toEqual([4096]);
    for (let i = 0; i < 100; i++) ids.newId('run');
    // 4800 bytes: a second block.
    expect(calls).toEqual([4096, 4096]);
  });

  it("a run's id and its command's id share one random part", async () => {
    const { ids } = await withBytes(Array.from({ length: 16 }, (_, i) => i));
    expect(ids.newRunIds()).toEqual({
      id: 'run_0123456789ABCDEF',
      command_id: 'cmd_0123456789ABCDEF',
    });
    const next = ids.newRunIds();
    expect(next.id.slice(4)).toBe(next.command_id.slice(4));
    expect(next.id).toMatch(/^run_[0-9A-Za-z]{16}$/);
  });
});
