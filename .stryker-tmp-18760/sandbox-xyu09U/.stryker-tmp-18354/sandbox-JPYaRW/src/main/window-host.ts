// @ts-nocheck
// 
// The app's one window: created on demand, brought back from minimised or hidden, and told
// which page to show over IPC once its page has loaded (a fresh window gets the route in its
// URL instead). Takes the window factory, so the logic runs under Node in tests.
import { NAVIGATE_CHANNEL } from '../shared/bridge';

/** The parts of BrowserWindow used here. */
export interface AppWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  on(event: 'closed', listener: () => void): unknown;
  webContents: {
    send(channel: string, ...args: unknown[]): void;
    once(event: 'did-finish-load', listener: () => void): unknown;
  };
}

export class WindowHost {
  #win: AppWindow | null = null;
  #loaded = false;
  #pending: string | null = null;
  readonly #create: (hash: string) => AppWindow;

  /** `create` builds a window that loads the app page at `hash` and shows itself when ready. */
  constructor(create: (hash: string) => AppWindow) {
    this.#create = create;
  }

  get window(): AppWindow | null {
    return this.#win && !this.#win.isDestroyed() ? this.#win : null;
  }

  /** Shows the window on `hash` (a `#/…` route), or on whatever it shows when hash is ''. */
  show(hash = ''): void {
    const win = this.window;
    if (!win) {
      this.#open(hash);
      return;
    }
    if (hash) {
      // Before did-finish-load the renderer has not subscribed yet: a message would be lost.
      if (this.#loaded) win.webContents.send(NAVIGATE_CHANNEL, hash);
      else this.#pending = hash;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** Sends to the page when there is one that listens; dropped otherwise. */
  send(channel: string, payload: unknown): void {
    const win = this.window;
    if (win && this.#loaded) win.webContents.send(channel, payload);
  }

  #open(hash: string): void {
    const win = this.#create(hash);
    this.#win = win;
    this.#loaded = false;
    this.#pending = null;
    win.webContents.once('did-finish-load', () => {
      this.#loaded = true;
      const pending = this.#pending;
      this.#pending = null;
      if (pending) win.webContents.send(NAVIGATE_CHANNEL, pending);
    });
    win.on('closed', () => {
      if (this.#win === win) this.#win = null;
    });
  }
}
