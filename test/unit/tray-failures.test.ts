// The tray names what failed and leads to it: a real host runs real commands, the tray app
// listens to it (through a recording stand-in for the native tray), and the user hovers,
// opens the menu and clicks as they would.
import { afterEach, describe, expect, it } from 'vitest';
import { composeApi } from '../../src/main/app-api';
import { startTrayApp, type TrayApp } from '../../src/main/tray-app';
import type { TrayFactory } from '../../src/main/tray';
import {
  buildTrayModel,
  type TrayAction,
  type TrayMenuItem,
  type TrayState,
} from '../../src/main/trayModel';
import type { Run } from '../../src/shared/types';
import { until } from '../helpers/policies';
import { captureLog, removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer | null = null;
let tray: TrayApp | null = null;
afterEach(async () => {
  tray?.dispose();
  await srv?.stop();
  if (srv) removeDir(srv.dataDir);
  srv = null;
  tray = null;
});

function fakeTray() {
  const shown = { icon: '', tooltip: '', menu: [] as TrayMenuItem[] };
  let onAction: (a: TrayAction) => void = () => {};
  let menuShown: () => void = () => {};
  const factory: TrayFactory = {
    create(icon) {
      shown.icon = icon;
      return {
        setImage: (i) => (shown.icon = i),
        setToolTip: (t) => (shown.tooltip = t),
        setContextMenu: (m, handler) => {
          shown.menu = m;
          onAction = handler;
        },
        onMenuShown: (l) => (menuShown = l),
        destroy() {},
      };
    },
  };
  const labels = () => shown.menu.map((i) => i.label ?? '---');
  const click = (label: string) => {
    const item = shown.menu.find((i) => i.label === label);
    if (!item?.action) throw new Error(`no item "${label}" in ${JSON.stringify(labels())}`);
    onAction(item.action);
  };
  return { factory, shown, labels, click, openMenu: () => menuShown() };
}

async function start() {
  srv = await startTestServer();
  const host = srv.headless.host;
  const ui = fakeTray();
  const opened: string[] = [];
  const settings = await srv.headless.settings.getSettings();
  const api = composeApi(
    host.router,
    srv.headless.settings,
    {
      createBatch: (input) => host.service.createBatch(input),
      listBackups: () => host.backups.listBackups(),
      createBackup: () => host.backups.createBackup(),
      restoreBackup: (id, o) => host.backups.restoreBackup(id, o),
    },
    host.alerts,
    host.fires,
    host.decisionQueries,
  );
  tray = await startTrayApp({
    host,
    api,
    factory: ui.factory,
    settings: () => settings,
    openWindow: (hash) => {
      opened.push(hash);
      tray?.seen(); // as main's showWindow does
    },
    quit() {},
    log: captureLog(),
    now: () => Date.now(),
  });
  return { srv, ui, opened };
}

async function failingRun(s: TestServer, name: string): Promise<Run> {
  const made = await s.call('POST', '/v1/schedules', {
    name,
    machine_id: 'local',
    command: 'exit 3',
    cron: '@daily',
  });
  const { command_id } = (await s.call('POST', `/v1/schedules/${made.json.data.id}/run`)).json.data;
  return until(
    async () => (await s.call('GET', `/v1/commands/${command_id}`)).json.data as Run,
    (r) => r.status !== 'running',
  );
}

describe('the tray after failures', () => {
  it('names each failed run, opens it on click, and forgets them once the window opens', async () => {
    const { srv: s, ui, opened } = await start();
    const run = await failingRun(s, 'Backup');
    await until(
      async () => ui.shown.tooltip,
      (t) => t.includes('Backup failed just now'),
    );
    expect(ui.shown.icon).toBe('failed');
    expect(ui.labels().slice(0, 3)).toEqual([
      'Failed since you last looked',
      'Backup failed just now',
      '---',
    ]);

    // Opening the menu clears the red icon; the list stays to be clicked.
    ui.openMenu();
    expect(ui.shown.icon).toBe('idle');
    expect(ui.labels()).toContain('Backup failed just now');
    ui.click('Backup failed just now');
    expect(opened).toEqual([`#/runs/${run.command_id}`]);
    expect(ui.labels()).not.toContain('Failed since you last looked');
  });

  it('says how many when several failed, newest first in the menu', async () => {
    const { srv: s, ui } = await start();
    await failingRun(s, 'First');
    await failingRun(s, 'Second');
    await until(
      async () => ui.shown.tooltip,
      (t) => t.includes('2 runs failed since you last looked'),
    );
    expect(ui.labels().slice(0, 3)).toEqual([
      'Failed since you last looked',
      'Second failed just now',
      'First failed just now',
    ]);
  });

  it('marks a run that is running long (run.stuck)', async () => {
    const { srv: s, ui } = await start();
    const made = await s.call('POST', '/v1/schedules', {
      name: 'Slow',
      machine_id: 'local',
      command: 'sleep 5',
      cron: '@daily',
    });
    const { command_id } = (await s.call('POST', `/v1/schedules/${made.json.data.id}/run`)).json
      .data;
    const live = (await s.call('GET', `/v1/commands/${command_id}`)).json.data as Run;
    s.headless.host.events.emit({ type: 'run.stuck', run: live, running_for: 1, usual: 1 });
    await until(
      async () => JSON.stringify(ui.shown.menu),
      (m) => m.includes('· running long'),
    );
    expect(ui.labels().find((l) => l.startsWith('Slow — started'))).toMatch(/· running long$/);
    await s.call('DELETE', `/v1/commands/${command_id}`);
  });
});

describe('the tray model with failures', () => {
  const NOW = Date.parse('2026-06-01T10:00:00Z');
  const base: TrayState = {
    schedules: [],
    running: [],
    paused: false,
    muted: false,
    failedSinceSeen: true,
  };
  const failure = (n: number) => ({
    commandId: `cmd_${n}`,
    name: `Job ${n}`,
    status: n % 2 ? ('failure' as const) : ('timeout' as const),
    at: new Date(NOW - n * 60_000).toISOString(),
  });

  it('lists at most 5, then one item for the rest that opens the failures', () => {
    const failures = [7, 6, 5, 4, 3, 2, 1].map(failure);
    const model = buildTrayModel({ ...base, failures }, NOW);
    const labels = model.menu.map((i) => i.label ?? '---');
    expect(labels.slice(0, 8)).toEqual([
      'Failed since you last looked',
      'Job 1 failed 1 min ago',
      'Job 2 timed out 2 min ago',
      'Job 3 failed 3 min ago',
      'Job 4 timed out 4 min ago',
      'Job 5 failed 5 min ago',
      '2 more failed…',
      '---',
    ]);
    expect(model.menu[1]?.action).toEqual({ kind: 'openRun', commandId: 'cmd_1' });
    expect(model.menu[6]?.action).toEqual({ kind: 'failures' });
    expect(model.tooltip).toBe(
      'Cmdop Scheduler — 7 runs failed since you last looked · no schedules',
    );
  });
});
