// Where the remote API token is kept: a 0600 file by default; the tray app plugs in one
// encrypted with the OS keychain (Electron safeStorage). Never logged, never returned.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateAtomic } from './private-fs';

export interface SecretStore {
  get(): string | null;
  set(value: string | null): void;
  /** Whether the secret is encrypted at rest (shown in settings). */
  readonly encrypted: boolean;
  /** Set when a secret was saved in a form this process cannot read; null otherwise. */
  unreadable?(): string | null;
}

export interface SecretCodec {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/** A file holding the secret, optionally through a codec (safeStorage). */
export function fileSecretStore(path: string, codec?: SecretCodec): SecretStore {
  return {
    encrypted: codec !== undefined,
    get() {
      try {
        const data = readFileSync(path);
        const value = codec ? codec.decrypt(data) : data.toString('utf8').trim();
        return value === '' ? null : value;
      } catch {
        return null;
      }
    },
    set(value) {
      if (value === null || value === '') {
        rmSync(path, { force: true });
        return;
      }
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: durable only shows after a power cut
      writePrivateAtomic(path, codec ? codec.encrypt(value) : `${value}\n`, { durable: true });
    },
  };
}

/** The Cmdop API token's file in the data directory; `.enc` when the OS keychain encrypted it. */
export const REMOTE_TOKEN_FILE = 'cmdop-api-token';

/** Why a saved secret cannot be used by this owner: the user has to enter it again. */
export const KEYCHAIN_TOKEN_UNREADABLE =
  'The saved Cmdop API token was encrypted with an OS keychain that cannot be used here ' +
  '(it was saved by the tray app): enter the token again.';

/**
 * The Cmdop API token shared by both owners of a data directory. With a keychain codec (the
 * tray app on a desktop with a real keychain) it is saved encrypted; without one (serve, or
 * no keychain) as a 0600 plain file. Each reads what the other saved where it can: the tray
 * reads serve's plain file; serve cannot decrypt the tray's, and says so through unreadable().
 * Saving removes the other form, so a stale token is never read back.
 */
export function remoteTokenStore(dataDir: string, keychain?: SecretCodec): SecretStore {
  const plainPath = join(dataDir, REMOTE_TOKEN_FILE);
  const encPath = `${plainPath}.enc`;
  const plain = fileSecretStore(plainPath);
  const enc = fileSecretStore(encPath, keychain);
  const own = keychain ? enc : plain;
  const other = keychain ? plain : enc;
  return {
    encrypted: keychain !== undefined,
    get() {
      if (keychain) return existsSync(encPath) ? enc.get() : plain.get();
      return plain.get();
    },
    set(value) {
      own.set(value);
      // The other form holds an older token (or the one just cleared): it must not come back.
      other.set(null);
    },
    unreadable() {
      if (keychain) {
        return existsSync(encPath) && enc.get() === null ? KEYCHAIN_TOKEN_UNREADABLE : null;
      }
      return !existsSync(plainPath) && existsSync(encPath) ? KEYCHAIN_TOKEN_UNREADABLE : null;
    },
  };
}
