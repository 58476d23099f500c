// The built app on a real desktop session (Xvfb, a private D-Bus, dunst): a failing run
// notifies through notify-send, and clicking the notice opens that run in the window. And
// the Cmdop token at rest, with and without a keychain, read back by `serve`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DesktopSession } from '../notify/desktop-session';
import { startTestServer } from '../helpers/server';
import { HarnessApp, linuxDataDir, makeHome, removeHome, type Scenario } from './driver';

const apps: HarnessApp[] = [];
const homes: string[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  homes.splice(0).forEach(removeHome);
});

function launch(scenario: Scenario = {}, env: Record<string, string> = {}, home = makeHome()) {
  homes.push(home);
  const app = HarnessApp.launch({ home, scenario, env });
  apps.push(app);
  return app;
}

describe('notifications on a real desktop session', () => {
  const desktop = new DesktopSession();
  let setupError: unknown = null;
  beforeAll(async () => {
    try {
      await desktop.start();
    } catch (e) {
      setupError = e;
    }
  });
  afterAll(() => desktop.stop());

  it('a failing run notifies; clicking the notice opens the run in the window', async () => {
    if (setupError) throw setupError;
    const app = launch(
      {},
      { DISPLAY: desktop.display, DBUS_SESSION_BUS_ADDRESS: desktop.busAddress },
    );
    await app.waitFor('page.loaded');
    const created = await app.bridge('create', {
      name: 'Disk check',
      machine_id: 'local',
      command: 'echo "disk almost full" >&2; exit 3',
      cron: '0 3 * * *',
      timezone: 'UTC',
      notify: { on_failure: true },
    });
    const run = (await app.bridge('runNow', created.value.id)).value;
    const call = await desktop.waitForNotify((c) => c.summary === 'Disk check failed — exit 3');
    expect(call).toEqual({
      app: 'Cmdop Scheduler',
      summary: 'Disk check failed — exit 3',
      body: 'disk almost full',
    });
    // The user clicks it (dunst's default action for the newest notice).
    const mark = app.mark;
    await promisify(execFile)('dunstctl', ['action', '0'], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: desktop.busAddress },
    });
    const nav = await app.waitFor('page.navigate', undefined, { after: mark });
    expect(nav.detail.hash).toBe(`#/runs/${run.command_id}`);
    await app.waitFor('BrowserWindow.focus', undefined, { after: mark });
  });
});

const TOKEN = 'cmdop-secret-token-123';

async function saveToken(app: HarnessApp) {
  await app.waitFor('page.loaded');
  const saved = await app.bridge('updateSettings', {
    remote: { url: 'http://127.0.0.1:9/v1', token: TOKEN },
  });
  expect(saved.ok).toBe(true);
  return saved.value.remote;
}

async function quit(app: HarnessApp) {
  await app.clickTray('Quit');
  expect(await app.exited).toBe(0);
}

describe('the Cmdop token at rest', () => {
  it('no keyring (basic_text): never called encrypted, kept 0600, and serve reads it', async () => {
    const home = makeHome();
    const app = launch({ keyring: 'basic_text' }, {}, home);
    const remote = await saveToken(app);
    expect(remote).toMatchObject({ token_set: true, token_encrypted: false });
    const file = join(linuxDataDir(home), 'cmdop-api-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(app.of('safeStorage.encryptString')).toEqual([]);
    await quit(app);
    const serve = await startTestServer({ dataDir: linuxDataDir(home) });
    try {
      const { json } = await serve.call('GET', '/v1/settings');
      expect(json.data.remote).toMatchObject({ token_set: true, token_unreadable: null });
    } finally {
      await serve.stop();
    }
  });

  it('a real keychain: encrypted on disk; serve says it must be entered again', async () => {
    const home = makeHome();
    const app = launch({ keyring: 'gnome_libsecret' }, {}, home);
    const remote = await saveToken(app);
    expect(remote).toMatchObject({ token_set: true, token_encrypted: true });
    const dir = linuxDataDir(home);
    expect(readFileSync(join(dir, 'cmdop-api-token.enc')).toString('latin1')).not.toContain(TOKEN);
    expect(existsSync(join(dir, 'cmdop-api-token'))).toBe(false);
    await quit(app);
    const serve = await startTestServer({ dataDir: dir });
    try {
      const { json } = await serve.call('GET', '/v1/settings');
      expect(json.data.remote.token_set).toBe(false);
      expect(json.data.remote.token_unreadable).toMatch(/enter the token again/);
      // Entering it in serve's UI replaces the tray's copy, which would otherwise go stale.
      await serve.call('PATCH', '/v1/settings', { remote: { token: 'from-serve' } });
      expect(existsSync(join(dir, 'cmdop-api-token.enc'))).toBe(false);
    } finally {
      await serve.stop();
    }
    // And the tray reads what serve saved.
    const again = launch({ keyring: 'gnome_libsecret' }, {}, home);
    await again.waitFor('page.loaded');
    const settings = (await again.bridge('getSettings')).value;
    expect(settings.remote).toMatchObject({ token_set: true, token_unreadable: null });
  });
});
