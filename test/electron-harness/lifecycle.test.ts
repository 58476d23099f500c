// The built main process driven through the Electron stand-in: launches, the data folder,
// second instances, start-up failures and quitting. Each test is a whole user scenario.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { HarnessApp, linuxDataDir, makeHome, removeHome, type Scenario } from './driver';

const apps: HarnessApp[] = [];
const homes: string[] = [];
const clis: Array<ReturnType<typeof runCli>> = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  for (const c of clis.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
  homes.splice(0).forEach(removeHome);
});

function home(): string {
  const h = makeHome();
  homes.push(h);
  return h;
}

function launch(options: Parameters<typeof HarnessApp.launch>[0] = {}): HarnessApp {
  const app = HarnessApp.launch({ home: options.home ?? home(), ...options });
  apps.push(app);
  return app;
}

const BOOT = fileURLToPath(new URL('./boot.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../out/headless/cli.js', import.meta.url));

/** The data folder `cmdop-scheduler serve` uses by default for this user on `platform`. */
async function serveDefault(h: string, platform: Scenario['platform']): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', BOOT, CLI, '--help'],
    {
      env: {
        ...process.env,
        HOME: h,
        XDG_CONFIG_HOME: join(h, '.config'),
        APPDATA: join(h, 'AppData', 'Roaming'),
        HARNESS_SCENARIO: JSON.stringify({ platform }),
      },
    },
  );
  const m = /--data-dir[^\n]*\(default: ([^)]*)\)/.exec(stdout);
  if (!m) throw new Error(`serve --help printed no default data dir:\n${stdout}`);
  return m[1] as string;
}

describe('one data folder for the tray app and serve', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    it(`on ${platform} the tray's userData is serve's default data directory`, async () => {
      const h = home();
      const app = launch({ home: h, scenario: { platform } });
      await app.started();
      const { userData, name } = await app.state();
      expect(name).toBe('Cmdop Scheduler');
      expect(userData).toBe(await serveDefault(h, platform));
      // The engine really keeps its files there, lock included.
      expect(existsSync(join(userData, 'scheduler.lock'))).toBe(true);
      expect(existsSync(join(userData, 'machine.json'))).toBe(true);
    });
  }

  it('serve started without --data-dir refuses while the tray app runs, naming it', async () => {
    const h = home();
    const app = launch({ home: h });
    await app.started();
    const cli = runCli(['serve', '--port', '0'], { HOME: h, XDG_CONFIG_HOME: join(h, '.config') });
    clis.push(cli);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(`pid ${app.child.pid}`);
    expect(cli.stderr()).toContain(linuxDataDir(h));
  });
});

describe('launching', () => {
  it('a first launch opens the hardened window on the built page with its preload', async () => {
    const app = launch();
    const created = await app.waitFor('BrowserWindow.new');
    const web = created.detail.options.webPreferences;
    expect(web).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(created.detail.preloadExists).toBe(true);
    const load = await app.waitFor('webContents.loadFile');
    expect(load.detail.exists).toBe(true);
    const page = await app.waitFor('page.loaded');
    expect(page.detail.bridge).toEqual(expect.arrayContaining(['list', 'onEvent', 'onNavigate']));
    await app.waitFor('BrowserWindow.show');
    expect(app.of('page.preloadError')).toEqual([]);
  });

  it('--hidden (the login item) stays in the tray where the desktop has one', async () => {
    const app = launch({ args: ['--hidden'], env: { XDG_CURRENT_DESKTOP: 'KDE' } });
    await app.started();
    expect(app.of('BrowserWindow.new')).toEqual([]);
    expect((await app.state()).tray.menu).not.toBeNull();
  });

  it('--hidden on a desktop without a tray area (stock GNOME) opens the window anyway', async () => {
    const app = launch({ args: ['--hidden'], env: { XDG_CURRENT_DESKTOP: 'GNOME' } });
    await app.waitFor('BrowserWindow.show');
  });

  it('macOS: opened as a login item stays in the menu bar, a click on the app opens it', async () => {
    const atLogin = launch({ scenario: { platform: 'darwin', openedAtLogin: true } });
    await atLogin.started();
    expect(atLogin.of('BrowserWindow.new')).toEqual([]);
    expect(atLogin.of('app.dock.hide')).toHaveLength(1);
    const manual = launch({ scenario: { platform: 'darwin' } });
    await manual.waitFor('BrowserWindow.show');
  });

  it('Windows: the login item passes --hidden; the app has its AppUserModelID', async () => {
    const app = launch({ args: ['--hidden'], scenario: { platform: 'win32' } });
    await app.started();
    expect(app.of('BrowserWindow.new')).toEqual([]);
    expect(app.of('app.setAppUserModelId').map((c) => c.detail.id)).toEqual([
      'com.cmdop.scheduler',
    ]);
  });

  it('a second launch restores the minimised window and brings it to the front', async () => {
    const h = home();
    const first = launch({ home: h });
    await first.waitFor('BrowserWindow.show');
    await first.command('window', { action: 'minimize' });
    const mark = first.mark;
    const second = launch({ home: h });
    expect(await second.exited).toBe(0);
    await first.waitFor('app.second-instance', undefined, { after: mark });
    await first.waitFor('BrowserWindow.focus', undefined, { after: mark });
    const [win] = (await first.state()).windows;
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true });
    expect(first.of('BrowserWindow.restore').length).toBeGreaterThan(0);
    // Still the one window: the second launch did not open another.
    expect(first.of('BrowserWindow.new')).toHaveLength(1);
  });

  it('a second launch after the window was closed opens a new one', async () => {
    const h = home();
    const first = launch({ home: h });
    await first.waitFor('BrowserWindow.show');
    await first.command('window', { action: 'close' });
    expect(first.running).toBe(true); // a tray app lives on without windows
    const second = launch({ home: h });
    expect(await second.exited).toBe(0);
    await first.waitFor('BrowserWindow.new', (d) => d.window === 2);
  });
});

