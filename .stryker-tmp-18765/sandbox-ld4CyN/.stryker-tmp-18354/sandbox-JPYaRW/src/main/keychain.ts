// @ts-nocheck
// 
// Whether safeStorage really encrypts with the OS keychain. On Linux without a keyring
// Electron picks the "basic_text" backend: encryptString still works and
// isEncryptionAvailable() still says true, but the key is a constant compiled into
// Chromium — ciphertext anyone can decrypt. Only a real backend counts as encryption.
import type { SecretCodec } from '../core/secrets';

/** The parts of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

const LINUX_KEYCHAINS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function keychainInUse(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  // 'basic_text' is the fixed key; 'unknown' means it was asked before ready.
  return LINUX_KEYCHAINS.has(safeStorage.getSelectedStorageBackend?.() ?? 'unknown');
}

/** A codec for the Cmdop token when the keychain is real; undefined means a 0600 file. */
export function keychainCodec(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): SecretCodec | undefined {
  if (!keychainInUse(safeStorage, platform)) return undefined;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
