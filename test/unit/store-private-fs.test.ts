// The private file helpers on real files: a data directory that belongs to someone else is
// refused by the user this process runs as (no uid passed in), and durable writes do not
// leak a descriptor per write (an app that writes its store for weeks would run out).
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log';
import {
  DataDirPermissionError,
  securePrivateDir,
  syncDir,
  writePrivateAtomic,
} from '../../src/core/private-fs';

const warnings: string[] = [];
const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-private-fs-'));
  warnings.length = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('securePrivateDir as the running user', () => {
  it.runIf(process.getuid?.() === 0)(
    'refuses a loose folder owned by another uid, even though root could chmod it',
    () => {
      const data = join(dir, 'data');
      mkdirSync(data);
      chmodSync(data, 0o755);
      chownSync(data, 4321, 4321);
      expect(() => securePrivateDir(data, log)).toThrow(DataDirPermissionError);
      expect(warnings).toEqual([]);
    },
  );

  it('tightens a loose folder of its own and says so', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    chmodSync(data, 0o755);
    securePrivateDir(data, log);
    expect(warnings).toEqual([expect.stringContaining(`the data directory ${data} was readable`)]);
  });
});

describe('durable writes keep no descriptor open', () => {
  it.runIf(process.platform === 'linux')('a hundred durable writes and folder syncs', () => {
    const before = openDescriptors();
    for (let i = 0; i < 100; i++) {
      writePrivateAtomic(join(dir, 'store.json'), `{"n":${i}}`, { durable: true });
      syncDir(dir);
    }
    expect(openDescriptors()).toBe(before);
  });
});
