// @ts-nocheck
// 
// Real notifications: NotificationCenter → node-notifier → notify-send → a private session
// bus → dunst on Xvfb, observed with dbus-monitor. Fails (not skips) when a program is
// missing, naming the Debian package: CI installs them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotificationCenter, nodeNotifierPort } from '../../src/core/notifications';
import type { Notify, Run, RunStatus } from '../../src/shared/types';
import { DesktopSession } from './desktop-session';

const WINDOW_MS = 200;
const BOTH: Notify = { on_success: true, on_failure: true };

let seq = 0;
function run(status: RunStatus, over: Partial<Run> = {}): Run {
  seq++;
  return {
    id: `run_${seq}`,
    started_at: '2026-01-01T03:00:00Z',
    finished_at: '2026-01-01T03:00:02Z',
    exit_code: status === 'success' ? 0 : status === 'failure' ? 1 : null,
    duration: 2300,
    stdout: '',
    stderr: '',
    schedule_id: `sch_${seq}`,
    command_id: `cmd_${seq}`,
    trigger: 'schedule',
    status,
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  };
}

const desktop = new DesktopSession();
const errors: string[] = [];
let muted = false;
let center: NotificationCenter;

// Kept and rethrown per test so each one is reported failed with the reason (a throwing
// beforeAll would show the tests as skipped).
let setupError: unknown = null;

beforeAll(async () => {
  try {
    await desktop.start();
  } catch (err) {
    setupError = err;
  }
  center = new NotificationCenter({
    port: nodeNotifierPort({ appName: 'Cmdop Scheduler' }),
    log: { info() {}, warn() {}, error: (m) => errors.push(m) },
    muted: () => muted,
    windowMs: WINDOW_MS,
  });
});

afterAll(async () => {
  center?.dispose();
  await desktop.stop();
});

beforeEach(() => {
  if (setupError) throw setupError;
});

afterEach(() => {
  muted = false;
  expect(errors.splice(0)).toEqual([]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notifications on a real D-Bus session', () => {
  it('on_success: summary and body reach the notification server', async () => {
    center.onRunFinished(run('success', { duration: 2300 }), {
      name: 'Nightly Sync',
      notify: BOTH,
    });
    const call = await desktop.waitForNotify((c) => c.summary === 'Nightly Sync succeeded');
    expect(call).toEqual({
      app: 'Cmdop Scheduler',
      summary: 'Nightly Sync succeeded',
      body: 'Finished in 2.3 s',
    });
  });

  it('on_failure: exit code in the summary, last stderr line as the body', async () => {
    const stderr =
      'sending incremental file list\nrsync: write failed: No space left on device (28)\n';
    center.onRunFinished(run('failure', { stderr }), { name: 'Daily Backup', notify: BOTH });
    const call = await desktop.waitForNotify((c) => c.summary.startsWith('Daily Backup failed'));
    expect(call.summary).toBe('Daily Backup failed — exit 1');
    expect(call.body).toBe('rsync: write failed: No space left on device (28)');
  });

  it('timeout: the schedule limit in words', async () => {
    const r = run('timeout', {
      duration: 300_480,
      signal: 'SIGTERM',
      stderr: 'waiting for SMTP\n',
    });
    center.onRunFinished(r, { name: 'Report Mailer', notify: BOTH, timeout: 300_000 });
    const call = await desktop.waitForNotify((c) => c.summary.startsWith('Report Mailer'));
    expect(call.summary).toBe('Report Mailer timed out after 5 min');
    expect(call.body).toBe('waiting for SMTP');
  });

  it('text reaches the bus verbatim: quotes, $, backticks, backslashes, a leading dash', async () => {
    // node-notifier builds a shell command line; notify-send reads "-…" as an option and
    // unescapes backslashes in the body.
    const line = `--> cp: cannot stat "$HOME/\`date\`\\x" C:\\temp\\101: it's gone`;
    center.onRunFinished(run('failure', { exit_code: 2, stderr: `${line}\n` }), {
      name: 'Quote "$Test"',
      notify: BOTH,
    });
    const call = await desktop.waitForNotify((c) => c.summary.startsWith('Quote'));
    expect(call.summary).toBe('Quote "$Test" failed — exit 2');
    // The zero-width space that keeps notify-send from reading the dash as an option.
    expect(call.body).toBe(`\u200b${line}`);
  });

  it('muted: nothing goes out', async () => {
    muted = true;
    center.onRunFinished(run('failure', { stderr: 'x\n' }), { name: 'Muted Job', notify: BOTH });
    await sleep(WINDOW_MS * 3);
    muted = false;
    // A later notice that does arrive shows the pipeline was live while the muted one was not sent.
    center.onRunFinished(run('success'), { name: 'After Mute', notify: BOTH });
    await desktop.waitForNotify((c) => c.summary === 'After Mute succeeded');
    const all = desktop.notifyCalls();
    expect(
      all.filter((c) => c.summary.includes('Muted Job') || c.body.includes('Muted Job')),
    ).toEqual([]);
  });

  it('four failures within the window: exactly one summary Notify', async () => {
    const before = desktop.notifyCalls().length;
    for (let i = 1; i <= 4; i++) {
      center.onRunFinished(run('failure', { stderr: `error ${i}\n` }), {
        name: `Burst ${i}`,
        notify: BOTH,
      });
      await sleep(20);
    }
    await desktop.waitForNotify((c) => c.summary === '4 schedules failed');
    // Give stragglers (a second summary, or single notices) time to show up if they exist.
    await sleep(WINDOW_MS * 2 + 300);
    const calls = desktop.notifyCalls().slice(before);
    expect(calls).toEqual([
      {
        app: 'Cmdop Scheduler',
        summary: '4 schedules failed',
        body: 'Burst 1, Burst 2, Burst 3, Burst 4',
      },
    ]);
  });

  it("no reachable bus: the center logs the notifier's own words, not the notice text", async () => {
    const logged: string[] = [];
    const broken = new NotificationCenter({
      port: nodeNotifierPort(),
      log: { info() {}, warn() {}, error: (m) => logged.push(m) },
      muted: () => false,
      windowMs: 10,
    });
    const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/cmdop-test-bus';
    try {
      expect(() =>
        broken.onRunFinished(run('failure', { stderr: 'token=hunter2 rejected\n' }), {
          name: 'Secret Job',
          notify: BOTH,
        }),
      ).not.toThrow();
      const until = Date.now() + 5000;
      while (logged.length === 0 && Date.now() < until) await sleep(20);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = bus;
      broken.dispose();
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^desktop notification failed: notifier exited with 1: /);
    expect(logged[0]).not.toMatch(/hunter2|Secret Job/);
  });
});
