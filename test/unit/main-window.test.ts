// The window is built by one factory; every security setting is asserted here because the
// Electron runtime cannot run on this machine.
import { describe, expect, it } from 'vitest';
import {
  externalUrl,
  hardenContents,
  isAppPage,
  windowOptions,
  type HardenableContents,
} from '../../src/main/window';

describe('window options', () => {
  const options = windowOptions('/app/out/preload/index.cjs');
  const web = options.webPreferences ?? {};

  it('is sandboxed, isolated and has no Node', () => {
    expect(web.sandbox).toBe(true);
    expect(web.contextIsolation).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
  });

  it('loads the single CommonJS preload bundle and waits to be shown', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs');
    expect(options.show).toBe(false);
  });
});

function fakeContents() {
  const handlers: Record<string, (e: { preventDefault(): void }, url: string) => void> = {};
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  let permission: ((wc: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
  let check: (() => boolean) | null = null;
  const contents = {
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    on: (event: string, listener: (e: { preventDefault(): void }, url: string) => void) => {
      handlers[event] = listener;
    },
    session: {
      setPermissionRequestHandler: (h: typeof permission) => (permission = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    },
  };
  return {
    contents: contents as unknown as HardenableContents,
    handlers,
    open: (url: string) => openHandler!({ url }),
    askPermission: (p: string) =>
      new Promise<boolean>((resolve) => permission!(null, p, (granted) => resolve(granted))),
    checkPermission: () => check!(),
  };
}

function event() {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) };
  return e;
}

describe('hardening', () => {
  it('denies window.open; http(s) links go to the browser, others nowhere', () => {
    const opened: string[] = [];
    const f = fakeContents();
    hardenContents(f.contents, (url) => opened.push(url));
    expect(f.open('https://cmdop.com/docs')).toEqual({ action: 'deny' });
    expect(f.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://cmdop.com/docs']);
  });

  it('blocks every navigation and redirect and webviews', () => {
    const opened: string[] = [];
    const f = fakeContents();
    hardenContents(f.contents, (url) => opened.push(url));
    for (const name of ['will-navigate', 'will-redirect']) {
      const e = event();
      f.handlers[name]!(e, 'https://evil.example/');
      expect(e.prevented).toBe(true);
    }
    const w = event();
    f.handlers['will-attach-webview']!(w, '');
    expect(w.prevented).toBe(true);
    const local = event();
    f.handlers['will-navigate']!(local, 'file:///tmp/other.html');
    expect(local.prevented).toBe(true);
    expect(opened).toEqual(['https://evil.example/', 'https://evil.example/']);
  });

  it('denies every permission request and check', async () => {
    const f = fakeContents();
    hardenContents(f.contents, () => {});
    expect(await f.askPermission('media')).toBe(false);
    expect(await f.askPermission('notifications')).toBe(false);
    expect(f.checkPermission()).toBe(false);
  });

  it('knows its own page and external links', () => {
    const index = 'file:///opt/app/out/renderer/index.html';
    expect(isAppPage('file:///opt/app/out/renderer/index.html#history=sched_1', index)).toBe(true);
    expect(isAppPage('file:///opt/app/out/renderer/other.html', index)).toBe(false);
    expect(isAppPage('https://evil.example/index.html', index)).toBe(false);
    expect(isAppPage('not a url', index)).toBe(false);
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
    expect(externalUrl('mailto:x@example.com')).toBeNull();
  });
});
