// The stand-in for the `electron` module of the main process: only what the app (and
// electron-store) use, each behaving as Electron's docs say (cited in each file). Also the
// commands with which a test plays the user: click the tray, call the preload bridge,
// answer a dialog, minimise or close the window, quit.
import { app } from './app.mjs';
import { BrowserWindow } from './browser-window.mjs';
import { control } from './control.mjs';
import { handledChannels, ipcMain } from './ipc-main.mjs';
import { answerMessageBox, dialog, powerMonitor, safeStorage, shell } from './services.mjs';
import { clickTrayItem, Menu, nativeImage, openTrayMenu, Tray, trayState } from './tray.mjs';

export {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  powerMonitor,
  safeStorage,
  shell,
  Tray,
};

// `import electron from 'electron'` (electron-store does this) gets the same objects.
export default {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  powerMonitor,
  safeStorage,
  shell,
  Tray,
};

function windowById(id) {
  const win = id === undefined ? BrowserWindow.getAllWindows()[0] : BrowserWindow.fromId(id);
  if (!win) throw new Error(id === undefined ? 'no window is open' : `no window ${id}`);
  return win;
}

control.handle('state', () => ({
  ready: app.isReady(),
  name: app.getName(),
  userData: app.getPath('userData'),
  windows: BrowserWindow.getAllWindows().map((w) => w.state()),
  tray: trayState(),
  channels: handledChannels(),
}));
control.handle('trayClick', ({ path }) => clickTrayItem(path));
control.handle('trayOpenMenu', () => openTrayMenu());
control.handle('answer', ({ response }) => answerMessageBox(response));
control.handle('quit', () => app.quit());
control.handle('window', ({ id, action }) => {
  const win = windowById(id);
  win[action]();
  return win.state();
});
control.handle('power', ({ event }) => powerMonitor.emit(event));
// A call from the page through `window.cmdop` (what the preload exposed), as the UI makes it.
control.handle('bridge', async ({ id, method, args }) => {
  const bridge = windowById(id).webContents.page?.bridge;
  if (!bridge) throw new Error('the page has no window.cmdop');
  if (typeof bridge[method] !== 'function')
    throw new Error(`window.cmdop.${method} is not a function`);
  return bridge[method](...(args ?? []));
});
// A call on an IPC channel from a page that is not the app's (a navigated or injected frame).
control.handle('invokeFrom', async ({ id, url, channel, args }) => {
  const { invokeFromRenderer } = await import('./ipc-main.mjs');
  const win = windowById(id);
  return invokeFromRenderer({ sender: win.webContents, senderFrame: { url } }, channel, args ?? []);
});
