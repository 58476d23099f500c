import { describe, it, expect } from 'vitest';
import {
  NotificationCenter,
  formatDuration,
  noticeFor,
  summaryNotice,
  type Notice,
  type NotifierPort,
} from '../../src/core/notifications';
import type { Timers } from '../../src/core/timers';
import type { Logger } from '../../src/core/log';
import type { Notify, Run, RunStatus } from '../../src/shared/types';

function run(status: RunStatus, over: Partial<Run> = {}): Run {
  return {
    id: 'run_1',
    started_at: '2026-01-01T03:00:00Z',
    finished_at: status === 'running' ? null : '2026-01-01T03:00:02Z',
    exit_code: status === 'success' ? 0 : status === 'failure' ? 1 : null,
    duration: status === 'running' ? null : 2300,
    stdout: '',
    stderr: '',
    schedule_id: 'sch_1',
    command_id: 'cmd_1',
    trigger: 'schedule',
    status,
    scheduled_for: '2026-01-01T03:00:00Z',
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  };
}

const BOTH: Notify = { on_success: true, on_failure: true };
const NONE: Notify = { on_success: false, on_failure: false };
const SUCCESS_ONLY: Notify = { on_success: true, on_failure: false };
const FAILURE_ONLY: Notify = { on_success: false, on_failure: true };
const daily = (notify: Notify, timeout?: number | null) => ({
  name: 'Daily Backup',
  notify,
  timeout,
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [350, '350 ms'],
    [999.4, '999 ms'],
    [999.6, '1 s'],
    [1000, '1 s'],
    [2300, '2.3 s'],
    [2349, '2.3 s'],
    [9_949, '9.9 s'],
    [9_950, '10 s'],
    [42_000, '42 s'],
    [59_499, '59 s'],
    [59_700, '1 min'],
    [245_000, '4 min 5 s'],
    [300_000, '5 min'],
    [300_400, '5 min'],
    [3_599_400, '59 min 59 s'],
    [3_600_000, '1 h'],
    [7_500_000, '2 h 5 min'],
    [7_529_000, '2 h 5 min'],
    [-5, '0 ms'],
    [Number.NaN, '0 ms'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('noticeFor', () => {
  it('a success with on_success says how long it took', () => {
    expect(noticeFor(run('success'), daily(SUCCESS_ONLY))).toEqual({
      title: 'Daily Backup succeeded',
      body: 'Finished in 2.3 s',
      scheduleId: 'sch_1',
      runId: 'run_1',
      commandId: 'cmd_1',
      kind: 'success',
    });
    expect(noticeFor(run('success', { duration: 245_000 }), daily(BOTH))?.body).toBe(
      'Finished in 4 min 5 s',
    );
  });

  it('a failure names the exit code and shows the last non-empty stderr line', () => {
    const r = run('failure', { stderr: 'starting\nrsync: write failed: No space left\n\n  \n' });
    expect(noticeFor(r, daily(FAILURE_ONLY))).toEqual({
      title: 'Daily Backup failed — exit 1',
      body: 'rsync: write failed: No space left',
      scheduleId: 'sch_1',
      runId: 'run_1',
      commandId: 'cmd_1',
      kind: 'failure',
    });
  });

  it('a failure by signal names the signal', () => {
    const r = run('failure', { exit_code: null, signal: 'SIGKILL', stderr: 'Killed\n' });
    const n = noticeFor(r, daily(BOTH));
    expect(n?.title).toBe('Daily Backup failed — killed by SIGKILL');
    expect(n?.body).toBe('Killed');
  });

  it('a failure with neither exit code nor signal, and no stderr', () => {
    const n = noticeFor(run('failure', { exit_code: null }), daily(BOTH));
    expect(n?.title).toBe('Daily Backup failed');
    expect(n?.body).toBe('No error output');
  });

  it('the stderr line loses colour codes and progress-bar rewrites, and is clipped', () => {
    const colours = run('failure', { stderr: '\x1b[31merror:\x1b[0m bad thing\r\n' });
    expect(noticeFor(colours, daily(BOTH))?.body).toBe('error: bad thing');
    const progress = run('failure', { stderr: '10%\r50%\rfatal: lost connection\n' });
    expect(noticeFor(progress, daily(BOTH))?.body).toBe('fatal: lost connection');
    const long = run('failure', { stderr: `${'x'.repeat(500)}\n` });
    const body = noticeFor(long, daily(BOTH))?.body ?? '';
    expect(body).toHaveLength(200);
    expect(body.endsWith('…')).toBe(true);
  });

  it("a timeout uses the schedule's timeout when given, else the run's duration", () => {
    const r = run('timeout', { duration: 300_412, signal: 'SIGTERM', stderr: 'still copying\n' });
    expect(noticeFor(r, daily(FAILURE_ONLY, 300_000))).toEqual({
      title: 'Daily Backup timed out after 5 min',
      body: 'still copying',
      scheduleId: 'sch_1',
      runId: 'run_1',
      commandId: 'cmd_1',
      kind: 'failure',
    });
    expect(noticeFor(r, daily(FAILURE_ONLY))?.title).toBe('Daily Backup timed out after 5 min');
    expect(noticeFor(r, daily(FAILURE_ONLY, null))?.title).toBe(
      'Daily Backup timed out after 5 min',
    );
    expect(noticeFor(run('timeout', { duration: 5_000 }), daily(BOTH, 90_000))?.title).toBe(
      'Daily Backup timed out after 1 min 30 s',
    );
    expect(noticeFor(run('timeout', { duration: null }), daily(BOTH))?.title).toBe(
      'Daily Backup timed out',
    );
    expect(noticeFor(run('timeout'), daily(BOTH))?.body).toBe(
      'The command was stopped at its time limit',
    );
  });

  it('an interrupted run says the app stopped', () => {
    expect(noticeFor(run('interrupted', { duration: null }), daily(FAILURE_ONLY))).toEqual({
      title: 'Daily Backup was interrupted',
      body: 'Cmdop Scheduler stopped while it was running',
      scheduleId: 'sch_1',
      runId: 'run_1',
      commandId: 'cmd_1',
      kind: 'failure',
    });
  });

  // Expected title per status for each notify setting; null = no notice.
  const table: Array<[RunStatus, Notify, string | null]> = [];
  const titles: Record<RunStatus, string | null> = {
    success: 'Daily Backup succeeded',
    failure: 'Daily Backup failed — exit 1',
    timeout: 'Daily Backup timed out after 2.3 s',
    interrupted: 'Daily Backup was interrupted',
    cancelled: null,
    skipped: null,
    running: null,
  };
  for (const status of Object.keys(titles) as RunStatus[]) {
    for (const notify of [NONE, SUCCESS_ONLY, FAILURE_ONLY, BOTH]) {
      const wanted = status === 'success' ? notify.on_success : notify.on_failure;
      table.push([status, notify, wanted ? titles[status] : null]);
    }
  }
  it.each(table)('%s with %o ⇒ %s', (status, notify, title) => {
    const n = noticeFor(run(status), daily(notify));
    expect(n?.title ?? null).toBe(title);
  });
});

describe('summaryNotice', () => {
  const entry = (name: string, kind: Notice['kind']) => ({
    name,
    notice: { title: '', body: '', scheduleId: 's', runId: 'r', commandId: 'c', kind },
  });

  it('all failures, all successes, mixed', () => {
    const f = ['A', 'B', 'C', 'D'].map((n) => entry(n, 'failure'));
    expect(summaryNotice(f)).toEqual({
      title: '4 schedules failed',
      body: 'A, B, C, D',
      scheduleId: '',
      runId: '',
      commandId: '',
      kind: 'failure',
      summary: true,
    });
    const s = ['A', 'B', 'C', 'D'].map((n) => entry(n, 'success'));
    expect(summaryNotice(s)).toMatchObject({ title: '4 schedules succeeded', kind: 'success' });
    const mixed = [
      entry('A', 'failure'),
      entry('B', 'success'),
      entry('C', 'failure'),
      entry('D', 'success'),
      entry('E', 'failure'),
    ];
    expect(summaryNotice(mixed)).toMatchObject({
      title: '5 schedules finished — 3 failed, 2 succeeded',
      body: 'Failed: A, C, E. Succeeded: B, D',
      kind: 'failure',
    });
  });

  it('long lists are cut to five names, repeats are counted', () => {
    const many = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((n) => entry(n, 'failure'));
    expect(summaryNotice(many).body).toBe('A, B, C, D, E and 2 more');
    const repeats = [entry('Ping', 'failure'), entry('Ping', 'failure'), entry('X', 'failure')];
    expect(summaryNotice([...repeats, entry('Ping', 'failure')]).body).toBe('Ping (×3), X');
  });
});

// Timers under the test's control: nothing here waits for real time.
class ManualTimers implements Timers {
  now = 0;
  private next = 1;
  private pending = new Map<number, { due: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { due: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending].filter(([, t]) => t.due <= until);
      if (due.length === 0) break;
      due.sort((a, b) => a[1].due - b[1].due);
      const [id, t] = due[0]!;
      this.pending.delete(id);
      this.now = t.due;
      t.fn();
    }
    this.now = until;
  }
}

function setup(options: { muted?: () => boolean; port?: NotifierPort } = {}) {
  const sent: Notice[] = [];
  const errors: string[] = [];
  const log: Logger = { info() {}, warn() {}, error: (m) => errors.push(m) };
  const timers = new ManualTimers();
  const port: NotifierPort = options.port ?? {
    send: async (n) => {
      sent.push(n);
    },
  };
  const center = new NotificationCenter({
    port,
    log,
    muted: options.muted ?? (() => false),
    timers,
  });
  return { center, sent, errors, timers };
}

// Lets the port's promise chain settle; no timers involved.
const settle = () => new Promise<void>((r) => setImmediate(r));

const failed = (name: string, id: string) =>
  [
    run('failure', { id, schedule_id: `sch_${id}`, stderr: 'boom' }),
    { name, notify: BOTH },
  ] as const;

describe('NotificationCenter', () => {
  it('gathers for 2 s after the first notice, then sends up to 3 one by one', async () => {
    const { center, sent, timers } = setup();
    center.onRunFinished(...failed('A', '1'));
    timers.advance(1000);
    center.onRunFinished(...failed('B', '2'));
    timers.advance(999);
    center.onRunFinished(...failed('C', '3'));
    await settle();
    expect(sent).toHaveLength(0);
    timers.advance(1);
    await settle();
    expect(sent.map((n) => n.title)).toEqual([
      'A failed — exit 1',
      'B failed — exit 1',
      'C failed — exit 1',
    ]);
    expect(timers.size).toBe(0);
  });

  it('four within the window become one summary', async () => {
    const { center, sent, timers } = setup();
    for (const [i, name] of ['A', 'B', 'C', 'D'].entries()) {
      center.onRunFinished(...failed(name, String(i)));
      timers.advance(400);
    }
    timers.advance(2000);
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ title: '4 schedules failed', body: 'A, B, C, D' });
  });

  it('mixed outcomes get the mixed title', async () => {
    const { center, sent, timers } = setup();
    for (const [i, name] of ['A', 'B', 'C'].entries())
      center.onRunFinished(...failed(name, `${i}`));
    for (const name of ['D', 'E']) {
      center.onRunFinished(run('success', { schedule_id: name }), { name, notify: BOTH });
    }
    timers.advance(2000);
    await settle();
    expect(sent.map((n) => n.title)).toEqual(['5 schedules finished — 3 failed, 2 succeeded']);
  });

  it('a notice after the window starts a new window', async () => {
    const { center, sent, timers } = setup();
    for (const name of ['A', 'B', 'C']) center.onRunFinished(...failed(name, name));
    timers.advance(2000);
    for (const name of ['D', 'E']) center.onRunFinished(...failed(name, name));
    timers.advance(2000);
    await settle();
    expect(sent).toHaveLength(5);
  });

  it('runs that need no notice do not count towards a burst', async () => {
    const { center, sent, timers } = setup();
    for (const name of ['A', 'B', 'C']) center.onRunFinished(...failed(name, name));
    center.onRunFinished(run('cancelled'), { name: 'X', notify: BOTH });
    center.onRunFinished(run('success'), { name: 'Y', notify: FAILURE_ONLY });
    timers.advance(2000);
    await settle();
    expect(sent).toHaveLength(3);
  });

  it('muted: nothing is sent and no timer is started', async () => {
    const { center, sent, timers } = setup({ muted: () => true });
    for (const name of ['A', 'B', 'C', 'D', 'E']) center.onRunFinished(...failed(name, name));
    expect(timers.size).toBe(0);
    timers.advance(5000);
    await settle();
    expect(sent).toHaveLength(0);
  });

  it('muting during the window drops what was gathered', async () => {
    let muted = false;
    const { center, sent, timers } = setup({ muted: () => muted });
    center.onRunFinished(...failed('A', '1'));
    muted = true;
    timers.advance(2000);
    await settle();
    expect(sent).toHaveLength(0);
  });

  it('a failing port is logged with its message, never thrown to the caller', async () => {
    const rejecting: NotifierPort = { send: () => Promise.reject(new Error('no session bus')) };
    const { center, errors, timers } = setup({ port: rejecting });
    expect(() => center.onRunFinished(...failed('A', '1'))).not.toThrow();
    expect(() => timers.advance(2000)).not.toThrow();
    await settle();
    expect(errors).toEqual(['desktop notification failed: no session bus']);
  });

  it('a port that throws synchronously is logged too', async () => {
    const throwing: NotifierPort = {
      send: () => {
        throw new Error('boom');
      },
    };
    const { center, errors, timers } = setup({ port: throwing });
    center.onRunFinished(...failed('A', '1'));
    expect(() => timers.advance(2000)).not.toThrow();
    await settle();
    expect(errors).toEqual(['desktop notification failed: boom']);
  });

  it('dispose clears the window timer and sends nothing later', async () => {
    const { center, sent, timers } = setup();
    center.onRunFinished(...failed('A', '1'));
    expect(timers.size).toBe(1);
    center.dispose();
    expect(timers.size).toBe(0);
    timers.advance(5000);
    await settle();
    expect(sent).toHaveLength(0);
  });

  it('defaults to the global timers', async () => {
    const sent: Notice[] = [];
    const center = new NotificationCenter({
      port: { send: async (n) => void sent.push(n) },
      log: { info() {}, warn() {}, error() {} },
      muted: () => false,
      windowMs: 5,
    });
    center.onRunFinished(...failed('A', '1'));
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toHaveLength(1);
    center.dispose();
  });
});
