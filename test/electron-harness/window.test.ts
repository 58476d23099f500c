// The window and the tray of the built app through the Electron stand-in: every tray item,
// routes sent to an open window over IPC, and every IPC channel the preload exposes.
import { afterEach, describe, expect, it } from 'vitest';
import { BRIDGE_METHODS } from '../../src/shared/bridge';
import { HarnessApp, makeHome, removeHome } from './driver';

const apps: HarnessApp[] = [];
const homes: string[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  homes.splice(0).forEach(removeHome);
});

async function openApp(): Promise<HarnessApp> {
  const home = makeHome();
  homes.push(home);
  const app = HarnessApp.launch({ home });
  apps.push(app);
  await app.waitFor('page.loaded');
  await app.started();
  return app;
}

const SCHEDULE = {
  name: 'Nightly backup',
  machine_id: 'local',
  command: 'echo backed up',
  cron: '0 3 * * *',
  timezone: 'UTC',
};

async function create(app: HarnessApp, over: Record<string, unknown> = {}) {
  const r = await app.bridge('create', { ...SCHEDULE, ...over });
  expect(r.ok).toBe(true);
  return r.value as { id: string; name: string };
}

/** The tray menu once it shows `label` somewhere (it re-renders after engine events). */
async function trayShows(app: HarnessApp, label: string) {
  await app.waitFor('Tray.setContextMenu', (d) => JSON.stringify(d.menu).includes(label));
}

describe('the tray icon', () => {
  it('a failing ad-hoc command leaves it alone; a failing schedule turns it to failed', async () => {
    const app = await openApp();
    const adhoc = await app.bridge('runCommand', { machine_id: 'local', command: 'exit 3' });
    expect(adhoc.value).toMatchObject({ status: 'failed', exit_code: 3 });
    // A later render (the new schedule in the menu) would show a failure it had counted.
    const s = await create(app, { command: 'exit 4' });
    await trayShows(app, s.name);
    expect((await app.state()).tray.image).toContain('tray-idle');
    await app.bridge('runNow', s.id);
    await app.waitFor('Tray.setImage', (d) => String(d.image).includes('tray-failed'));
  });
});

describe('a schedule whose last planned fire did not run', () => {
  it('shows it in its submenu with the reason', async () => {
    const app = await openApp();
    expect((await app.bridge('updateSettings', { paused: true })).ok).toBe(true);
    // Real fires on the real clock, each skipped by the pause: the menu re-renders to say so.
    const s = await create(app, { name: 'Every second', cron: '* * * * * *' });
    await trayShows(app, 'Last planned fire skipped: paused — ');
    const menu = (await app.state()).tray.menu;
    const schedules = menu.find((i: any) => i.label === 'Schedules');
    const mine = schedules.submenu.find((i: any) => i.label === s.name);
    const line = mine.submenu.find((i: any) => String(i.label).startsWith('Last planned fire'));
    expect(line).toMatchObject({ enabled: false });
    // Seconds are shown unless the fire fell on a whole minute (an every-second job can).
    expect(line.label).toMatch(
      /^Last planned fire skipped: paused — \d\d:\d\d(:(?!00)\d\d)? on \d+ \w+$/,
    );
  });
});

