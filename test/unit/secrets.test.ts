// The Cmdop API token at rest: owner-only file, optional encryption, clearing.
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../src/core/secrets';
import { removeDir, tempDir } from '../helpers/server';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

describe('fileSecretStore', () => {
  it('keeps the secret in a 0600 file and clears it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = fileSecretStore(join(dir, 'secret'));
    expect(store.get()).toBeNull();
    store.set('s3cret-value');
    expect(store.get()).toBe('s3cret-value');
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
    store.set(null);
    expect(existsSync(join(dir, 'secret'))).toBe(false);
    expect(store.get()).toBeNull();
  });

  it('writes only ciphertext when given a codec', () => {
    const dir = tempDir();
    dirs.push(dir);
    // A stand-in for safeStorage: reversible, and visibly not the plain text.
    const codec = {
      encrypt: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
      decrypt: (data: Buffer) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString(),
    };
    const store = fileSecretStore(join(dir, 'secret.enc'), codec);
    store.set('s3cret-value');
    expect(store.encrypted).toBe(true);
    expect(readFileSync(join(dir, 'secret.enc'), 'utf8')).not.toContain('s3cret');
    expect(store.get()).toBe('s3cret-value');
  });
});
