// The stand-in's BrowserWindow and webContents
// (https://www.electronjs.org/docs/latest/api/browser-window, .../web-contents). There is no
// renderer: loading a page checks the file exists, runs the preload in its sandbox, and a
// tiny "page" subscribes to what the preload exposed the way the UI's main.tsx does, so what
// main sends shows up as what the page received.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, electronEvent, refuseBeforeReady, trackWindow } from './app.mjs';
import { control } from './control.mjs';
import { invokeFromRenderer } from './ipc-main.mjs';
import { runPreload } from './preload-sandbox.mjs';

let nextId = 1;
const all = new Map();

class WebContents extends EventEmitter {
  constructor(win, preload) {
    super();
    this.id = win.id;
    this.win = win;
    this.preload = preload;
    this.url = '';
    this.page = null;
    this.openHandler = null;
    this.session = {
      setPermissionRequestHandler: (h) => (this.permissionRequestHandler = h),
      setPermissionCheckHandler: (h) => (this.permissionCheckHandler = h),
    };
  }
  getURL() {
    return this.url;
  }
  isLoading() {
    return this.loading === true;
  }
  setWindowOpenHandler(handler) {
    this.openHandler = handler;
  }
  /** "Send an asynchronous message to the renderer process via channel, along with
   *  arguments. Arguments will be serialized with the Structured Clone Algorithm". */
  send(channel, ...args) {
    if (this.win.isDestroyed()) throw new Error('Object has been destroyed');
    control.record('webContents.send', { window: this.id, channel, args });
    this.page?.deliver(channel, { sender: null }, args);
  }
  /** "loadFile(filePath[, options]) ... filePath should be a path to an HTML file relative to
   *  the root of your application"; resolves on did-finish-load, rejects on did-fail-load. */
  async loadFile(filePath, options = {}) {
    const file = isAbsolute(filePath) ? filePath : resolve(app.getAppPath(), filePath);
    const target = pathToFileURL(file);
    if (options.hash) target.hash = options.hash;
    const url = target.href;
    control.record('webContents.loadFile', {
      window: this.id,
      filePath,
      options,
      url,
      exists: existsSync(file),
    });
    const samePage = this.page && this.url.split('#')[0] === url.split('#')[0];
    if (samePage) {
      // Only the fragment changes: a same-document navigation, no reload and no preload run.
      this.url = url;
      this.emit('did-navigate-in-page', electronEvent(), url, true);
      control.record('page.hashchange', { window: this.id, hash: target.hash });
      return;
    }
    this.loading = true;
    await new Promise((r) => setImmediate(r));
    if (this.win.isDestroyed()) throw new Error('Object has been destroyed');
    if (!existsSync(file)) {
      this.loading = false;
      this.emit('did-fail-load', electronEvent(), -6, 'ERR_FILE_NOT_FOUND', url, true);
      throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    }
    this.url = url;
    this.page = this.startPage();
    this.loading = false;
    this.emit('dom-ready', electronEvent());
    this.emit('did-finish-load', electronEvent());
    this.win.firstPaint();
  }
  startPage() {
    const senderFrame = { url: this.url };
    const invoke = (channel, args) =>
      invokeFromRenderer({ sender: this, senderFrame, processId: 1, frameId: 1 }, channel, args);
    let sandbox = { exposed: {}, deliver() {} };
    const preload = this.preload;
    // "preload ... the value should be the absolute file path to the script"; one that
    // cannot load is reported in the renderer's console and the page loads without it.
    if (preload && isAbsolute(preload) && existsSync(preload)) {
      try {
        sandbox = runPreload(preload, invoke);
      } catch (error) {
        control.record('page.preloadError', { window: this.id, message: String(error.message) });
      }
    } else if (preload) {
      control.record('page.preloadError', {
        window: this.id,
        message: `Unable to load preload script: ${preload}`,
      });
    }
    const bridge = sandbox.exposed.cmdop;
    // What the UI does on start: follow main's routes and events.
    bridge?.onNavigate?.((hash) => control.record('page.navigate', { window: this.id, hash }));
    bridge?.onEvent?.((event) =>
      control.record('page.event', { window: this.id, type: event.type }),
    );
    control.record('page.loaded', {
      window: this.id,
      url: this.url,
      bridge: Object.keys(bridge ?? {}),
    });
    return { bridge, deliver: sandbox.deliver, frame: senderFrame };
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...all.values()];
  }
  static fromId(id) {
    return all.get(id) ?? null;
  }

  constructor(options = {}) {
    super();
    // "In Electron, browser windows can only be created after the app module's ready event
    // is fired" (tutorial: first app).
    refuseBeforeReady('new BrowserWindow()');
    this.id = nextId++;
    this.options = options;
    this.visible = options.show !== false;
    this.minimized = false;
    this.focused = false;
    this.destroyed = false;
    this.painted = false;
    this.webContents = new WebContents(this, options.webPreferences?.preload);
    all.set(this.id, this);
    trackWindow(this);
    control.record('BrowserWindow.new', {
      window: this.id,
      options,
      preloadExists: Boolean(
        options.webPreferences?.preload && existsSync(options.webPreferences.preload),
      ),
    });
  }
  loadFile(filePath, options) {
    return this.webContents.loadFile(filePath, options);
  }
  /** "ready-to-show: Emitted when the web page has been rendered (while not being shown)";
   *  emitted once, for the first paint. */
  firstPaint() {
    if (this.painted) return;
    this.painted = true;
    this.emit('ready-to-show');
  }
  isDestroyed() {
    return this.destroyed;
  }
  isVisible() {
    return this.visible && !this.minimized;
  }
  isMinimized() {
    return this.minimized;
  }
  isFocused() {
    return this.focused;
  }
  show() {
    this.check();
    control.record('BrowserWindow.show', { window: this.id });
    // show() on a minimised window does not restore it on every platform: that is restore().
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.check();
    this.visible = false;
    this.emit('hide');
  }
  focus() {
    this.check();
    control.record('BrowserWindow.focus', { window: this.id });
    this.focused = true;
    this.emit('focus');
  }
  minimize() {
    this.check();
    this.minimized = true;
    this.focused = false;
    this.emit('minimize');
  }
  restore() {
    this.check();
    control.record('BrowserWindow.restore', { window: this.id });
    this.minimized = false;
    this.emit('restore');
  }
  /** "Try to close the window. This has the same effect as a user manually clicking the
   *  close button of the window. The web page may cancel the close though." */
  close() {
    if (this.destroyed) return;
    const event = electronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    all.delete(this.id);
    control.record('BrowserWindow.closed', { window: this.id });
    this.emit('closed');
  }
  check() {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
  state() {
    return {
      id: this.id,
      url: this.webContents.url,
      visible: this.visible,
      minimized: this.minimized,
      focused: this.focused,
      destroyed: this.destroyed,
      bridge: Object.keys(this.webContents.page?.bridge ?? {}),
    };
  }
}