describe('start-up failures', () => {
  it('the data folder held by serve: the box says what to do in tray terms, exit 1', async () => {
    const h = home();
    const cli = runCli(['serve', '--port', '0'], { HOME: h, XDG_CONFIG_HOME: join(h, '.config') });
    clis.push(cli);
    await cli.listening;
    const app = launch({ home: h });
    expect(await app.exited).toBe(1);
    const [box] = app.of('dialog.showErrorBox');
    expect(box?.detail.title).toBe('Cmdop Scheduler is already running');
    expect(box?.detail.content).toContain(`process ${cli.child.pid}`);
    expect(box?.detail.content).toContain('Quit the other one');
    expect(box?.detail.content).not.toContain('--data-dir');
    // serve was not disturbed.
    expect(cli.child.exitCode).toBeNull();
  });

  it('a failure after the engine started: error box, lock released, exit non-zero', async () => {
    const h = home();
    const app = launch({
      home: h,
      scenario: { faults: [{ throw: 'Tray', message: 'no StatusNotifier host' }] },
    });
    expect(await app.exited).toBe(1);
    const [box] = app.of('dialog.showErrorBox');
    expect(box?.detail.title).toBe('Cmdop Scheduler could not start');
    expect(box?.detail.content).toContain('no StatusNotifier host');
    expect(box?.detail.content).toContain('open Cmdop Scheduler again');
    expect(existsSync(join(linuxDataDir(h), 'scheduler.lock'))).toBe(false);
    // And the folder is usable at once: the next launch starts.
    const again = launch({ home: h });
    await again.started();
  });
});

async function runningCommand(app: HarnessApp, command: string) {
  const created = await app.bridge('create', {
    name: 'Long job',
    machine_id: 'local',
    command,
    cron: '0 3 * * *',
    timezone: 'UTC',
  });
  expect(created.ok).toBe(true);
  const id = created.value.id as string;
  const run = await app.bridge('runNow', id);
  expect(run.ok).toBe(true);
  return { scheduleId: id, commandId: run.value.command_id as string };
}

describe('quitting', () => {
  it('with nothing running it quits at once and frees the folder', async () => {
    const h = home();
    const app = launch({ home: h });
    await app.started();
    await app.clickTray('Quit');
    expect(await app.exited).toBe(0);
    expect(existsSync(join(linuxDataDir(h), 'scheduler.lock'))).toBe(false);
  });

  it('with a running command, "Cancel them" records it interrupted and exits 0', async () => {
    const h = home();
    const app = launch({ home: h });
    await app.waitFor('page.loaded');
    const { scheduleId } = await runningCommand(app, 'sleep 30');
    await app.clickTray('Quit');
    const box = await app.waitFor('dialog.showMessageBox');
    expect(box.detail.options.message).toBe('1 command is still running');
    await app.command('answer', { response: 1 });
    expect(await app.exited).toBe(0);
    const next = launch({ home: h });
    await next.waitFor('page.loaded');
    const history = await next.bridge('history', scheduleId);
    expect(history.value.data[0].status).toBe('interrupted');
  });

  it('with a running command, "Wait for them" lets it finish first', async () => {
    const h = home();
    const app = launch({ home: h });
    await app.waitFor('page.loaded');
    const { scheduleId } = await runningCommand(app, 'sleep 1; echo finished');
    await app.clickTray('Quit');
    await app.waitFor('dialog.showMessageBox');
    await app.command('answer', { response: 0 });
    expect(await app.exited).toBe(0);
    const next = launch({ home: h });
    await next.waitFor('page.loaded');
    const [run] = (await next.bridge('history', scheduleId)).value.data;
    expect(run).toMatchObject({ status: 'success', stdout: 'finished\n' });
  });

  it('"Keep running" keeps it; quitting later still works', async () => {
    const app = launch();
    await app.waitFor('page.loaded');
    await runningCommand(app, 'sleep 30');
    await app.clickTray('Quit');
    await app.waitFor('dialog.showMessageBox');
    const mark = app.mark;
    await app.command('answer', { response: 2 });
    await app.state();
    expect(app.running).toBe(true);
    await app.clickTray('Quit');
    await app.waitFor('dialog.showMessageBox', undefined, { after: mark });
    await app.command('answer', { response: 1 });
    expect(await app.exited).toBe(0);
  });

  it('stopping fails (the lock cannot be deleted): the box says so and it still exits', async () => {
    const app = launch({
      scenario: { faults: [{ fs: 'unlinkSync', match: 'scheduler.lock', code: 'EBUSY' }] },
    });
    await app.started();
    await app.clickTray('Quit');
    expect(await app.exited).toBe(1);
    const [box] = app.of('dialog.showErrorBox');
    expect(box?.detail.title).toBe('Cmdop Scheduler did not stop cleanly');
    expect(box?.detail.content).toContain('EBUSY');
  });

  it('the tray data survives a restart (the same folder, the same schedules)', async () => {
    const h = home();
    const app = launch({ home: h });
    await app.waitFor('page.loaded');
    const { commandId } = await runningCommand(app, 'true');
    // Quitting during the run would ask wait-or-cancel; this test is about the data.
    for (;;) {
      const run = await app.bridge('getCommand', commandId);
      if (run.ok && run.value.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await app.clickTray('Quit');
    await app.exited;
    const stored = JSON.parse(readFileSync(join(linuxDataDir(h), 'config.json'), 'utf8'));
    expect(JSON.stringify(stored)).toContain('Long job');
  });
});
