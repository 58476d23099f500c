// @ts-nocheck
// 
// The tray app's main process: owns the engine for the user's data directory, shows the
// tray, opens the (single, hardened) window. Decisions live in pure modules (launch, quit,
// keychain, routes, trayModel, window, ipc, loginItem); this file only wires Electron to them.
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
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultDataDir, PRODUCT_NAME } from '../core/data-dir';
import { openHost, type Host } from '../core/host';
import { electronPower } from './power';
import { consoleLogger } from '../core/log';
import { installSafetyNet } from '../core/safety-net';
import {
  isLinuxLike,
  nodeNotifierPort,
  type Notice,
  type NotifierOptions,
  type NotifierPort,
} from '../core/notifications';
import { notifySendActionsPort } from '../core/notify-send-actions';
import { remoteTokenStore } from '../core/secrets';
import { SettingsService } from '../core/settings-service';
import { realTimers } from '../core/timers';
import { serveApi } from '../server/local-api';
import { serveLocalSocket } from '../server/local-socket';
import { EVENT_CHANNEL } from '../shared/bridge';
import type { ApiEvent } from '../shared/events';
import { systemClock } from '../shared/time';
import { composeApi } from './app-api';
import { forwardEvents, registerIpc } from './ipc';
import { keychainCodec } from './keychain';
import { launchPlan } from './launch';
import { getStartAtLogin, setStartAtLogin, type LoginItemDeps } from './loginItem';
import { QuitController, type QuitAnswer } from './quit';
import { noticeRoute } from './routes';
import { startupFailure, type ErrorBox } from './startup-errors';
import { electronStoreFactory } from './store';
import { electronTrayFactory } from './tray';
import { startTrayApp, type TrayApp } from './tray-app';
import { trayAreaAvailable } from './tray-area';
import { trayIconFile } from './trayIcons';
import type { TrayIconState } from './trayModel';
import { createWindow, isAppPage } from './window';
import { WindowHost } from './window-host';

/** electron-builder's appId: Windows' AppUserModelID, which toasts need to show our name. */
const APP_ID = 'com.cmdop.scheduler';
const here = fileURLToPath(new URL('.', import.meta.url));
const PRELOAD = join(here, '../preload/index.cjs');
const INDEX_HTML = join(here, '../renderer/index.html');
const INDEX_URL = pathToFileURL(INDEX_HTML).href;
const RESOURCES = app.isPackaged ? process.resourcesPath : join(here, '../../resources');
/** Cancelled commands get SIGTERM, then SIGKILL after 5 s: stopping fits well within this. */
const STOP_TIMEOUT_MS = 15_000;
const log = consoleLogger();
installSafetyNet(process, log);

let dataDir: string | null = null;
let host: Host | null = null;
let trayApp: TrayApp | null = null;
let notifier: (NotifierPort & { dispose?(): void }) | null = null;
let localApi: Awaited<ReturnType<typeof serveApi>> | null = null;
let started = false;
/** A launch asked for the window before start-up finished. */
let windowWanted = false;
let trayAvailable = true;

const showError = (box: ErrorBox) => dialog.showErrorBox(box.title, box.message);

const windows = new WindowHost((hash) => {
  const win = createWindow(
    {
      BrowserWindow,
      openExternal: (url) => void shell.openExternal(url),
      preloadPath: PRELOAD,
      indexHtml: INDEX_HTML,
    },
    hash,
  );
  // Without a tray the closed window was the only way in: say where the app went.
  if (!trayAvailable) win.on('closed', () => void tellStillRunning());
  return win;
});

function showWindow(hash = ''): void {
  trayApp?.seen();
  windows.show(hash);
}

async function tellStillRunning(): Promise<void> {
  if (!notifier || quitter.busy) return;
  await notifier
    .send({
      title: `${PRODUCT_NAME} is still running your schedules`,
      body: 'This desktop shows no tray icons: open it again from your applications menu.',
      scheduleId: '',
      runId: '',
      commandId: '',
      kind: 'success',
    })
    .catch((e: Error) => log.warn(`notification failed: ${e.message}`));
}

