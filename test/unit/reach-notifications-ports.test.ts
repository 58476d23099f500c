// The ports that hand a notice to the desktop: node-notifier (its recorder, via the vi.mock
// below), the dbus-send questions about the session bus, and notify-send with actions.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notice, notificationsRig } from '../helpers/notifications-rig';
import { busNameHasOwner, notificationCapabilities } from '../../src/core/dbus';
import { nodeNotifierPort, type Notice } from '../../src/core/notifications';
import { notifySendActionsPort } from '../../src/core/notify-send-actions';

vi.mock('node-notifier', async () => (await import('../helpers/notifier-recorder')).notifierMock());

const { notifier, newDir, fakeBin } = notificationsRig(beforeEach, afterEach);

describe('nodeNotifierPort', () => {
  it('hands node-notifier the payload and resolves', async () => {
    const port = nodeNotifierPort({ platform: 'linux' });
    await port.send(notice());
    expect(notifier.calls.map((c) => c.payload)).toEqual([
      { title: 'Backup failed', message: 'disk full', 'app-name': 'Cmdop Scheduler' },
    ]);
  });

  it('a string "error" (GLib warnings on exit 0) still counts as sent', async () => {
    notifier.answer = (cb) => cb('GLib-WARNING', '');
    await expect(nodeNotifierPort({ platform: 'linux' }).send(notice())).resolves.toBeUndefined();
  });

  it('a real error rejects with the notifier words only', async () => {
    notifier.answer = (cb) =>
      cb(Object.assign(new Error('Command failed: notify-send x\nbad'), { code: 2 }));
    await expect(nodeNotifierPort({ platform: 'linux' }).send(notice())).rejects.toThrow(
      /^notifier exited with 2: bad$/,
    );
    notifier.answer = () => {
      throw new Error('no notifier here');
    };
    await expect(nodeNotifierPort({ platform: 'linux' }).send(notice())).rejects.toThrow(
      'no notifier here',
    );
  });

  it('a click reported by the notifier opens the notice', async () => {
    const clicked: Notice[] = [];
    const port = nodeNotifierPort({ platform: 'darwin', onClick: (n) => clicked.push(n) });
    notifier.answer = (cb) => cb(null, 'timeout');
    await port.send(notice());
    expect(clicked).toHaveLength(0);
    notifier.answer = (cb) => cb(null, 'Activate');
    await port.send(notice({ runId: 'run_2' }));
    notifier.answer = (cb) => cb(null, 'clicked');
    await port.send(notice({ runId: 'run_3' }));
    notifier.answer = (cb) => cb(null, { activate: true });
    await port.send(notice({ runId: 'run_4' }));
    expect(clicked.map((n) => n.runId)).toEqual(['run_2', 'run_3']);
    const quiet = nodeNotifierPort({ platform: 'darwin' });
    notifier.answer = (cb) => cb(null, 'activate');
    await expect(quiet.send(notice())).resolves.toBeUndefined();
  });
});

describe('dbus-send questions', () => {
  it('without a session bus address nothing is asked', async () => {
    const { env, dir } = fakeBin('dbus-send', 'touch "$(dirname "$0")/asked"; echo "boolean true"');
    const noBus = { PATH: env.PATH };
    expect(await busNameHasOwner('org.x', noBus)).toBeNull();
    expect(await notificationCapabilities(noBus)).toBeNull();
    expect(existsSync(join(dir, 'asked'))).toBe(false);
  });

  it('NameHasOwner: true, false, or null when dbus-send fails', async () => {
    const yes = fakeBin('dbus-send', 'echo "$@" > "$(dirname "$0")/args"; echo "   boolean true"');
    expect(await busNameHasOwner('org.cmdop.Scheduler', yes.env)).toBe(true);
    expect(readFileSync(join(yes.dir, 'args'), 'utf8').trim()).toBe(
      '--session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ' +
        'org.freedesktop.DBus.NameHasOwner string:org.cmdop.Scheduler',
    );
    const no = fakeBin('dbus-send', 'echo "   boolean false"');
    expect(await busNameHasOwner('org.x', no.env)).toBe(false);
    const broken = fakeBin('dbus-send', 'echo "boolean true"; exit 1');
    expect(await busNameHasOwner('org.x', broken.env)).toBeNull();
  });

  it('GetCapabilities: the strings of the reply, or null', async () => {
    const caps = fakeBin(
      'dbus-send',
      'echo "$@" > "$(dirname "$0")/args"\n' +
        'printf \'method return\\n   array [\\n      string "actions"\\n      string "body"\\n      string ""\\n   ]\\n\'',
    );
    expect(await notificationCapabilities(caps.env)).toEqual(['actions', 'body', '']);
    expect(readFileSync(join(caps.dir, 'args'), 'utf8').trim()).toBe(
      '--session --print-reply --dest=org.freedesktop.Notifications /org/freedesktop/Notifications ' +
        'org.freedesktop.Notifications.GetCapabilities',
    );
    const broken = fakeBin('dbus-send', 'exit 3');
    expect(await notificationCapabilities(broken.env)).toBeNull();
  });
});

