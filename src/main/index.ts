// The tray app's main process: owns the engine for the user's data directory, shows the
// tray, opens the (single, hardened) window on demand. Decisions live in pure modules
// (trayModel, window, ipc, loginItem); this file only wires Electron to them.
import {
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
} from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openHost, REMOTE_TOKEN_FILE, type Host } from '../core/host';
import { fileSecretStore } from '../core/secrets';
import { DataDirLockedError } from '../core/lock';
import { consoleLogger } from '../core/log';
import { nodeNotifierPort, type Notice } from '../core/notifications';
import { SettingsService } from '../core/settings-service';
import { serveApi } from '../headless/serve';
import { serveLocalSocket } from '../server/local-socket';
import type { ApiEvent } from '../shared/events';
import { systemClock } from '../shared/time';
import type { Schedule } from '../shared/types';
import { composeApi } from './app-api';
import { EVENT_CHANNEL, forwardEvents, registerIpc } from './ipc';
import { getStartAtLogin, setStartAtLogin, type LoginItemDeps } from './loginItem';
import { electronStoreFactory } from './store';
import { electronTrayFactory, TrayService } from './tray';
import { trayIconFile } from './trayIcons';
import { buildTrayModel, type TrayAction, type TrayIconState, type TrayRun } from './trayModel';
import { createWindow, isAppPage } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const PRELOAD = join(here, '../preload/index.cjs');
const INDEX_HTML = join(here, '../renderer/index.html');
const INDEX_URL = pathToFileURL(INDEX_HTML).href;
const RESOURCES = app.isPackaged ? process.resourcesPath : join(here, '../../resources');
const FAILED: ReadonlySet<string> = new Set(['failure', 'timeout', 'interrupted']);
const log = consoleLogger();

let host: Host | null = null;
let win: BrowserWindow | null = null;
let quitting = false;

const iconPath = (state: TrayIconState) => join(RESOURCES, trayIconFile(state, process.platform));

function showWindow(route = '') {
  if (win && !win.isDestroyed()) {
    if (route) void win.loadFile(INDEX_HTML, { hash: route });
    win.show();
    win.focus();
    return;
  }
  win = createWindow(
    {
      BrowserWindow,
      openExternal: (url) => void shell.openExternal(url),
      preloadPath: PRELOAD,
      indexHtml: INDEX_HTML,
    },
    route,
  );
  win.on('closed', () => (win = null));
}

/** The Cmdop API token, encrypted by the OS keychain where Electron can use one. */
function remoteTokenStore(dataDir: string) {
  if (!safeStorage.isEncryptionAvailable()) {
    log.warn('no OS keychain: the Cmdop API token is kept in a file only you can read');
    return fileSecretStore(join(dataDir, REMOTE_TOKEN_FILE));
  }
  return fileSecretStore(join(dataDir, `${REMOTE_TOKEN_FILE}.enc`), {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  });
}

function loginItemDeps(): LoginItemDeps {
  return {
    platform: process.platform,
    env: process.env,
    home: homedir(),
    execPath: process.execPath,
    appImagePath: process.env.APPIMAGE,
    setLoginItemSettings: (s) => app.setLoginItemSettings(s),
    getLoginItemSettings: (options) => app.getLoginItemSettings(options),
  };
}

