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
  backupCopy,
  backupPath,
  openStoreFile,
  type StoreFactory,
} from '../../src/core/store-file';
import { confStoreFactory } from '../../src/headless/conf-store';
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
let errors: string[];
const log: Logger = {
  info() {},
  warn: (m) => void warnings.push(m),
  error: (m) => void errors.push(m),
};
const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-private-'));
  warnings = [];
  errors = [];
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

describe('opening the store file', () => {
  const config = () => join(dir, 'config.json');
  const open = (factory: StoreFactory = confStoreFactory) =>
    openStoreFile(factory, dir, clock, log);

  it('a missing or blank file is an empty store', () => {
    expect(open()).toMatchObject({ data: {}, digest: null });
    writeFileSync(config(), '  \n');
    expect(open()).toMatchObject({ data: {}, digest: null });
    expect(errors).toEqual([]);
  });

  it('reads an object with its digest, and writes through conf durably', () => {
    writeFileSync(config(), '{"schemaVersion":1}');
    const opened = open();
    expect(opened.data).toEqual({ schemaVersion: 1 });
    expect(opened.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(opened.conf.path).toBe(config());
    opened.conf.set('settings', { paused: true });
    expect(opened.conf.get('settings')).toEqual({ paused: true });
    opened.conf.set({ schemaVersion: 1, schedules: {} });
    expect(JSON.parse(readFileSync(config(), 'utf8'))).toEqual({
      schemaVersion: 1,
      schedules: {},
      settings: { paused: true },
    });
    expect(mode(config())).toBe(0o600);
  });

  const unusable: [string, string, string][] = [
    ['not JSON', '{ half', 'corrupt'],
    ['an array', '[]', 'not-an-object'],
    ['null', 'null', 'not-an-object'],
    ['number', '5', 'not-an-object'],
    ['string', '"x"', 'not-an-object'],
  ];
  it.each(unusable)('moves aside a file holding %s and starts empty', (what, text, why) => {
    writeFileSync(config(), text);
    chmodSync(config(), 0o644);
    expect(open().data).toEqual({});
    const aside = join(dir, `config.json.${why}-20260102T030405Z.bak`);
    expect(readFileSync(aside, 'utf8')).toBe(text);
    expect(mode(aside)).toBe(0o600);
    expect(errors).toHaveLength(1);
    const reason = why === 'corrupt' ? 'is not valid JSON (' : `holds ${what}, not an object`;
    expect(errors[0]).toContain(`store file ${config()} ${reason}`);
    expect(errors[0]).toContain(
      `moved it to ${aside} and started with an empty store. Restore from that file if needed.`,
    );
  });

  it('moves aside a folder in the file’s place', () => {
    mkdirSync(config());
    expect(open().data).toEqual({});
    expect(errors[0]).toContain('is a folder, not a file; moved it to ');
    expect(statSync(join(dir, 'config.json.unreadable-20260102T030405Z.bak')).isDirectory()).toBe(
      true,
    );
  });

  it('moves aside a file edited into bad JSON after it was read, and carries on', () => {
    writeFileSync(config(), '{}');
    const opened = open();
    writeFileSync(config(), '{ edited');
    opened.conf.set('settings', { paused: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('is not valid JSON');
    expect(JSON.parse(readFileSync(config(), 'utf8'))).toEqual({ settings: { paused: true } });
  });

  it('passes on other errors of the store library', () => {
    const broken: StoreFactory = () => {
      throw new TypeError('bad options');
    };
    const opened = open(broken);
    expect(() => opened.conf.get('x')).toThrow('bad options');
    expect(errors).toEqual([]);
    let calls = 0;
    const syntaxWithoutFile: StoreFactory = () => {
      calls++;
      throw Object.assign(new Error('Unexpected token'), { name: 'SyntaxError' });
    };
    expect(() => open(syntaxWithoutFile).conf.get('x')).toThrow('Unexpected token');
    expect(calls).toBe(1);
  });

  it('numbers backups made within one second, and reuses an identical copy', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, 'one');
    chmodSync(file, 0o644);
    const ms = clock.now();
    const first = backupCopy(file, 'invalid', clock);
    expect(first).toBe(`${file}.invalid-20260102T030405Z.bak`);
    expect(mode(first)).toBe(0o600);
    expect(backupCopy(file, 'invalid', clock)).toBe(first);
    writeFileSync(file, 'two');
    expect(backupCopy(file, 'invalid', clock)).toBe(`${file}.invalid-20260102T030405Z-2.bak`);
    expect(backupPath(file, 'invalid', ms)).toBe(`${file}.invalid-20260102T030405Z-3.bak`);
    expect(backupPath(file, 'other', ms + 1500)).toBe(`${file}.other-20260102T030406Z.bak`);
    // Another kind with the same content is not reused; nor a folder named like a backup.
    mkdirSync(`${file}.settings-20260101T000000Z.bak`);
    expect(backupCopy(file, 'settings', clock)).toBe(`${file}.settings-20260102T030405Z.bak`);
    expect(readFileSync(`${file}.settings-20260102T030405Z.bak`, 'utf8')).toBe('two');
  });
});
