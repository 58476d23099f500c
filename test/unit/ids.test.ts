import { describe, it, expect } from 'vitest';
import { hasPrefix, newId, randomBase62, type IdPrefix } from '../../src/shared/ids';

const PREFIXES: IdPrefix[] = ['sched', 'run', 'cmd', 'mach', 'req'];

describe('newId', () => {
  it.each(PREFIXES)('makes %s_ ids of 16 base62 characters', (prefix) => {
    const id = newId(prefix);
    expect(id).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{16}$`));
    expect(hasPrefix(id, prefix)).toBe(true);
  });

  it('hasPrefix tells prefixes apart', () => {
    expect(hasPrefix(newId('run'), 'sched')).toBe(false);
    expect(hasPrefix('schedx_abc', 'sched')).toBe(false);
  });

  it('gives 10k distinct ids, all base62', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(newId('sched'));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^sched_[0-9A-Za-z]{16}$/);
  });

  it('uses the whole base62 alphabet', () => {
    const seen = new Set(randomBase62(20_000));
    expect(seen.size).toBe(62);
    for (const c of seen) expect(c).toMatch(/^[0-9A-Za-z]$/);
  });

  it('randomBase62 returns the requested length', () => {
    expect(randomBase62(0)).toBe('');
    expect(randomBase62(1)).toHaveLength(1);
    expect(randomBase62(300)).toHaveLength(300);
  });
});
