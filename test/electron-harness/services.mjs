// The stand-in's dialog, powerMonitor, safeStorage and shell. Dialog answers come from the
// test; safeStorage behaves per platform and per the scenario's keyring.
import { EventEmitter } from 'node:events';
import { app } from './app.mjs';
import { control } from './control.mjs';

const scenario = JSON.parse(process.env.HARNESS_SCENARIO ?? '{}');

const pendingBoxes = [];

export const dialog = {
  /** "This API can be called safely before the ready event ... If called before the app
   *  ready event on Linux, the message will be emitted to stderr, and no GUI dialog will
   *  appear." */
  showErrorBox(title, content) {
    control.record('dialog.showErrorBox', {
      title,
      content,
      gui: app.isReady() || process.platform !== 'linux',
    });
    if (!app.isReady() && process.platform === 'linux')
      process.stderr.write(`${title}\n${content}\n`);
  },
  /** Resolves with { response } when the test answers (the user clicks a button). */
  showMessageBox(windowOrOptions, maybeOptions) {
    const options = maybeOptions ?? windowOrOptions;
    return new Promise((resolve) => {
      pendingBoxes.push({ options, resolve });
      control.record('dialog.showMessageBox', { options });
    });
  },
};

/** The test clicks button `response` (an index into buttons) of the oldest open box. */
export function answerMessageBox(response) {
  const box = pendingBoxes.shift();
  if (!box) throw new Error('no message box is open');
  box.resolve({ response, checkboxChecked: false });
  return box.options.buttons?.[response] ?? null;
}

export const powerMonitor = new (class extends EventEmitter {
  on(event, listener) {
    control.record('powerMonitor.on', { event });
    return super.on(event, listener);
  }

  /** "Returns boolean - Whether the system is on battery power." (scenario.onBattery) */
  isOnBatteryPower() {
    return scenario.onBattery === true;
  }
})();

export const shell = {
  openExternal(url) {
    control.record('shell.openExternal', { url });
    return Promise.resolve();
  },
  openPath(path) {
    control.record('shell.openPath', { path });
    return Promise.resolve('');
  },
};

// safeStorage (https://www.electronjs.org/docs/latest/api/safe-storage).
// scenario.keyring: the Linux backend Chromium would pick ('basic_text' when no keyring is
// recognised, 'gnome_libsecret', 'kwallet…'); on macOS/Windows whether the keychain works.
const PREFIX = { basic_text: 'v10', default: 'v11' };

function backend() {
  // "unknown - When the function is called before app has emitted the ready event."
  if (!app.isReady()) return 'unknown';
  return scenario.keyring ?? 'basic_text';
}

function available() {
  // "On Linux, returns true if the app has emitted the ready event and the secret key is
  // available. On MacOS, returns true if Keychain is available. On Windows, returns true
  // once the app has emitted the ready event." With basic_text the "secret key" is the
  // fixed one, so it is available.
  if (process.platform === 'darwin') return scenario.keychain !== false;
  return app.isReady();
}

/** Reversible and visibly not the plain text; the prefix says which key was used. */
function scramble(bytes) {
  return Buffer.from(bytes.map((b) => b ^ 0xa5));
}

export const safeStorage = {
  isEncryptionAvailable() {
    return available();
  },
  getSelectedStorageBackend() {
    if (process.platform !== 'linux') throw new Error('getSelectedStorageBackend is Linux only');
    return backend();
  },
  encryptString(plain) {
    // "This function will throw an error if encryption fails."
    if (!available())
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    const prefix = PREFIX[backend()] ?? PREFIX.default;
    control.record('safeStorage.encryptString', {
      backend: process.platform === 'linux' ? backend() : 'os',
    });
    return Buffer.concat([Buffer.from(prefix), scramble([...Buffer.from(plain, 'utf8')])]);
  },
  decryptString(data) {
    if (!available())
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.',
      );
    const prefix = data.subarray(0, 3).toString();
    if (prefix !== 'v10' && prefix !== 'v11')
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      );
    return scramble([...data.subarray(3)]).toString('utf8');
  },
};
