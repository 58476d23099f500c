// @ts-nocheck
// 
// IDs are a prefix plus random base62, as Cmdop's (`sched_abc123`). 16 chars of base62 give
// ~95 bits: collisions are not a practical concern for one machine's schedules and runs.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type IdPrefix = 'sched' | 'run' | 'cmd' | 'mach' | 'req';

// Random bytes are drawn in blocks: one getRandomValues call per id was a visible share of
// the CPU of a busy engine (100 runs a second, two ids each).
const pool = new Uint8Array(4096);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++] as number;
}

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    // Rejection sampling keeps the distribution uniform (256 is not a multiple of 62).
    if (b < 248) out += ALPHABET[b % 62] as string;
  }
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(16)}`;
}

/**
 * A run's id and its command's id, twins with one random part (`run_X`, `cmd_X`): either
 * finds the other, and history keeps one string for both.
 */
export function newRunIds(): { id: string; command_id: string } {
  const suffix = randomBase62(16);
  return { id: `run_${suffix}`, command_id: `cmd_${suffix}` };
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return id.startsWith(`${prefix}_`);
}
