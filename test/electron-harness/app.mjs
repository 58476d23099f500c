// The stand-in's `app`: lifecycle, paths, name, single-instance lock, login items. Each
// behaviour follows https://www.electronjs.org/docs/latest/api/app (quoted where it matters).
import { EventEmitter } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, hostname, tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { control } from './control.mjs';

const scenario = JSON.parse(process.env.HARNESS_SCENARIO ?? '{}');
const APP_DIR = process.env.HARNESS_APP_DIR;
const pkg = JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8'));

/** An Electron event object: preventDefault() and defaultPrevented. */
export function electronEvent(extra = {}) {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
    ...extra,
  };
  return event;
}

/** "Per-user application data directory, which by default points to: %APPDATA% on Windows,
 *  $XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Application Support on macOS". */
function appDataDir() {
  const env = process.env;
  if (process.platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(homedir(), '.config');
}

const windows = new Set();
/** The window module registers its windows here: quit closes them. */
export function trackWindow(win) {
  windows.add(win);
  win.once('closed', () => {
    windows.delete(win);
    if (windows.size === 0 && !quitting) allWindowsClosed();
  });
}

let ready = false;
let quitting = false;
let exiting = false;
let pendingSingletonMessage = Promise.resolve();
// "productName ... will be preferred over name by Electron" (app.getName()).
let name = pkg.productName || pkg.name;
const paths = new Map();

function refuseBeforeReady(what) {
  if (!ready) throw new Error(`${what} cannot be called before the app is ready`);
}

function exitProcess(code) {
  if (exiting) return;
  exiting = true;
  control.record('app.exited', { code });
  // A second instance's message to the first must go out before this process ends.
  void pendingSingletonMessage.finally(() => control.flush(() => process.exit(code)));
}

function allWindowsClosed() {
  // "If you do not subscribe to this event and all windows are closed, the default behavior
  // is to quit the app; however, if you subscribe, you control whether the app quits."
  if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
  else app.quit();
}

class App extends EventEmitter {
  isPackaged = false;

  getName() {
    return name;
  }
  setName(value) {
    control.record('app.setName', { name: value });
    name = value;
  }
  getVersion() {
    return pkg.version;
  }
  getAppPath() {
    return APP_DIR;
  }
  getPath(key) {
    if (paths.has(key)) return paths.get(key);
    switch (key) {
      case 'home':
        return homedir();
      case 'appData':
        return appDataDir();
      // "userData: The directory for storing your app's configuration files, which by
      // default is the appData directory appended with your app's name."
      case 'userData':
        return join(appDataDir(), name);
      case 'sessionData':
        return this.getPath('userData');
      case 'temp':
        return tmpdir();
      case 'exe':
        return process.execPath;
      case 'logs':
        return join(this.getPath('userData'), 'logs');
      default:
        // "A path to a special directory or file associated with name. On failure, an Error
        // is thrown."
        throw new Error(`Failed to get '${key}' path`);
    }
  }
  setPath(key, path) {
    control.record('app.setPath', { name: key, path });
    // "If the path specifies a directory that does not exist, an Error is thrown."
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new Error(`Failed to set path '${key}': ${path} is not an existing directory`);
    }
    paths.set(key, path);
  }
  isReady() {
    return ready;
  }
  whenReady() {
    return readyPromise;
  }
  requestSingleInstanceLock(additionalData) {
    return singleInstanceLock(this.getPath('userData'), additionalData);
  }
  /** "Try to close all windows. The before-quit event will be emitted first. If all windows
   *  are successfully closed, the will-quit event will be emitted and by default the
   *  application will terminate." */
  quit() {
    control.record('app.quit');
    if (exiting) return;
    const before = electronEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    quitting = true;
    for (const win of [...windows]) {
      win.close();
      // A window that refused to close (its 'close' event prevented) cancels the quit.
      if (!win.isDestroyed()) {
        quitting = false;
        return;
      }
    }
    const willQuit = electronEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      quitting = false;
      return;
    }
    this.emit('quit', electronEvent(), 0);
    exitProcess(0);
  }
  /** "Exits immediately with exitCode ... the before-quit and will-quit events will not be
   *  emitted." */
  exit(code = 0) {
    control.record('app.exit', { code });
    for (const win of [...windows]) win.destroy();
    exitProcess(code);
  }
  getLoginItemSettings(options) {
    control.record('app.getLoginItemSettings', { options });
    return {
      openAtLogin: false,
      openAsHidden: false,
      // macOS: set when the app was launched as a login item (scenario.openedAtLogin).
      wasOpenedAtLogin: process.platform === 'darwin' && scenario.openedAtLogin === true,
      wasOpenedAsHidden: false,
      restoreState: false,
      executableWillLaunchAtLogin: false,
      launchItems: [],
    };
  }
  setLoginItemSettings(settings) {
    control.record('app.setLoginItemSettings', { settings });
  }
}