function makeNotifier(): NotifierPort & { dispose?(): void } {
  const options: NotifierOptions & { onClick(notice: Notice): void } = {
    appName: PRODUCT_NAME,
    appID: APP_ID,
    icon: join(RESOURCES, 'icon.png'),
    onClick: (notice) => {
      // Called from a child process's callback: a throw here would crash main.
      try {
        showWindow(noticeRoute(notice));
      } catch (e) {
        log.warn(`opening the run failed: ${(e as Error).message}`);
      }
    },
  };
  return isLinuxLike(process.platform) ? notifySendActionsPort(options) : nodeNotifierPort(options);
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

async function start(dir: string): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide();
  // Windows shows notifications only for an app with an identity.
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  trayAvailable = await trayAreaAvailable({ platform: process.platform, env: process.env });
  notifier = makeNotifier();
  host = openHost({
    dataDir: dir,
    storeFactory: electronStoreFactory,
    clock: systemClock,
    log,
    secrets: remoteTokenStore(dir, keychainCodec(safeStorage, process.platform)),
    notifier,
    power: electronPower(powerMonitor),
  });
  const h = host;

  // The loopback REST API, when the user turned it on in Settings.
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
    storage: () => h.storage.status(),
    pause: h.engine.policies,
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
  h.events.subscribe((event) => {
    if (event.type !== 'settings.updated') return;
    current = { ...event.settings, server: current.server };
    void syncLocalApi();
  });
  await syncLocalApi();

  // The window, the tray and IPC all go through the router: remote machines included.
  const api = composeApi(
    h.router,
    settings,
    {
      createBatch: (input) => h.service.createBatch(input),
      listBackups: () => h.backups.listBackups(),
      createBackup: () => h.backups.createBackup(),
      restoreBackup: (id, options) => h.backups.restoreBackup(id, options),
    },
    h.alerts,
    h.fires,
    h.decisionQueries,
  );
  registerIpc(ipcMain, api, (url) => isAppPage(url, INDEX_URL));
  forwardEvents(h.events, (event: ApiEvent) => windows.send(EVENT_CHANNEL, event));

  trayApp = await startTrayApp({
    host: h,
    api,
    factory: electronTrayFactory({ Tray, Menu, nativeImage }, (state: TrayIconState) =>
      join(RESOURCES, trayIconFile(state, process.platform)),
    ),
    settings: () => current,
    openWindow: showWindow,
    quit: () => app.quit(),
    log,
    now: systemClock.now,
  });

  // Sleep, resume and unlock: look at the clock again now (missed fires, catch-up).
  // The decision log tells fires missed asleep from a clock change by these two.
  powerMonitor.on('suspend', () => {
    log.info('system suspending');
    h.decisions.suspending();
  });
  powerMonitor.on('resume', () => {
    h.decisions.resumed();
    h.engine.wake();
  });
  powerMonitor.on('unlock-screen', () => h.engine.wake());
  powerMonitor.on('lock-screen', () => h.engine.wake());

  started = true;
  const plan = launchPlan({
    argv: process.argv,
    openedAtLogin:
      process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true,
    trayAvailable,
  });
  log.info(`started (${plan.why}); data directory ${dir}`);
  if (plan.openWindow || windowWanted) showWindow();
}

/** Start-up failed: say so, free the data folder, exit non-zero. */
async function abortStart(error: unknown): Promise<void> {
  log.error(`startup failed: ${(error as Error)?.stack ?? String(error)}`);
  try {
    showError(startupFailure(error, dataDir));
  } catch {
    // The box is a courtesy; the exit code and the log still tell.
  }
  await stopEverything('cancel').catch((e: Error) => log.error(`cleanup failed: ${e.message}`));
  app.exit(1);
}

async function stopEverything(mode: 'wait' | 'cancel'): Promise<void> {
  try {
    await host?.close(mode);
  } finally {
    trayApp?.dispose();
    notifier?.dispose?.();
    await localApi?.close();
  }
}

async function askAboutRunning(running: number): Promise<QuitAnswer> {
  const { response } = await dialog.showMessageBox({
    type: 'question',
    message: `${running} command${running === 1 ? ' is' : 's are'} still running`,
    detail:
      'Quitting stops the schedules. Running commands can finish first or be cancelled. ' +
      'While waiting, Quit again cancels them.',
    buttons: ['Wait for them', 'Cancel them', 'Keep running'],
    defaultId: 0,
    cancelId: 2,
  });
  return response === 0 ? 'wait' : response === 1 ? 'cancel' : 'keep';
}

const quitter = new QuitController({
  running: () => host?.engine.activeRuns().length ?? 0,
  ask: askAboutRunning,
  close: stopEverything,
  cancelRunning: () => {
    for (const run of host?.engine.activeRuns() ?? []) {
      host?.router.cancelCommand(run.command_id).catch((e: Error) => log.warn(e.message));
    }
  },
  showError,
  exit: (code) => app.exit(code),
  log,
  timers: realTimers,
  closeTimeoutMs: STOP_TIMEOUT_MS,
});

function main(): void {
  try {
    // Electron names userData after package.json (productName, else name) and only when
    // started through it; serve finds the folder by PRODUCT_NAME. Setting both here keeps
    // the two owners on one folder however the app was started or packaged. It must happen
    // before the single-instance lock, which lives in userData.
    app.setName(PRODUCT_NAME);
    dataDir = defaultDataDir();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    app.setPath('userData', dataDir);
  } catch (e) {
    showError(startupFailure(e, dataDir));
    app.exit(1);
    return;
  }
  const dir = dataDir;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_event, argv) => {
    // A login item starting while we run asks for nothing; a person launching again does.
    const plan = launchPlan({ argv, openedAtLogin: false, trayAvailable });
    if (!plan.openWindow) return;
    if (started) showWindow();
    else windowWanted = true;
  });
  // A tray app lives on without windows.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    // app.exit() skips this event; every other quit goes through the controller.
    event.preventDefault();
    quitter.request();
  });
  app
    .whenReady()
    .then(() => start(dir))
    .catch((e: unknown) => abortStart(e));
}

main();
