// Where the remote API token is kept: a 0600 file by default; the tray app plugs in one
// encrypted with the OS keychain (Electron safeStorage). Never logged, never returned.
import { readFileSync, rmSync } from 'node:fs';
import { writePrivateAtomic } from './private-fs';

export interface SecretStore {
  get(): string | null;
  set(value: string | null): void;
  /** Whether the secret is encrypted at rest (shown in settings). */
  readonly encrypted: boolean;
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
      writePrivateAtomic(path, codec ? codec.encrypt(value) : `${value}\n`, { durable: true });
    },
  };
}