describe('the tray opens pages in the open window', () => {
  it('New schedule…, Settings… and History… navigate the page that is already open', async () => {
    const app = await openApp();
    const s = await create(app);
    await trayShows(app, s.name);
    const cases: Array<[string[], string]> = [
      [['New schedule…'], '#/schedules/new'],
      [['Settings…'], '#/settings'],
      [['Schedules', s.name, 'History…'], `#/schedules/${s.id}/history`],
    ];
    for (const [path, hash] of cases) {
      const mark = app.mark;
      await app.clickTray(...path);
      const nav = await app.waitFor('page.navigate', undefined, { after: mark });
      expect(nav.detail.hash).toBe(hash);
      await app.waitFor('BrowserWindow.focus', undefined, { after: mark });
    }
    // Still one window, never reloaded: the page kept its state.
    expect(app.of('BrowserWindow.new')).toHaveLength(1);
    expect(app.of('webContents.loadFile')).toHaveLength(1);
  });

  it('a closed window reopens on the page the tray item names', async () => {
    const app = await openApp();
    await app.command('window', { action: 'close' });
    await app.clickTray('Settings…');
    const load = await app.waitFor('webContents.loadFile', (d) => d.window === 2);
    expect(load.detail.url).toMatch(/index\.html#\/settings$/);
    await app.waitFor('BrowserWindow.show', (d) => d.window === 2);
  });

  it('Open Cmdop Scheduler restores a minimised window on the page it had', async () => {
    const app = await openApp();
    await app.command('window', { action: 'minimize' });
    const mark = app.mark;
    await app.clickTray('Open Cmdop Scheduler');
    await app.waitFor('BrowserWindow.restore', undefined, { after: mark });
    expect(app.of('page.navigate')).toEqual([]);
  });
});

describe('every tray item does what it says', () => {
  it('Run now, Disable/Enable, Pause, Mute, Next runs, Running → Cancel run', async () => {
    const app = await openApp();
    const s = await create(app);
    await trayShows(app, s.name);

    await app.clickTray('Schedules', s.name, 'Run now');
    await trayShows(app, 'Last run: succeeded');

    await app.clickTray('Schedules', s.name, 'Disable');
    expect((await app.bridge('get', s.id)).value.enabled).toBe(false);
    await trayShows(app, `${s.name} (disabled)`);
    const enabledAt = app.mark;
    await app.clickTray('Schedules', `${s.name} (disabled)`, 'Enable');
    expect((await app.bridge('get', s.id)).value.enabled).toBe(true);

    // Next runs: the entry for the schedule opens its history.
    await app.waitFor(
      'Tray.setContextMenu',
      (d) => d.menu.some((i: any) => i.label.startsWith(`${s.name} — `)),
      { after: enabledAt },
    );
    const state = await app.state();
    const next = state.tray.menu.find((i: any) => i.label.startsWith(`${s.name} — `));
    const mark = app.mark;
    await app.clickTray(next.label);
    const nav = await app.waitFor('page.navigate', undefined, { after: mark });
    expect(nav.detail.hash).toBe(`#/schedules/${s.id}/history`);

    await app.clickTray('Pause all schedules', 'Until I resume');
    expect((await app.bridge('getSettings')).value.paused).toBe(true);
    await app.clickTray('Mute notifications');
    expect((await app.bridge('getSettings')).value.notifications.muted).toBe(true);

    const long = await create(app, { name: 'Long job', command: 'sleep 30' });
    const run = await app.bridge('runNow', long.id);
    const shown = await app.waitFor('Tray.setContextMenu', (d) =>
      d.menu.some((i: any) => i.label.startsWith('Long job — started')),
    );
    const running = shown.detail.menu.find((i: any) => i.label.startsWith('Long job — started'));
    await app.clickTray(running.label, 'Cancel run');
    for (;;) {
      const r = (await app.bridge('getCommand', run.value.command_id)).value;
      if (r.status !== 'running') {
        expect(r.status).toBe('cancelled');
        break;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  });
});

describe('IPC through the real preload bundle', () => {
  it('exposes exactly the API verbs, onEvent and onNavigate', async () => {
    const app = await openApp();
    const [win] = (await app.state()).windows;
    expect([...win.bridge].sort()).toEqual([...BRIDGE_METHODS, 'onEvent', 'onNavigate'].sort());
    expect((await app.state()).channels.sort()).toEqual(
      BRIDGE_METHODS.map((m) => `cmdop:${m}`).sort(),
    );
  });

  it('every channel answers through window.cmdop, events reach the page', async () => {
    const app = await openApp();
    const s = await create(app);
    await app.waitFor('page.event', (d) => d.type === 'schedule.created');
    expect((await app.bridge('list')).value.meta.total).toBe(1);
    expect((await app.bridge('get', s.id)).value.name).toBe(s.name);
    expect((await app.bridge('update', s.id, { name: 'Renamed' })).value.name).toBe('Renamed');
    const run = (await app.bridge('runNow', s.id)).value;
    await app.waitFor('page.event', (d) => d.type === 'run.finished');
    expect((await app.bridge('getCommand', run.command_id)).value.stdout).toBe('backed up\n');
    expect((await app.bridge('history', s.id)).value.data).toHaveLength(1);
    const cancel = await app.bridge('cancelCommand', run.command_id);
    expect(cancel).toMatchObject({ ok: false, error: { code: 'not_running' } });
    const machines = (await app.bridge('listMachines')).value;
    expect(machines.data).toHaveLength(1);
    expect((await app.bridge('getMachine', 'local')).value.id).toBe(machines.data[0].id);
    expect((await app.bridge('getMachineStatus', 'local')).value.connected).toBe(true);
    const adhoc = (await app.bridge('runCommand', { machine_id: 'local', command: 'echo hi' }))
      .value;
    expect(adhoc).toMatchObject({ status: 'completed', stdout: 'hi\n', schedule_id: 'adhoc' });
    const started = (await app.bridge('startCommand', { machine_id: 'local', command: 'true' }))
      .value;
    expect(started.status).toBe('running');
    const commands = (await app.bridge('listCommands', 'local')).value;
    expect(commands.data.map((c: { id: string }) => c.id)).toContain(adhoc.id);
    const settings = (await app.bridge('getSettings')).value;
    expect(settings.server.mode).toBe('tray');
    expect((await app.bridge('updateSettings', { paused: true })).value.paused).toBe(true);
    expect((await app.bridge('rotateToken')).ok).toBe(true);
    expect((await app.bridge('testRemote')).value.ok).toBe(false);
    expect((await app.bridge('remove', s.id)).ok).toBe(true);
    expect((await app.bridge('get', s.id)).error.code).toBe('not_found');
  });

  it('bad arguments come back as validation errors naming the field', async () => {
    const app = await openApp();
    const r = await app.bridge('create', { ...SCHEDULE, cron: 'every day' });
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('validation_error');
    expect(Object.keys(r.error.details.fields)).toContain('cron');
  });

  it('a frame that is not the app page is refused', async () => {
    const app = await openApp();
    const r = await app.command('invokeFrom', {
      url: 'https://evil.example/',
      channel: 'cmdop:list',
      args: [],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
