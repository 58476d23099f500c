// What the user reads when the data directory cannot be written: the free space of real
// file systems (tmpfs mounts of exact sizes, as root) in the unit a person reads, the newest
// problem shown first whatever the clock did, and one log line per problem, not one per
// failed write.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log';
import { describeStorageError, StorageHealth } from '../../src/core/storage-health';

const isRoot = process.getuid?.() === 0;
let dir: string;
const mounts: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-storage-health-'));
});
afterAll(() => {
  for (const m of mounts) execFileSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
});

/** An empty tmpfs of exactly `size` (tmpfs counts whole 4 KiB pages). */
function tmpfs(size: string): string {
  const mnt = join(dir, size);
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', mnt]);
  mounts.push(mnt);
  return mnt;
}

const enospc = () => Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });

describe.skipIf(!isRoot)('describeStorageError: the free space, as a person reads it', () => {
  it('bytes, KiB, MiB and GiB, each unit from its first whole value', () => {
    const full = tmpfs('4k');
    writeFileSync(join(full, 'filler'), Buffer.alloc(4096));
    const cases: [string, string][] = [
      [full, '0 bytes'],
      [tmpfs('64k'), '64.0 KiB'],
      [tmpfs('1m'), '1.0 MiB'],
      [tmpfs('3m'), '3.0 MiB'],
      [tmpfs('1g'), '1.0 GiB'],
      [tmpfs('3g'), '3.0 GiB'],
    ];
    for (const [mnt, free] of cases) {
      const path = join(mnt, 'config.json');
      expect(describeStorageError(path, enospc())).toBe(
        `cannot write ${path}: no space left on the device (ENOSPC); ${free} free`,
      );
    }
  });
});

describe('StorageHealth', () => {
  function health(start: number) {
    const lines: string[] = [];
    const log: Logger = {
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    };
    const clock = { ms: start, now: () => clock.ms };
    return { h: new StorageHealth(clock, log), lines, clock };
  }

  it('shows the newest problem, even when the clock went back between them', () => {
    const { h, clock } = health(Date.parse('2026-06-01T10:00:00Z'));
    h.failed('history', join(dir, 'history'), enospc());
    clock.ms = Date.parse('2026-06-01T09:00:00Z'); // the clock was set back
    h.failed('store', join(dir, 'config.json'), enospc());
    expect(h.status().problem).toMatchObject({
      scope: 'history',
      since: '2026-06-01T10:00:00Z',
    });
  });

  it('logs a problem once, however many writes fail, and again after it cleared', () => {
    const { h, lines } = health(Date.parse('2026-06-01T10:00:00Z'));
    const err = Object.assign(new Error('EROFS'), { code: 'EROFS' });
    for (let i = 0; i < 5; i++) h.failed('state', join(dir, 'state.json'), err);
    expect(lines.filter((l) => l.startsWith('error'))).toHaveLength(1);
    h.succeeded('state');
    h.failed('state', join(dir, 'state.json'), err);
    expect(lines.filter((l) => l.startsWith('error'))).toHaveLength(2);
  });

  it('an error without a code is reported as an input/output error', () => {
    const { h } = health(0);
    h.failed('pending', join(dir, 'pending.json'), new Error('device gone'));
    expect(h.status().problem).toMatchObject({ code: 'EIO' });
    expect(h.status().problem?.message).toMatch(/: an input\/output error .*\(EIO\)/);
  });
});