describe('notifySendActionsPort', () => {
  /** A fake notify-send that records its arguments and prints `prints`. */
  function fakeNotifySend(prints: string) {
    return fakeBin(
      'notify-send',
      `printf '%s\\n' "$@" > "$(dirname "$0")/args"\nprintf '${prints}'`,
    );
  }

  const argsOf = (dir: string) => readFileSync(join(dir, 'args'), 'utf8').split('\n').slice(0, -1);

  async function until(check: () => boolean) {
    for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  }

  it('a run notice goes through notify-send with a default action; a click opens it', async () => {
    const { env, dir } = fakeNotifySend('default\\n');
    const clicked: Notice[] = [];
    const port = notifySendActionsPort({
      env,
      icon: '/icon.png',
      platform: 'linux',
      onClick: (n) => clicked.push(n),
      capabilities: async () => ['body', 'actions'],
    });
    await port.send(notice({ title: '-dash', body: 'a\\b' }));
    await until(() => clicked.length > 0);
    expect(clicked.map((n) => n.runId)).toEqual(['run_1']);
    expect(argsOf(dir)).toEqual([
      '--action=default=Open',
      '--app-name=Cmdop Scheduler',
      '--icon=/icon.png',
      '\u200b-dash',
      'a\\\\b',
    ]);
    expect(notifier.calls).toHaveLength(0);
    port.dispose();
  });

  it('closing the notice without a click opens nothing; no icon, no --icon', async () => {
    const { env, dir } = fakeNotifySend('defaults\\n');
    const clicked: Notice[] = [];
    const port = notifySendActionsPort({
      env,
      platform: 'linux',
      onClick: (n) => clicked.push(n),
      capabilities: async () => ['actions'],
    });
    await port.send(notice({ commandId: '', summary: true }));
    await until(() => existsSync(join(dir, 'args')));
    await new Promise((r) => setTimeout(r, 200));
    expect(argsOf(dir).some((a) => a.startsWith('--icon'))).toBe(false);
    expect(clicked).toHaveLength(0);
  });

  it('a server without actions, or a notice with nothing to open, goes the plain way', async () => {
    const { env, dir } = fakeNotifySend('default\\n');
    let asked = 0;
    const port = notifySendActionsPort({
      env,
      platform: 'linux',
      onClick: () => {},
      capabilities: async () => {
        asked++;
        return ['body'];
      },
    });
    await port.send(notice({ commandId: '' }));
    expect(asked).toBe(0);
    await port.send(notice());
    await port.send(notice());
    expect(asked).toBe(1);
    expect(notifier.calls).toHaveLength(3);
    expect(existsSync(join(dir, 'args'))).toBe(false);
    const unknown = notifySendActionsPort({
      env,
      platform: 'linux',
      onClick: () => {},
      capabilities: async () => null,
    });
    await unknown.send(notice());
    expect(notifier.calls).toHaveLength(4);
  });

  it('a click may come with spaces around the action name; no app name off linux', async () => {
    const { env, dir } = fakeNotifySend('  default  \\n');
    const clicked: Notice[] = [];
    const port = notifySendActionsPort({
      env,
      platform: 'darwin',
      onClick: (n) => clicked.push(n),
      capabilities: async () => ['actions'],
    });
    await port.send(notice());
    await until(() => clicked.length > 0);
    expect(clicked).toHaveLength(1);
    expect(argsOf(dir).slice(0, 2)).toEqual(['--action=default=Open', '--app-name=']);
  });

  it('the plain way keeps the app name and platform it was given', async () => {
    const { env } = fakeNotifySend('');
    const port = notifySendActionsPort({
      env,
      platform: 'linux',
      appName: 'Mine',
      icon: '/i.png',
      onClick: () => {},
      capabilities: async () => [],
    });
    await port.send(notice());
    expect(notifier.calls.map((c) => c.payload)).toEqual([
      { title: 'Backup failed', message: 'disk full', icon: '/i.png', 'app-name': 'Mine' },
    ]);
  });

  it('asks the bus for capabilities by default (none here: plain)', async () => {
    const { env } = fakeBin('dbus-send', 'exit 1');
    const port = notifySendActionsPort({ env, platform: 'linux', onClick: () => {} });
    await port.send(notice());
    expect(notifier.calls).toHaveLength(1);
  });

  it('no notify-send at all rejects with the spawn error', async () => {
    const dir = newDir();
    const port = notifySendActionsPort({
      env: { PATH: dir },
      platform: 'linux',
      onClick: () => {},
      capabilities: async () => ['actions'],
    });
    await expect(port.send(notice())).rejects.toThrow(/ENOENT/);
  });

  it('dispose ends the notify-sends still waiting for a click', async () => {
    const { env, dir } = fakeBin('notify-send', `echo $$ > "$(dirname "$0")/pid"\nexec sleep 30`);
    const clicked: Notice[] = [];
    const port = notifySendActionsPort({
      env,
      platform: 'linux',
      onClick: (n) => clicked.push(n),
      capabilities: async () => ['actions'],
    });
    await port.send(notice());
    await until(() => existsSync(join(dir, 'pid')));
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    port.dispose();
    await until(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
