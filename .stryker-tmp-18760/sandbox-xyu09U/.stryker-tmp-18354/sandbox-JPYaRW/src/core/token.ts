// @ts-nocheck
// 
// The local API token: from the environment when the user sets one, else generated once
// (32 random bytes) and kept with mode 0600 next to the data.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, writePrivateAtomic } from './private-fs';

export const TOKEN_FILE = 'api-token';

export interface TokenSource {
  token: string;
  /** Where the token came from, for the startup message; never the token itself. */
  origin: 'env' | 'file' | 'generated';
  path: string;
}

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function loadOrCreateToken(dataDir: string, fromEnv?: string): TokenSource {
  const path = join(dataDir, TOKEN_FILE);
  if (fromEnv && fromEnv.trim() !== '') return { token: fromEnv.trim(), origin: 'env', path };
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 32) {
      chmodSync(path, PRIVATE_FILE_MODE); // repair permissions loosened by a copy or a backup tool
      return { token, origin: 'file', path };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = generateToken();
  saveToken(path, token);
  return { token, origin: 'generated', path };
}

export function saveToken(path: string, token: string): void {
  writePrivateAtomic(path, `${token}\n`, { durable: true });
}

/** Constant-time comparison: hashing first makes the lengths equal. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
