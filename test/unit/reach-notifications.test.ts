// The desktop notifier's edges without a desktop: node-notifier replaced by a recorder (what
// it is handed is what the user sees), and notify-send / dbus-send as fake scripts on a temp
// PATH (real child processes, never the real bus).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { busNameHasOwner, notificationCapabilities } from '../../src/core/dbus';
import {
  NotificationCenter,
  noticeFor,
  summaryNotice,
  describeNotifierError,
  guardDash,
  isLinuxLike,
  keepBackslashes,
  nodeNotifierPort,
  notifierPayload,
  type Notice,
} from '../../src/core/notifications';
import { notifySendActionsPort } from '../../src/core/notify-send-actions';
import type { Run } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { captureLog, tempDirs } from '../helpers/server';

type Callback = (err: unknown, response?: unknown) => void;
const calls: { payload: Record<string, unknown> }[] = [];
let answer: (cb: Callback) => void = (cb) => cb(null, '');

vi.mock('node-notifier', () => ({
  default: {
    notify(payload: Record<string, unknown>, cb: Callback) {
      calls.push({ payload });
      answer(cb);
    },
  },
}));

beforeEach(() => {
  calls.length = 0;
  answer = (cb) => cb(null, '');
});

const newDir = tempDirs(afterEach);

const notice = (over: Partial<Notice> = {}): Notice => ({
  title: 'Backup failed',
  body: 'disk full',
  scheduleId: 'sch_1',
  runId: 'run_1',
  commandId: 'cmd_1',
  kind: 'failure',
  ...over,
});

