// @ts-nocheck
// 
// Every window is built and hardened here, in one place (after Signal Desktop): sandboxed,
// isolated, no Node, no navigation, no pop-ups, no permissions; http(s) links go to the
// user's browser. The decisions are pure functions so a test can check each one.
import type { BrowserWindow, BrowserWindowConstructorOptions, Event } from 'electron';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1120,
    height: 760,
    minWidth: 760,
    minHeight: 480,
    show: false, // shown on ready-to-show: no white flash
    title: 'Cmdop Scheduler',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Links the app may hand to the browser: http(s) only, never file:, javascript: or custom schemes. */
export function externalUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The renderer's own page (any fragment), the only origin IPC answers. */
export function isAppPage(url: string, appIndexUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appIndexUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/** The parts of WebContents hardening touches; a test passes a recording fake. */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (e: Event, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (e: Event) => void): void;
  session: {
    setPermissionRequestHandler(
      handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void,
    ): void;
    setPermissionCheckHandler(handler: () => boolean): void;
  };
}

export function hardenContents(
  contents: HardenableContents,
  openExternal: (url: string) => void,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  const stay = (e: Event, url: string) => {
    e.preventDefault();
    const external = externalUrl(url);
    if (external) openExternal(external);
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

export interface WindowDeps {
  BrowserWindow: typeof BrowserWindow;
  openExternal: (url: string) => void;
  preloadPath: string;
  indexHtml: string;
}

/** The one window; `route` is a UI fragment such as `#run=cmd_…` to open on a run. */
export function createWindow(deps: WindowDeps, route = ''): BrowserWindow {
  const win = new deps.BrowserWindow(windowOptions(deps.preloadPath));
  hardenContents(win.webContents as unknown as HardenableContents, deps.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(deps.indexHtml, route ? { hash: route } : undefined);
  return win;
}
