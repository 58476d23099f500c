// Private files of the data directory: atomic replacement that leaves no temp file behind
// when it fails, and the data directory made private at start (tightened when it is ours,
// refused with a way out when it is someone else's). Real files in a temp dir.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log';
import {
  appendPrivate,
  DataDirPermissionError,
  mkdirPrivate,
  securePrivateDir,
  syncDir,
  writePrivateAtomic,
} from '../../src/core/private-fs';

let dir: string;
let warnings: string[];
const log: Logger = { info() {}, warn: (m) => void warnings.push(m), error() {} };
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-private-'));
  warnings = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('private writes', () => {
  it('replaces a file whole, 0600, from text or bytes, durable or not', () => {
    const path = join(dir, 'a.json');
    writePrivateAtomic(path, 'one');
    expect(readFileSync(path, 'utf8')).toBe('one');
    writePrivateAtomic(path, Buffer.from('two'), { durable: true });
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('leaves the old file and no temp file when the replacement fails', () => {
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    expect(() => writePrivateAtomic(path, 'new', { durable: true })).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(() => writePrivateAtomic(join(dir, 'missing', 'f'), 'x')).toThrow(/ENOENT/);
  });

  it('appends to a new file as 0600 and never loosens an existing one', () => {
    const path = join(dir, 'log.jsonl');
    appendPrivate(path, 'a\n');
    appendPrivate(path, 'b\n');
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(mode(path)).toBe(0o600);
  });

  it('makes folders 0700, nested too', () => {
    const nested = join(dir, 'a', 'b');
    mkdirPrivate(nested);
    expect(mode(nested)).toBe(0o700);
    expect(mode(join(dir, 'a'))).toBe(0o700);
  });

  it('syncing a folder that is not there is no error', () => {
    expect(() => syncDir(join(dir, 'missing'))).not.toThrow();
    expect(() => syncDir(dir)).not.toThrow();
  });
});

describe('the data directory made private', () => {
  it('creates it 0700 and says nothing', () => {
    const data = join(dir, 'data');
    securePrivateDir(data, log);
    expect(mode(data)).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('leaves a private one alone, whatever is inside', () => {
    const data = join(dir, 'data');
    mkdirSync(data, { mode: 0o700 });
    chmodSync(data, 0o700);
    writeFileSync(join(data, 'loose'), 'x');
    chmodSync(join(data, 'loose'), 0o644);
    securePrivateDir(data, log);
    expect(mode(join(data, 'loose'))).toBe(0o644);
    expect(warnings).toEqual([]);
  });

  it('tightens a loose one of ours with everything in it, not following links', () => {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'history'), { recursive: true });
    chmodSync(data, 0o755);
    chmodSync(join(data, 'history'), 0o755);
    writeFileSync(join(data, 'config.json'), '{}');
    chmodSync(join(data, 'config.json'), 0o644);
    writeFileSync(join(data, 'history', 'run.json'), '{}');
    chmodSync(join(data, 'history', 'run.json'), 0o640);
    writeFileSync(join(data, 'private'), '{}');
    chmodSync(join(data, 'private'), 0o600);
    const outside = join(dir, 'outside');
    writeFileSync(outside, 'x');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(data, 'link'));
    securePrivateDir(data, log, process.getuid?.() ?? null);
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'history'))).toBe(0o700);
    expect(mode(join(data, 'config.json'))).toBe(0o600);
    expect(mode(join(data, 'history', 'run.json'))).toBe(0o600);
    expect(mode(outside)).toBe(0o644);
    expect(warnings).toEqual([
      `the data directory ${data} was readable by other users; made it and 3 item(s) in it private (0700 folders, 0600 files)`,
    ]);
  });

  it('keeps the owner bits of a file it tightens (an executable stays executable)', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    chmodSync(data, 0o750);
    writeFileSync(join(data, 'tool'), '#!/bin/sh\n');
    chmodSync(join(data, 'tool'), 0o755);
    securePrivateDir(data, log, null);
    expect(mode(join(data, 'tool'))).toBe(0o700);
  });

  it('refuses a loose folder of another user, saying how to fix it', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    chmodSync(data, 0o755);
    const other = (process.getuid?.() ?? 0) + 1;
    let error: unknown;
    try {
      securePrivateDir(data, log, other);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirPermissionError);
    const e = error as DataDirPermissionError;
    expect(e.name).toBe('DataDirPermissionError');
    expect(e.dataDir).toBe(data);
    expect(e.message).toBe(
      `The data directory ${data} is readable by other users (mode 755) and belongs to another user ` +
        `(uid ${statSync(data).uid}), so it cannot be made private. Run \`chmod -R go-rwx '${data}'\` ` +
        'as its owner, or choose a folder of your own with --data-dir.',
    );
    expect(mode(data)).toBe(0o755);
  });

  it('pads a short mode in the message', () => {
    expect(new DataDirPermissionError('/d', 0o40007, 5).message).toContain('(mode 007)');
  });
});