async function start() {
  if (process.platform === 'darwin') app.dock?.hide();
  // Windows shows notifications only for an app with an identity.
  if (process.platform === 'win32') app.setAppUserModelId('com.cmdop.scheduler');
  try {
    host = openHost({
      dataDir: app.getPath('userData'),
      storeFactory: electronStoreFactory,
      clock: systemClock,
      log,
      secrets: remoteTokenStore(app.getPath('userData')),
      notifier: nodeNotifierPort({
        appName: app.getName(),
        icon: join(RESOURCES, 'icon.png'),
        onClick: (notice: Notice) =>
          showWindow(notice.scheduleId ? `history=${notice.scheduleId}` : ''),
      }),
    });
  } catch (e) {
    const message = e instanceof DataDirLockedError ? e.message : (e as Error).message;
    dialog.showErrorBox('Cmdop Scheduler cannot start', message);
    app.exit(1);
    return;
  }
  const h = host;

  // The loopback REST API, when the user turned it on in Settings.
  let localApi: Awaited<ReturnType<typeof serveApi>> | null = null;
  const settings = new SettingsService({
    repo: h.repo,
    events: h.events,
    server: () => ({
      mode: 'tray',
      url: localApi?.url ?? null,
      token: localApi ? h.token.token : null,
      token_source: localApi ? h.token.origin : null,
    }),
    rotate: h.rotateToken,
    remote: h.remote,
    loginItem: {
      get: () => getStartAtLogin(loginItemDeps()),
      set: (enabled) => setStartAtLogin(enabled, loginItemDeps()),
    },
  });
  // The terminal client's transport: on whether or not the TCP API is (issue 14).
  await serveLocalSocket(h, settings, { clock: systemClock, log });
  // Surfaces read settings through the API too; events keep this copy current.
  let current = await settings.getSettings();
  const syncLocalApi = async () => {
    const want = current.local_api;
    if (localApi && (!want.enabled || localApi.port !== want.port)) {
      await localApi.close();
      localApi = null;
    }
    if (want.enabled && !localApi) {
      try {
        localApi = await serveApi(h, {
          host: '127.0.0.1',
          port: want.port,
          mode: 'tray',
          clock: systemClock,
          log,
        });
        log.info(`local API on ${localApi.url}`);
      } catch (e) {
        log.error(`local API could not start on port ${want.port}: ${(e as Error).message}`);
      }
    }
  };
  await syncLocalApi();

  // The window, the tray and IPC all go through the router: remote machines included.
  const api = composeApi(h.router, settings, {
    createBatch: (input) => h.service.createBatch(input),
    listBackups: () => h.backups.listBackups(),
    createBackup: () => h.backups.createBackup(),
    restoreBackup: (id, options) => h.backups.restoreBackup(id, options),
  });
  registerIpc(ipcMain, api, (url) => isAppPage(url, INDEX_URL));
  forwardEvents(h.events, (event: ApiEvent) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  });

  // The tray: re-rendered from engine state when something happens, and every 30 s so
  // relative times stay true; TrayService skips the work when nothing changed.
  let failedSinceSeen = false;
  let schedules: Schedule[] = [];
  const tray = new TrayService({
    factory: electronTrayFactory({ Tray, Menu, nativeImage }, iconPath),
    onAction: (action) => void onTrayAction(action),
    // Opening the menu counts as having seen the failure the icon was showing.
    onMenuShown: () => seen(),
  });
  const render = () => {
    const running: TrayRun[] = h.engine.activeRuns().map((r) => ({
      commandId: r.command_id,
      scheduleId: r.schedule_id,
      name: schedules.find((s) => s.id === r.schedule_id)?.name ?? r.schedule_id,
      startedAt: r.started_at,
    }));
    tray.render(
      buildTrayModel(
        {
          schedules: [...schedules, ...remoteSchedules],
          running,
          paused: current.paused,
          muted: current.notifications.muted,
          failedSinceSeen,
        },
        Date.now(),
      ),
    );
  };
  const listAll = async (machine_id?: string) => {
    const all: Schedule[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await api.list({ machine_id, limit: 100, offset });
      all.push(...page.data);
      if (page.data.length === 0 || all.length >= page.meta.total) return all;
    }
  };
  // Local events refresh this machine's part at once; the remote part (a network call)
  // only with the 30 s tick, so an every-second schedule does not poll the cloud.
  let remoteSchedules: Schedule[] = [];
  const reloadLocal = async () => {
    schedules = await listAll('local');
    render();
  };
  const reloadAll = async () => {
    const all = await listAll();
    schedules = all.filter((x) => h.service.isLocalMachine(x.machine_id));
    remoteSchedules = all.filter((x) => !h.service.isLocalMachine(x.machine_id));
    render();
  };
  let pending: ReturnType<typeof setTimeout> | null = null;
  h.events.subscribe((event) => {
    if (event.type === 'run.finished' && FAILED.has(event.run.status)) failedSinceSeen = true;
    if (event.type === 'settings.updated') {
      current = { ...event.settings, server: current.server };
      void syncLocalApi();
    }
    if (event.type === 'run.output') return;
    pending ??= setTimeout(() => {
      pending = null;
      void reloadLocal();
    }, 200);
  });
  setInterval(() => void reloadAll(), 30_000).unref();
  await reloadAll();

  const seen = () => {
    failedSinceSeen = false;
    render();
  };
  async function onTrayAction(action: TrayAction) {
    switch (action.kind) {
      case 'runNow':
        await api.runNow(action.scheduleId).catch((e: Error) => log.warn(e.message));
        break;
      case 'setEnabled':
        await api.update(action.scheduleId, { enabled: action.enabled });
        break;
      case 'history':
        seen();
        showWindow(`history=${action.scheduleId}`);
        break;
      case 'cancel':
        await api.cancelCommand(action.commandId).catch((e: Error) => log.warn(e.message));
        break;
      case 'pause':
        await api.updateSettings({ paused: action.paused });
        break;
      case 'mute':
        await api.updateSettings({ notifications: { muted: action.muted } });
        break;
      case 'newSchedule':
        showWindow('new');
        break;
      case 'open':
        seen();
        showWindow();
        break;
      case 'settings':
        showWindow('settings');
        break;
      case 'quit':
        app.quit();
        break;
    }
    render();
  }

  // Sleep, resume and unlock: look at the clock again now (missed fires, catch-up).
  powerMonitor.on('suspend', () => log.info('system suspending'));
  powerMonitor.on('resume', () => h.engine.wake());
  powerMonitor.on('unlock-screen', () => h.engine.wake());
  powerMonitor.on('lock-screen', () => h.engine.wake());
}

async function quit(): Promise<void> {
  if (!host) return app.exit(0);
  const running = host.engine.activeRuns().length;
  let mode: 'wait' | 'cancel' = 'cancel';
  if (running > 0) {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      message: `${running} command${running === 1 ? ' is' : 's are'} still running`,
      detail: 'Quitting stops the schedules. Running commands can finish first or be cancelled.',
      buttons: ['Wait for them', 'Cancel them', 'Keep running'],
      defaultId: 0,
      cancelId: 2,
    });
    if (response === 2) {
      quitting = false;
      return;
    }
    mode = response === 0 ? 'wait' : 'cancel';
  }
  log.info(`quitting: ${running} running command(s) ${mode === 'wait' ? 'awaited' : 'cancelled'}`);
  await host.close(mode);
  app.exit(0);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  // A tray app lives on without windows.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (quitting) return event.preventDefault();
    quitting = true;
    event.preventDefault();
    void quit();
  });
  app.whenReady().then(start, (e: unknown) => {
    log.error(`startup failed: ${(e as Error).message}`);
    app.exit(1);
  });
}
