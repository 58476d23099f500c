// A sandboxed preload, run as Electron runs it
// (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts): a classic script
// with a `require` that "can only import a subset of Electron and Node's built-in modules":
// electron (contextBridge, crashReporter, ipcRenderer, nativeImage, webFrame, webUtils),
// events, timers and url; Buffer, process, setImmediate and clearImmediate as globals. Any
// other require fails, so a preload that was not bundled into one CommonJS file fails here
// as it would in the app.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import * as timers from 'node:timers';
import * as url from 'node:url';
import vm from 'node:vm';

/**
 * Runs the preload for one page. `invoke(channel, args)` reaches ipcMain; the returned
 * `deliver(channel, args)` is webContents.send arriving in this page; `exposed` holds what
 * contextBridge.exposeInMainWorld put on the page's window.
 */
export function runPreload(path, invoke) {
  const listeners = new EventEmitter();
  const exposed = {};
  const ipcRenderer = {
    invoke: (channel, ...args) => invoke(channel, args),
    on(channel, listener) {
      listeners.on(channel, listener);
      return ipcRenderer;
    },
    once(channel, listener) {
      listeners.once(channel, listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.removeListener(channel, listener);
      return ipcRenderer;
    },
    removeAllListeners(channel) {
      listeners.removeAllListeners(channel);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    // "exposeInMainWorld(apiKey, api)": the page sees a copy across the isolated worlds;
    // functions stay callable, other values are copied.
    exposeInMainWorld(key, api) {
      if (key in exposed)
        throw new Error(`Cannot bind an API on top of an existing property on the window object`);
      exposed[key] = api;
    },
  };
  const electron = {
    contextBridge,
    ipcRenderer,
    crashReporter: {},
    nativeImage: {},
    webFrame: {},
    webUtils: {},
  };
  const allowed = { electron, events: { EventEmitter, default: EventEmitter }, timers, url };
  const sandboxRequire = (id) => {
    if (Object.hasOwn(allowed, id)) return allowed[id];
    throw new Error(`module not found: ${id}`);
  };
  const context = vm.createContext({
    Buffer,
    process: { platform: process.platform, versions: process.versions, type: 'renderer', env: {} },
    setImmediate,
    clearImmediate,
    setTimeout,
    clearTimeout,
    console,
    Promise,
    Object,
  });
  const source = readFileSync(path, 'utf8');
  const wrapper = vm.runInContext(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    context,
    { filename: path },
  );
  const module = { exports: {} };
  wrapper(module.exports, sandboxRequire, module, path, '.');
  return {
    exposed,
    deliver(channel, event, args) {
      listeners.emit(channel, event, ...structuredClone(args));
    },
  };
}