/** A directory holding an executable `name` with this shell body; PATH is only it and /bin. */
function fakeBin(name: string, body: string): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = newDir();
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return { dir, env: { PATH: `${dir}:/usr/bin:/bin`, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' } };
}

describe('notifier text guards', () => {
  it('a leading dash is kept from reading as an option; others are left alone', () => {
    expect(guardDash('--> error')).toBe('\u200b--> error');
    expect(guardDash('a-b')).toBe('a-b');
  });

  it('backslashes survive notify-send unescaping', () => {
    expect(keepBackslashes('C:\\temp\\x')).toBe('C:\\\\temp\\\\x');
  });

  it('linux and the BSDs use notify-send; macOS and Windows do not', () => {
    expect(isLinuxLike('linux')).toBe(true);
    expect(isLinuxLike('freebsd')).toBe(true);
    expect(isLinuxLike('openbsd')).toBe(true);
    expect(isLinuxLike('darwin')).toBe(false);
    expect(isLinuxLike('win32')).toBe(false);
    expect(isLinuxLike('bsdthing' as NodeJS.Platform)).toBe(false);
  });

  it('the payload on linux: escaped body, app name, never wait', () => {
    expect(
      notifierPayload(notice({ title: '-x', body: 'a\\b' }), {
        platform: 'linux',
        icon: '/i.png',
        onClick: () => {},
      }),
    ).toEqual({
      title: '\u200b-x',
      message: 'a\\\\b',
      icon: '/i.png',
      'app-name': 'Cmdop Scheduler',
    });
    expect(notifierPayload(notice(), { platform: 'linux', appName: 'Mine' })['app-name']).toBe(
      'Mine',
    );
  });

  it('elsewhere: the body as is (a space when empty), wait for clicks, appID on Windows', () => {
    expect(notifierPayload(notice({ body: 'a\\b' }), { platform: 'darwin' })).toEqual({
      title: 'Backup failed',
      message: 'a\\b',
    });
    expect(
      notifierPayload(notice({ body: '' }), {
        platform: 'win32',
        appID: 'app.id',
        onClick: () => {},
      }),
    ).toEqual({
      title: 'Backup failed',
      message: ' ',
      appID: 'app.id',
      wait: true,
    });
    expect(notifierPayload(notice({ body: '' }), { platform: 'linux' }).message).toBe(' ');
    expect(notifierPayload(notice(), { platform: 'darwin', appID: 'app.id' })).not.toHaveProperty(
      'appID',
    );
  });
});

describe('describeNotifierError', () => {
  it('keeps the notifier words and drops the command line (the notice text)', () => {
    const err = Object.assign(
      new Error('Command failed: notify-send secret output\n\n  Unknown option  \n'),
      {
        code: 1,
      },
    );
    expect(describeNotifierError(err)).toBe('notifier exited with 1: Unknown option');
  });

  it('without a code or a detail line it says the notifier failed', () => {
    expect(describeNotifierError(new Error('Command failed: notify-send x\n   \n'))).toBe(
      'notifier failed',
    );
    expect(
      describeNotifierError(Object.assign(new Error('Command failed: x'), { code: 'ENOENT' })),
    ).toBe('notifier failed');
  });

  it('any other error is its first line; strings as such; others unknown', () => {
    expect(describeNotifierError(new Error('spawn notify-send ENOENT\nmore'))).toBe(
      'spawn notify-send ENOENT',
    );
    expect(describeNotifierError('plain words')).toBe('plain words');
    expect(describeNotifierError(42)).toBe('unknown error');
    expect(describeNotifierError(new Error('y'.repeat(500)))).toHaveLength(200);
  });
});

describe('nodeNotifierPort', () => {
  it('hands node-notifier the payload and resolves', async () => {
    const port = nodeNotifierPort({ platform: 'linux' });
    await port.send(notice());
    expect(calls.map((c) => c.payload)).toEqual([
      { title: 'Backup failed', message: 'disk full', 'app-name': 'Cmdop Scheduler' },
    ]);
  });

  it('a string "error" (GLib warnings on exit 0) still counts as sent', async () => {
    answer = (cb) => cb('GLib-WARNING', '');
    await expect(nodeNotifierPort({ platform: 'linux' }).send(notice())).resolves.toBeUndefined();
  });

  it('a real error rejects with the notifier words only', async () => {
    answer = (cb) =>
      cb(Object.assign(new Error('Command failed: notify-send x\nbad'), { code: 2 }));
    await expect(nodeNotifierPort({ platform: 'linux' }).send(notice())).rejects.toThrow(
      /^notifier exited with 2: bad$/,
    );
    answer = () => {
      throw new Error('no notifier here');
    };
    await expect(nodeNotifierPort({ platform: 'linux' }).send(notice())).rejects.toThrow(
      'no notifier here',
    );
  });

  it('a click reported by the notifier opens the notice', async () => {
    const clicked: Notice[] = [];
    const port = nodeNotifierPort({ platform: 'darwin', onClick: (n) => clicked.push(n) });
    answer = (cb) => cb(null, 'timeout');
    await port.send(notice());
    expect(clicked).toHaveLength(0);
    answer = (cb) => cb(null, 'Activate');
    await port.send(notice({ runId: 'run_2' }));
    answer = (cb) => cb(null, 'clicked');
    await port.send(notice({ runId: 'run_3' }));
    answer = (cb) => cb(null, { activate: true });
    await port.send(notice({ runId: 'run_4' }));
    expect(clicked.map((n) => n.runId)).toEqual(['run_2', 'run_3']);
    const quiet = nodeNotifierPort({ platform: 'darwin' });
    answer = (cb) => cb(null, 'activate');
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
    expect(calls).toHaveLength(0);
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
    expect(calls).toHaveLength(3);
    expect(existsSync(join(dir, 'args'))).toBe(false);
    const unknown = notifySendActionsPort({
      env,
      platform: 'linux',
      onClick: () => {},
      capabilities: async () => null,
    });
    await unknown.send(notice());
    expect(calls).toHaveLength(4);
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
    expect(calls.map((c) => c.payload)).toEqual([
      { title: 'Backup failed', message: 'disk full', icon: '/i.png', 'app-name': 'Mine' },
    ]);
  });

  it('asks the bus for capabilities by default (none here: plain)', async () => {
    const { env } = fakeBin('dbus-send', 'exit 1');
    const port = notifySendActionsPort({ env, platform: 'linux', onClick: () => {} });
    await port.send(notice());
    expect(calls).toHaveLength(1);
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

describe('notice texts at their edges', () => {
  const run = (over: Partial<Run>): Run => ({
    id: 'run_1',
    command_id: 'cmd_1',
    schedule_id: 'sch_1',
    started_at: '2026-01-01T03:00:00Z',
    finished_at: '2026-01-01T03:00:02Z',
    exit_code: null,
    duration: 2000,
    stdout: '',
    stderr: '',
    trigger: 'schedule',
    status: 'timeout',
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  });
  const both = { on_success: true, on_failure: true };

  it('a timeout names its limit and the attempts; no limit, the run time; neither, just timed out', () => {
    const sched = (timeout?: number | null) => ({ name: 'Sync', notify: both, timeout });
    expect(noticeFor(run({ attempt: 3 }), sched(60_000))?.title).toBe(
      'Sync timed out after 1 min (3 attempts)',
    );
    expect(noticeFor(run({ attempt: undefined as never }), sched(60_000))?.title).toBe(
      'Sync timed out after 1 min',
    );
    expect(noticeFor(run({}), sched(0))?.title).toBe('Sync timed out after 2 s');
    expect(noticeFor(run({}), sched(null))?.title).toBe('Sync timed out after 2 s');
    expect(noticeFor(run({ duration: null, attempt: 2 }), sched(undefined))?.title).toBe(
      'Sync timed out (2 attempts)',
    );
  });

  it('a blank name reads "A schedule"; names are trimmed', () => {
    expect(noticeFor(run({}), { name: '   ', notify: both })?.title).toMatch(
      /^A schedule timed out/,
    );
    expect(noticeFor(run({}), { name: '  Sync  ', notify: both })?.title).toMatch(
      /^Sync timed out/,
    );
  });

  it('a success without a duration just finished', () => {
    expect(
      noticeFor(run({ status: 'success', duration: null }), { name: 'S', notify: both })?.body,
    ).toBe('Finished');
  });

  it.each(['cancelled', 'skipped', 'running'] as const)('a %s run has no notice', (status) => {
    expect(noticeFor(run({ status }), { name: 'S', notify: both })).toBeNull();
  });

  it('exactly five names are all listed', () => {
    const e = (name: string) => ({ name, notice: notice({ kind: 'failure' }) });
    expect(summaryNotice(['A', 'B', 'C', 'D', 'E'].map(e)).body).toBe('A, B, C, D, E');
  });

  it('an error object that is not an Error but has a code is still "failed"', () => {
    expect(describeNotifierError({ code: 2, message: 'Command failed: x\nbad' })).toBe(
      'unknown error',
    );
    const noLines = Object.assign(new Error(''), { code: 1 });
    expect(describeNotifierError(noLines)).toBe('');
  });

  it('no icon option, no icon in the payload', () => {
    expect(notifierPayload(notice(), { platform: 'linux' })).not.toHaveProperty('icon');
  });
});

describe('NotificationCenter edges', () => {
  function center(muted = false) {
    const sent: Notice[] = [];
    const log = captureLog();
    const time = new FakeTime('2026-01-01T00:00:00Z');
    let quiet = muted;
    const c = new NotificationCenter({
      port: { send: async (n) => void sent.push(n) },
      log,
      muted: () => quiet,
      timers: time,
      windowMs: 1000,
    });
    return { c, sent, log, time, mute: (m: boolean) => (quiet = m) };
  }
  const flushPromises = () => new Promise((r) => setTimeout(r, 0));
  const failing: Run = {
    id: 'run_9',
    command_id: 'cmd_9',
    schedule_id: 'sch_9',
    status: 'failure',
    stderr: 'oops\n',
    stdout: '',
    duration: 10,
    attempt: 1,
    exit_code: 1,
    signal: null,
  } as Run;

  it('a run running long is told at once, for schedules that notify on failure', async () => {
    const { c, sent } = center();
    c.onRunStuck(
      failing,
      { name: 'Sync', notify: { on_success: false, on_failure: true } },
      {
        running_for: 120_000,
        usual: 30_000,
      },
    );
    await flushPromises();
    expect(sent).toEqual([
      {
        scheduleId: 'sch_9',
        runId: 'run_9',
        commandId: 'cmd_9',
        kind: 'failure',
        title: 'Sync is running long',
        body: 'Running for 2 min; it usually takes about 30 s',
      },
    ]);
    c.onRunStuck(
      failing,
      { name: 'Sync', notify: { on_success: true, on_failure: false } },
      {
        running_for: 1,
        usual: 1,
      },
    );
    await flushPromises();
    expect(sent).toHaveLength(1);
  });

  it('muted, nothing is told: not stuck runs, not alerts about the app', async () => {
    const { c, sent } = center(true);
    c.onRunStuck(
      failing,
      { name: 'Sync', notify: { on_success: true, on_failure: true } },
      {
        running_for: 1,
        usual: 1,
      },
    );
    c.alert('Cmdop Scheduler cannot save', 'disk full');
    await flushPromises();
    expect(sent).toEqual([]);
  });

  it('an alert about the app goes out at once, its body clipped', async () => {
    const { c, sent } = center();
    c.alert('Cmdop Scheduler cannot save', 'x'.repeat(500));
    await flushPromises();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      title: 'Cmdop Scheduler cannot save',
      scheduleId: '',
      runId: '',
      commandId: '',
      kind: 'failure',
    });
    expect(sent[0]?.body).toHaveLength(200);
  });

  it('dispose drops what was gathered and stops the window', async () => {
    const { c, sent, time } = center();
    c.onRunFinished(failing, { name: 'Sync', notify: { on_success: false, on_failure: true } });
    expect(time.pendingCount).toBe(1);
    c.dispose();
    expect(time.pendingCount).toBe(0);
    time.advanceBy(5000);
    await flushPromises();
    expect(sent).toEqual([]);
    c.dispose();
    c.onRunFinished(failing, { name: 'Sync', notify: { on_success: false, on_failure: true } });
    time.advanceBy(1000);
    await flushPromises();
    expect(sent).toHaveLength(1);
  });

  it('muting during the window drops the gathered notices', async () => {
    const { c, sent, time, mute } = center();
    c.onRunFinished(failing, { name: 'Sync', notify: { on_success: false, on_failure: true } });
    mute(true);
    time.advanceBy(1000);
    await flushPromises();
    expect(sent).toEqual([]);
  });

  it('a broken schedule or run is logged, never thrown at the engine', () => {
    const { c, log } = center();
    expect(() => c.onRunFinished(failing, null as never)).not.toThrow();
    expect(log.lines[0]).toMatch(/^error notification skipped: /);
  });

  it('a summary that cannot be made is logged from the timer, not thrown', () => {
    const { c, log, time } = center();
    const weird = { name: 'Sync', notify: { on_success: true, on_failure: true } };
    for (let i = 0; i < 4; i++) c.onRunFinished({ ...failing, id: `run_${i}` }, weird);
    // The entries' notices are read when the summary is made: one that throws there.
    const boom = Object.defineProperty({}, 'kind', {
      get() {
        throw new Error('bad notice');
      },
    });
    (c as unknown as { pending: { name: string; notice: unknown }[] }).pending.push({
      name: 'X',
      notice: boom,
    });
    expect(() => time.advanceBy(1000)).not.toThrow();
    expect(log.lines).toEqual(['error notifications dropped: bad notice']);
  });
});
