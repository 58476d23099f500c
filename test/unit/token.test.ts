import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateToken, loadOrCreateToken, TOKEN_FILE, tokensMatch } from '../../src/core/token';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-token-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('loadOrCreateToken', () => {
  it('generates a base64url token of at least 32 random bytes', () => {
    const source = loadOrCreateToken(dir);
    expect(source.origin).toBe('generated');
    expect(source.path).toBe(join(dir, TOKEN_FILE));
    expect(source.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(source.token, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('stores the token in a file only the owner can read (0600)', () => {
    const source = loadOrCreateToken(dir);
    expect(readFileSync(source.path, 'utf8').trim()).toBe(source.token);
    expect(mode(source.path)).toBe(0o600);
  });

  it('returns the same token on later calls', () => {
    const first = loadOrCreateToken(dir);
    const second = loadOrCreateToken(dir);
    expect(second.token).toBe(first.token);
    expect(second.origin).toBe('file');
  });

  it('repairs loosened file permissions', () => {
    const first = loadOrCreateToken(dir);
    chmodSync(first.path, 0o644);
    expect(loadOrCreateToken(dir).token).toBe(first.token);
    expect(mode(first.path)).toBe(0o600);
  });

  it('replaces a token file that is too short to be safe', () => {
    writeFileSync(join(dir, TOKEN_FILE), 'short\n');
    const source = loadOrCreateToken(dir);
    expect(source.origin).toBe('generated');
    expect(source.token).not.toBe('short');
    expect(source.token.length).toBeGreaterThanOrEqual(43);
    expect(readFileSync(source.path, 'utf8').trim()).toBe(source.token);
  });

  it('uses the environment value and does not write it to disk', () => {
    const source = loadOrCreateToken(dir, '  my-env-token  ');
    expect(source).toMatchObject({ token: 'my-env-token', origin: 'env' });
    expect(existsSync(join(dir, TOKEN_FILE))).toBe(false);
  });

  it('prefers the environment value over an existing file', () => {
    const stored = loadOrCreateToken(dir);
    const source = loadOrCreateToken(dir, 'from-env');
    expect(source.token).toBe('from-env');
    expect(readFileSync(stored.path, 'utf8').trim()).toBe(stored.token);
  });

  it('ignores a blank environment value', () => {
    expect(loadOrCreateToken(dir, '   ').origin).toBe('generated');
  });

  it('generates different tokens each time', () => {
    expect(generateToken()).not.toBe(generateToken());
  });
});

describe('tokensMatch', () => {
  it('is true only for the identical token', () => {
    const token = generateToken();
    expect(tokensMatch(token, token)).toBe(true);
    expect(tokensMatch(`${token}x`, token)).toBe(false);
    expect(tokensMatch(token.slice(0, -1), token)).toBe(false);
    expect(tokensMatch('', token)).toBe(false);
    expect(tokensMatch(token.toUpperCase(), token.toLowerCase())).toBe(false);
  });
});
