// @ts-nocheck
// 
// Notices that lead somewhere, on a real desktop session (Xvfb, a private D-Bus, dunst):
// a burst's summary of failures opens the list filtered to failures, and a "running long"
// notice opens its run — clicked the way a user does (dunst's default action).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationCenter, type Notice } from '../../src/core/notifications';
import { notifySendActionsPort, type ClickablePort } from '../../src/core/notify-send-actions';
import { noticeRoute } from '../../src/main/routes';
import type { Run } from '../../src/shared/types';
import { finishedRun } from '../helpers/runs';
import { DesktopSession } from './desktop-session';

const desktop = new DesktopSession();
let setupError: unknown = null;
let port: ClickablePort;
let center: NotificationCenter;
const clicked: Notice[] = [];

beforeAll(async () => {
  try {
    await desktop.start();
  } catch (err) {
    setupError = err;
  }
  port = notifySendActionsPort({
    appName: 'Cmdop Scheduler',
    onClick: (n) => clicked.push(n),
    env: { ...process.env, DISPLAY: desktop.display, DBUS_SESSION_BUS_ADDRESS: desktop.busAddress },
  });
  center = new NotificationCenter({
    port,
    log: { info() {}, warn() {}, error() {} },
    muted: () => false,
    windowMs: 100,
  });
});

afterAll(async () => {
  center?.dispose();
  port?.dispose();
  await desktop.stop();
});

const run = (n: number, over: Partial<Run> = {}): Run =>
  finishedRun({ id: `run_${n}`, command_id: `cmd_${n}`, schedule_id: `sched_${n}`, ...over });

async function clickNewest(): Promise<Notice> {
  const before = clicked.length;
  await promisify(execFile)('dunstctl', ['action', '0'], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: desktop.busAddress },
  });
  const until = Date.now() + 5000;
  while (clicked.length === before && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20));
  expect(clicked.length).toBe(before + 1);
  return clicked.at(-1) as Notice;
}

describe('clickable notices', () => {
  it("a burst's summary of failures opens the schedules whose last run failed", async () => {
    if (setupError) throw setupError;
    const notify = { on_success: false, on_failure: true };
    for (const n of [1, 2, 3, 4]) center.onRunFinished(run(n), { name: `Job ${n}`, notify });
    await desktop.waitForNotify((c) => c.summary === '4 schedules failed');
    const notice = await clickNewest();
    expect(notice).toMatchObject({ title: '4 schedules failed', summary: true });
    expect(noticeRoute(notice)).toBe('#/schedules/failed');
  });

  it('a run going long says so, and opens that run', async () => {
    if (setupError) throw setupError;
    center.onRunStuck(
      run(9, { status: 'running', finished_at: null, exit_code: null, duration: null }),
      { name: 'Backup', notify: { on_success: false, on_failure: true } },
      { running_for: 720_000, usual: 300_000 },
    );
    const call = await desktop.waitForNotify((c) => c.summary === 'Backup is running long');
    expect(call.body).toBe('Running for 12 min; it usually takes about 5 min');
    const notice = await clickNewest();
    expect(noticeRoute(notice)).toBe('#/runs/cmd_9');
  });
});