export const app = new App();

// Platform-only members exist only on their platform: app.dock is macOS-only (undefined
// elsewhere), setAppUserModelId Windows-only.
if (process.platform === 'darwin') {
  app.dock = {
    hide: () => control.record('app.dock.hide'),
    show: () => control.record('app.dock.show'),
  };
}
if (process.platform === 'win32') {
  app.setAppUserModelId = (id) => control.record('app.setAppUserModelId', { id });
}

// "The ready event is only fired after the main process has finished running the first tick
// of the event loop."
const readyPromise = new Promise((resolve) => {
  setImmediate(() => {
    if (exiting) return;
    app.emit('will-finish-launching');
    ready = true;
    control.record('app.ready');
    app.emit('ready', electronEvent(), {});
    resolve();
  });
});

// The single-instance lock, as Chromium's ProcessSingleton does it on Linux and macOS: a
// SingletonLock symlink naming host-pid in userData, and a SingletonSocket link to a Unix
// socket over which a second instance sends its argv, working directory and additionalData.
// "The single instance lock is scoped to the application's user data directory", so it is
// taken wherever userData points when this is called.
function singleInstanceLock(userData, additionalData) {
  mkdirSync(userData, { recursive: true });
  const lockLink = join(userData, 'SingletonLock');
  const socketLink = join(userData, 'SingletonSocket');
  let owner = null;
  try {
    owner = readlinkSync(lockLink);
  } catch {
    // No lock yet.
  }
  const [ownerHost, ownerPid] = owner
    ? [owner.slice(0, owner.lastIndexOf('-')), Number(owner.slice(owner.lastIndexOf('-') + 1))]
    : [];
  if (owner && ownerHost === hostname() && ownerPid !== process.pid && alive(ownerPid)) {
    const message = JSON.stringify({ argv: process.argv, cwd: process.cwd(), additionalData });
    control.record('app.requestSingleInstanceLock', { granted: false, owner });
    pendingSingletonMessage = new Promise((resolve) => {
      const socket = connect(readlinkSync(socketLink), () => socket.end(message));
      socket.on('close', resolve);
      socket.on('error', resolve);
    });
    return false;
  }
  rmSync(lockLink, { force: true });
  rmSync(socketLink, { force: true });
  symlinkSync(`${hostname()}-${process.pid}`, lockLink);
  const socketDir = join(
    tmpdir(),
    `.harness-singleton-${createHash('sha1').update(userData).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(socketDir, { recursive: true });
  const socketPath = join(socketDir, 'SingletonSocket');
  rmSync(socketPath, { force: true });
  symlinkSync(socketPath, socketLink);
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', async () => {
      const { argv, cwd, additionalData: data } = JSON.parse(text);
      // "This event is guaranteed to be emitted after the ready event of app gets emitted."
      await readyPromise;
      control.record('app.second-instance', { argv });
      app.emit('second-instance', electronEvent(), argv, cwd, data);
    });
  });
  server.listen(socketPath);
  server.unref();
  control.record('app.requestSingleInstanceLock', { granted: true });
  process.on('exit', () => {
    try {
      if (readlinkSync(lockLink) === `${hostname()}-${process.pid}`) rmSync(lockLink);
    } catch {
      // Already gone.
    }
  });
  return true;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export { refuseBeforeReady };
