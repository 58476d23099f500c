// The tray app's decisions that the harness cannot reach on this machine: other desktops'
// trays, keychains per platform, what Windows' notifier is given, and quitting's time bound.
import { describe, expect, it } from 'vitest';
import { notifierPayload, type Notice } from '../../src/core/notifications';
import { keychainInUse } from '../../src/main/keychain';
import { launchPlan } from '../../src/main/launch';
import { QuitController } from '../../src/main/quit';
import { noticeRoute } from '../../src/main/routes';
import { trayAreaAvailable } from '../../src/main/tray-area';

const notice: Notice = {
  title: 'Backup failed — exit 1',
  body: 'disk full',
  scheduleId: 'sched_1',
  runId: 'run_1',
  commandId: 'cmd_1',
  kind: 'failure',
};

describe('launches', () => {
  it('a person gets the window; the login item stays in a tray that exists', () => {
    expect(launchPlan({ argv: [], openedAtLogin: false, trayAvailable: true }).openWindow).toBe(
      true,
    );
    expect(launchPlan({ argv: ['--hidden'], openedAtLogin: false, trayAvailable: true })).toEqual({
      openWindow: false,
      why: 'started at login',
    });
    expect(launchPlan({ argv: [], openedAtLogin: true, trayAvailable: false }).openWindow).toBe(
      true,
    );
  });

  it('knows which desktops show tray icons', async () => {
    const ask = (owned: boolean | null) => async () => owned;
    const linux = (desktop: string, owned: boolean | null) =>
      trayAreaAvailable({
        platform: 'linux',
        env: { XDG_CURRENT_DESKTOP: desktop },
        nameHasOwner: ask(owned),
      });
    expect(await linux('GNOME', false)).toBe(false);
    expect(await linux('ubuntu:GNOME', true)).toBe(true); // the AppIndicator extension
    expect(await linux('KDE', null)).toBe(true);
    expect(await linux('Budgie:GNOME', false)).toBe(true);
    expect(await linux('', null)).toBe(false);
    expect(await trayAreaAvailable({ platform: 'darwin', env: {} })).toBe(true);
  });
});

describe('the keychain', () => {
  const storage = (available: boolean, backend: string) => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(s),
    decryptString: (b: Buffer) => b.toString(),
  });

  it("Linux's fixed-key basic_text is not a keychain, libsecret and kwallet are", () => {
    expect(keychainInUse(storage(true, 'basic_text'), 'linux')).toBe(false);
    expect(keychainInUse(storage(true, 'unknown'), 'linux')).toBe(false);
    expect(keychainInUse(storage(true, 'gnome_libsecret'), 'linux')).toBe(true);
    expect(keychainInUse(storage(true, 'kwallet6'), 'linux')).toBe(true);
    expect(keychainInUse(storage(true, 'basic_text'), 'darwin')).toBe(true);
    expect(keychainInUse(storage(false, 'gnome_libsecret'), 'win32')).toBe(false);
  });
});

describe('notifications', () => {
  it('Windows: SnoreToast gets the app id and waits for the click', () => {
    const payload = notifierPayload(notice, {
      platform: 'win32',
      appID: 'com.cmdop.scheduler',
      onClick: () => {},
    });
    expect(payload).toMatchObject({ appID: 'com.cmdop.scheduler', wait: true });
    expect(payload).not.toHaveProperty('app-name');
    expect(notifierPayload(notice, { platform: 'linux', appID: 'x' })).not.toHaveProperty('appID');
  });

  it('a click opens the run; a summary opens the list', () => {
    expect(noticeRoute(notice)).toBe('#/runs/cmd_1');
    expect(noticeRoute({ commandId: '', scheduleId: '' })).toBe('#/schedules');
    // A summary of failures opens only the failures; one of successes, the whole list.
    const summary = { commandId: '', scheduleId: '', summary: true } as const;
    expect(noticeRoute({ ...summary, kind: 'failure' })).toBe('#/schedules/failed');
    expect(noticeRoute({ ...summary, kind: 'success' })).toBe('#/schedules');
  });
});

describe('quitting', () => {
  function controller(close: () => Promise<void>) {
    const exits: number[] = [];
    const boxes: string[] = [];
    const timers: Array<() => void> = [];
    const quit = new QuitController({
      running: () => 0,
      ask: async () => 'cancel',
      close,
      cancelRunning: () => {},
      showError: (b) => boxes.push(b.title),
      exit: (code) => exits.push(code),
      log: { info() {}, warn() {}, error() {} },
      timers: { setTimeout: (fn) => timers.push(fn), clearTimeout: () => {} },
      closeTimeoutMs: 15_000,
    });
    return { quit, exits, boxes, timers };
  }

  it('a stop that never ends is cut off: the app still exits, non-zero, and says why', async () => {
    const c = controller(() => new Promise(() => {}));
    c.quit.request();
    await new Promise((r) => setImmediate(r));
    c.timers.forEach((fire) => fire());
    await new Promise((r) => setImmediate(r));
    expect(c.exits).toEqual([1]);
    expect(c.boxes).toEqual(['Cmdop Scheduler did not stop cleanly']);
  });

  it('a second request while quitting does not start another quit', async () => {
    const c = controller(async () => {});
    c.quit.request();
    c.quit.request();
    await new Promise((r) => setImmediate(r));
    expect(c.exits).toEqual([0]);
  });
});
