// The Alerts class driven directly: a temp data dir, FakeTime for the engine's clock and
// timers, a real event bus and a real HTTP receiver on 127.0.0.1. What a user sees: the
// pings and webhooks that arrive, the deliveries on a run, run.stuck and the log lines.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alerts, type AlertsOptions } from '../../src/core/alerts/alerts';
import { EventBus } from '../../src/core/events';
import type { StoredSchedule } from '../../src/core/schedules';
import type { ApiEvent } from '../../src/shared/events';
import type { Notify, Run, RunStatus } from '../../src/shared/types';
import { StuckWatch, usualDuration } from '../../src/core/alerts/stuck-runs';
import { FakeTime } from '../helpers/fake-time';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { captureLog, tempDirs, type CapturedLog } from '../helpers/server';

const newDir = tempDirs(afterEach);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function run(status: RunStatus, over: Partial<Run> = {}): Run {
  return {
    id: 'run_1',
    command_id: 'cmd_1',
    schedule_id: 'sch_1',
    started_at: '2026-03-01T10:00:00Z',
    finished_at: status === 'running' ? null : '2026-03-01T10:00:02Z',
    exit_code: status === 'success' ? 0 : status === 'failure' ? 3 : null,
    duration: status === 'running' ? null : 2000,
    stdout: '',
    stderr: '',
    trigger: 'schedule',
    status,
    scheduled_for: '2026-03-01T10:00:00Z',
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  };
}

function schedule(notify: Partial<Notify>, over: Partial<StoredSchedule> = {}): StoredSchedule {
  return {
    id: 'sch_1',
    name: 'Nightly sync',
    cron: '0 3 * * *',
    timezone: 'UTC',
    notify: { on_success: true, on_failure: true, ...notify },
    ...over,
  } as StoredSchedule;
}

interface Rig {
  alerts: Alerts;
  events: EventBus;
  emitted: ApiEvent[];
  time: FakeTime;
  log: CapturedLog;
  schedules: Map<string, StoredSchedule>;
  dataDir: string;
  stuckNotices: { run: Run; name: string; running_for: number }[];
  /** Resolves with the next `count` run.delivery events. */
  deliveries(count: number): Promise<ApiEvent[]>;
}

function rig(
  sched: StoredSchedule | null,
  over: Partial<AlertsOptions> & { durations?: number[] } = {},
): Rig {
  const events = new EventBus();
  const emitted: ApiEvent[] = [];
  events.subscribe((e) => emitted.push(e));
  const time = new FakeTime('2026-03-01T10:00:00Z');
  const log = captureLog();
  const schedules = new Map<string, StoredSchedule>();
  if (sched) schedules.set(sched.id, sched);
  const dataDir = newDir();
  const durations = over.durations ?? [];
  const stuckNotices: Rig['stuckNotices'] = [];
  const alerts = new Alerts({
    dataDir,
    schedules,
    events,
    history: {
      scanRuns(_id, visit) {
        for (const d of durations) {
          if (!visit({ status: 'success', duration: d } as never)) return;
        }
      },
    },
    clock: time.clock,
    timers: time,
    log,
    machine: { id: 'mach_1', name: 'box' },
    current: () => null,
    onStuckNotice: (r, s, info) =>
      stuckNotices.push({ run: r, name: s.name, running_for: info.running_for }),
    queue: { attempts: 1, timeoutMs: 3000 },
    ...over,
  });
  cleanups.push(() => alerts.close(0));
  const deliveries = (count: number) =>
    new Promise<ApiEvent[]>((resolve) => {
      const got: ApiEvent[] = [];
      const stop = events.subscribe((e) => {
        if (e.type !== 'run.delivery') return;
        got.push(e);
        if (got.length === count) {
          stop();
          resolve(got);
        }
      });
    });
  return { alerts, events, emitted, time, log, schedules, dataDir, stuckNotices, deliveries };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  cleanups.push(() => r.close());
  return r;
}

describe('Alerts: pings', () => {
  it('pings <url>/start when a run starts and shows the delivery on the run', async () => {
    const hc = await receiver();
    const r = rig(schedule({ ping_url: `${hc.url}/ping/abc` }));
    r.alerts.start();
    const done = r.deliveries(1);
    r.events.emit({ type: 'run.started', run: run('running') });
    const [event] = await done;
    expect(hc.received.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /ping/abc/start']);
    expect(event).toMatchObject({
      type: 'run.delivery',
      command_id: 'cmd_1',
      schedule_id: 'sch_1',
      delivery: { channel: 'ping', event: 'start', attempts: 1, ok: true, status_code: 200 },
    });
    const shown = r.alerts.decorate(run('success'));
    expect(shown.deliveries).toEqual([
      {
        channel: 'ping',
        event: 'start',
        url: `${hc.url}/…/start`,
        at: '2026-03-01T10:00:00Z',
        attempts: 1,
        ok: true,
        status_code: 200,
        error: null,
      },
    ]);
    expect(shown.stuck_at).toBeUndefined();
  });

  it('starting twice subscribes once: one start ping per run', async () => {
    const hc = await receiver();
    const r = rig(schedule({ ping_url: hc.url }));
    r.alerts.start();
    r.alerts.start();
    const done = r.deliveries(1);
    r.events.emit({ type: 'run.started', run: run('running') });
    await done;
    await r.alerts.close(2000);
    expect(hc.received).toHaveLength(1);
  });

  it('sends no start ping for a schedule without one, or one that is gone', async () => {
    const hc = await receiver();
    const r = rig(schedule({}));
    r.alerts.start();
    r.events.emit({ type: 'run.started', run: run('running') });
    r.events.emit({ type: 'run.started', run: run('running', { schedule_id: 'sch_gone' }) });
    await r.alerts.close(500);
    expect(hc.received).toHaveLength(0);
    expect(r.log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it.each([
    ['success', '/ping/abc'],
    ['failure', '/ping/abc/3'],
    ['timeout', '/ping/abc/fail'],
  ] as const)('a %s ends the ping at %s (a /ping/ URL reads exit codes)', async (status, path) => {
    const hc = await receiver();
    const s = schedule({ ping_url: `${hc.url}/ping/abc` });
    const r = rig(s);
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run(status), s);
    const [event] = await done;
    expect(hc.received.map((q) => q.path)).toEqual([path]);
    expect(event).toMatchObject({
      delivery: { event: status === 'success' ? 'success' : 'fail' },
    });
  });

  it('a failure pinged where exit codes are not read goes to /fail', async () => {
    const hc = await receiver();
    const s = schedule({ ping_url: `${hc.url}/check` });
    const r = rig(s);
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run('failure'), s);
    await done;
    expect(hc.received.map((q) => q.path)).toEqual(['/check/fail']);
  });

  it('a skipped fire closes no ping and sends no webhook', async () => {
    const hc = await receiver();
    const s = schedule({ ping_url: `${hc.url}/ping/abc`, webhook_url: `${hc.url}/hook` });
    const r = rig(s);
    r.alerts.onRunFinished(run('skipped'), s);
    await r.alerts.close(500);
    expect(hc.received).toHaveLength(0);
  });
});

describe('Alerts: webhooks', () => {
  it('posts run.failed with the schedule and machine, and records it on the run', async () => {
    const hook = await receiver();
    const s = schedule({ webhook_url: `${hook.url}/hook/secret` });
    const r = rig(s);
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run('failure'), s);
    const [event] = await done;
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0];
    expect(got?.method).toBe('POST');
    expect(got?.path).toBe('/hook/secret');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.json).toMatchObject({
      event: 'run.failed',
      sent_at: '2026-03-01T10:00:00Z',
      schedule: {
        id: 'sch_1',
        name: 'Nightly sync',
        cron: '0 3 * * *',
        timezone: 'UTC',
        machine: { id: 'mach_1', name: 'box' },
      },
      run: { id: 'run_1', status: 'failure', exit_code: 3 },
    });
    expect(event).toMatchObject({
      delivery: { channel: 'webhook', event: 'run.failed', url: `${hook.url}/…`, ok: true },
    });
  });

  it('leaves the webhook out when the schedule does not want that outcome', async () => {
    const hook = await receiver();
    const s = schedule({ webhook_url: hook.url, on_success: false });
    const r = rig(s);
    r.alerts.onRunFinished(run('success'), s);
    r.alerts.onRunFinished(run('cancelled'), s);
    await r.alerts.close(500);
    expect(hook.received).toHaveLength(0);
  });

  it('logs a failed delivery with its reason and records it as not ok', async () => {
    const hook = await receiver(() => ({ status: 500, body: 'boom' }));
    const s = schedule({ webhook_url: hook.url });
    const r = rig(s);
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run('timeout'), s);
    const [event] = await done;
    expect(event).toMatchObject({
      delivery: { event: 'run.timed_out', ok: false, status_code: 500, error: 'HTTP 500: boom' },
    });
    expect(r.log.lines).toContain(
      `warn alerts: webhook run.timed_out for run run_1 to ${hook.url}/ failed after 1 ` +
        'attempt(s): HTTP 500: boom',
    );
  });

  it('records nothing for a schedule deleted while its alert was on the way', async () => {
    const hook = await receiver(() => ({ status: 200, delayMs: 100 }));
    const s = schedule({ webhook_url: hook.url });
    const r = rig(s);
    r.alerts.start();
    r.alerts.onRunFinished(run('failure'), s);
    await hook.waitFor(1);
    r.schedules.delete('sch_1');
    r.events.emit({ type: 'schedule.deleted', id: 'sch_1' } as ApiEvent);
    await r.alerts.close(2000);
    expect(r.emitted.filter((e) => e.type === 'run.delivery')).toEqual([]);
    expect(r.alerts.decorate(run('failure')).deliveries).toBeUndefined();
  });

  it('forgets the records of a deleted schedule', async () => {
    const hook = await receiver();
    const s = schedule({ webhook_url: hook.url });
    const r = rig(s);
    r.alerts.start();
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run('failure'), s);
    await done;
    expect(r.alerts.decorate(run('failure')).deliveries).toHaveLength(1);
    r.events.emit({ type: 'schedule.deleted', id: 'sch_1' } as ApiEvent);
    expect(r.alerts.decorate(run('failure')).deliveries).toBeUndefined();
    expect(existsSync(join(r.dataDir, 'deliveries', 'sch_1.jsonl'))).toBe(false);
  });

  it('after close, run.started pings nothing', async () => {
    const hc = await receiver();
    const r = rig(schedule({ ping_url: hc.url }));
    r.alerts.start();
    await r.alerts.close(0);
    r.events.emit({ type: 'run.started', run: run('running') });
    // A ping pushed after close would be answered at once as not sent (run.delivery).
    expect(r.emitted.filter((e) => e.type === 'run.delivery')).toEqual([]);
    expect(hc.received).toHaveLength(0);
  });

  it('a broken schedule lookup is logged, never thrown at the engine', () => {
    const r = rig(null, {
      schedules: {
        get() {
          throw new Error('index gone');
        },
      },
    });
    r.alerts.start();
    expect(() => r.events.emit({ type: 'run.started', run: run('running') })).not.toThrow();
    expect(
      r.log.lines.some((l) => l.startsWith('error alerts: a start ping failed: Error: index gone')),
    ).toBe(true);
    const s = schedule({ ping_url: 'http://127.0.0.1:9/x' });
    r.alerts.onRunFinished(run('failure', { id: 'run_9' }), {
      ...s,
      get notify(): Notify {
        throw new Error('no notify');
      },
    } as StoredSchedule);
    expect(
      r.log.lines.some((l) =>
        l.startsWith('error alerts: the alerts of run_9 failed: Error: no notify'),
      ),
    ).toBe(true);
  });
});

describe('Alerts: stuck runs', () => {
  it('says a run is running long at twice its usual duration (a minute at least)', async () => {
    const hook = await receiver();
    const s = schedule({ webhook_url: hook.url });
    const r = rig(s, { durations: [40_000, 40_000, 40_000] });
    r.alerts.start();
    const started = run('running');
    r.events.emit({ type: 'run.started', run: started });
    r.time.advanceBy(79_000);
    expect(r.alerts.runningLong('sch_1')).toBe(false);
    expect(r.alerts.decorate(started).stuck_at).toBeUndefined();
    const done = r.deliveries(1);
    r.time.advanceBy(1_000);
    const stuck = r.emitted.find((e) => e.type === 'run.stuck');
    expect(stuck).toMatchObject({
      type: 'run.stuck',
      run: { id: 'run_1', stuck_at: '2026-03-01T10:01:20Z' },
      running_for: 80_000,
      usual: 40_000,
    });
    expect(r.log.lines).toContain(
      "warn run run_1 of 'Nightly sync' is running long: 80 s so far, usually 40 s",
    );
    expect(r.stuckNotices).toEqual([
      {
        run: expect.objectContaining({ stuck_at: '2026-03-01T10:01:20Z' }),
        name: 'Nightly sync',
        running_for: 80_000,
      },
    ]);
    expect(r.alerts.runningLong('sch_1')).toBe(true);
    expect(r.alerts.runningLong('sch_other')).toBe(false);
    expect(r.alerts.decorate(started).stuck_at).toBe('2026-03-01T10:01:20Z');
    expect(r.alerts.decorate(run('success')).stuck_at).toBeUndefined();
    await done;
    expect(hook.received[0]?.json).toMatchObject({
      event: 'run.stuck',
      stuck: { running_for: 80_000, usual_duration: 40_000 },
    });
  });

  it('shows the run as it is now (its output so far) in run.stuck', () => {
    const r = rig(schedule({}), {
      durations: [1000, 1000, 1000],
      current: (id) => (id === 'cmd_1' ? run('running', { stdout: 'half way\n' }) : null),
    });
    r.alerts.start();
    r.events.emit({ type: 'run.started', run: run('running') });
    r.time.advanceBy(60_000);
    expect(r.emitted.find((e) => e.type === 'run.stuck')).toMatchObject({
      run: { stdout: 'half way\n', stuck_at: '2026-03-01T10:01:00Z' },
    });
  });

  it('sends no stuck webhook when failures are not wanted, and nothing for a gone schedule', async () => {
    const hook = await receiver();
    const s = schedule({ webhook_url: hook.url, on_failure: false });
    const r = rig(s, { durations: [1000, 1000, 1000] });
    r.alerts.start();
    r.events.emit({ type: 'run.started', run: run('running') });
    r.events.emit({
      type: 'run.started',
      run: run('running', { command_id: 'cmd_2', schedule_id: 'sch_gone' }),
    });
    r.time.advanceBy(60_000);
    expect(r.emitted.filter((e) => e.type === 'run.stuck')).toHaveLength(1);
    expect(r.stuckNotices).toHaveLength(1);
    await r.alerts.close(500);
    expect(hook.received).toHaveLength(0);
  });
});

describe('Alerts: test sends and counters', () => {
  it('"Send test" tries each channel once and answers with how each went', async () => {
    const hc = await receiver((req) => (req.path.startsWith('/hook') ? 200 : 404));
    const s = schedule({ webhook_url: `${hc.url}/hook`, ping_url: `${hc.url}/ping/abc` });
    const r = rig(s);
    const result = await r.alerts.testNotify('sch_1');
    expect(result.ok).toBe(false);
    expect(result.results).toEqual([
      { channel: 'webhook', url: `${hc.url}/…`, ok: true, status_code: 200, error: null },
      {
        channel: 'ping',
        url: `${hc.url}/…/log`,
        ok: false,
        status_code: 404,
        error: 'HTTP 404: nope',
      },
    ]);
    const hook = hc.received.find((q) => q.path === '/hook');
    expect(hook?.json).toMatchObject({
      event: 'test',
      run: {
        id: 'run_test',
        command_id: 'cmd_test',
        status: 'success',
        exit_code: 0,
        duration: 1200,
        finished_at: '2026-03-01T10:00:00Z',
        trigger: 'manual',
        stdout_tail: 'This is a test from Cmdop Scheduler: no command ran.\n',
      },
    });
    expect(hc.received.map((q) => q.path).sort()).toEqual(['/hook', '/ping/abc/log']);
  });

  it('"Send test" tries what the request sets over the schedule, webhook only', async () => {
    const hc = await receiver();
    const r = rig(schedule({}, { id: 'sch_1' }));
    const result = await r.alerts.testNotify('sch_1', {
      notify: { webhook_url: `${hc.url}/other`, webhook_format: 'slack' },
    });
    expect(result).toEqual({
      ok: true,
      results: [
        { channel: 'webhook', url: `${hc.url}/…`, ok: true, status_code: 200, error: null },
      ],
    });
    expect(hc.received[0]?.path).toBe('/other');
    expect(Object.keys(hc.received[0]?.json)).toEqual(['text']);
  });

  it('"Send test" names what is wrong: an unknown schedule, a bad URL, no channel', async () => {
    const r = rig(schedule({}));
    await expect(r.alerts.testNotify('sch_nope')).rejects.toThrow('Schedule sch_nope not found');
    await expect(
      r.alerts.testNotify('sch_1', { notify: { webhook_url: 'ftp://example.com/x' } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid request: notify\.webhook_url: /),
      details: { fields: { 'notify.webhook_url': expect.any(String) } },
    });
    await expect(r.alerts.testNotify('sch_1')).rejects.toThrow(
      'Invalid request: notify: has no webhook_url or ping_url to test; set one (here or on the schedule) first',
    );
    await expect(r.alerts.testNotify('sch_1', { bogus: 1 } as never)).rejects.toThrow(
      /^Invalid request/,
    );
  });

  it('counts no dropped alerts while the queue keeps up', () => {
    const r = rig(schedule({}));
    expect(r.alerts.dropped).toBe(0);
  });

  it('writes each delivery to the schedule file under deliveries/', async () => {
    const hc = await receiver();
    const s = schedule({ ping_url: hc.url });
    const r = rig(s);
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run('success'), s);
    await done;
    await r.alerts.close(0);
    const text = readFileSync(join(r.dataDir, 'deliveries', 'sch_1.jsonl'), 'utf8');
    expect(JSON.parse(text.trim())).toMatchObject({ run: 'run_1', channel: 'ping', ok: true });
  });
});

describe('StuckWatch with several runs', () => {
  function watch(durations: Record<string, { status: string; duration: number | null }[]>) {
    const events = new EventBus();
    const time = new FakeTime('2026-03-01T10:00:00Z');
    const stuck: { id: string; running_for: number; usual: number }[] = [];
    const w = new StuckWatch({
      events,
      history: {
        scanRuns(id, visit) {
          for (const e of durations[id] ?? []) if (!visit(e as never)) return;
        },
      },
      clock: time.clock,
      timers: time,
      onStuck: (r, info) => stuck.push({ id: r.id, ...info }),
    });
    w.start();
    return { w, events, time, stuck };
  }
  const ok = (ms: number) => ({ status: 'success', duration: ms });

  it('reads only successful runs with a duration for "usual"', () => {
    const history = {
      scanRuns(_id: string, visit: (e: never) => boolean) {
        for (const e of [
          ok(10),
          { status: 'failure', duration: 99 },
          { status: 'success', duration: null },
          ok(20),
          ok(30),
        ])
          if (!visit(e as never)) return;
      },
    };
    expect(usualDuration(history, 's')).toBe(20);
  });

  it('calls each run stuck at its own time, earliest first, once; finished runs are forgotten', () => {
    const { w, events, time, stuck } = watch({
      sch_a: [ok(100_000), ok(100_000), ok(100_000)],
      sch_b: [ok(1000), ok(1000), ok(1000)],
    });
    events.emit({
      type: 'run.started',
      run: run('running', { id: 'run_a', command_id: 'cmd_a', schedule_id: 'sch_a' }),
    });
    events.emit({
      type: 'run.started',
      run: run('running', { id: 'run_b', command_id: 'cmd_b', schedule_id: 'sch_b' }),
    });
    events.emit({
      type: 'run.started',
      run: run('running', { id: 'run_c', command_id: 'cmd_c', schedule_id: 'sch_none' }),
    });
    time.advanceBy(60_000);
    expect(stuck).toEqual([{ id: 'run_b', running_for: 60_000, usual: 1000 }]);
    expect(w.runningLong('sch_b')).toBe(true);
    expect(w.stuckAt('cmd_b')).toBe(Date.parse('2026-03-01T10:01:00Z'));
    expect(w.stuckAt('cmd_a')).toBeNull();
    events.emit({
      type: 'run.finished',
      run: run('success', { command_id: 'cmd_b', schedule_id: 'sch_b' }),
    });
    expect(w.runningLong('sch_b')).toBe(false);
    expect(w.stuckAt('cmd_b')).toBeNull();
    time.advanceBy(139_999);
    expect(stuck).toHaveLength(1);
    time.advanceBy(1);
    expect(stuck.map((s) => s.id)).toEqual(['run_b', 'run_a']);
    time.advanceBy(600_000);
    expect(stuck).toHaveLength(2);
  });

  it('a run that ends in time is never called stuck; stop watches nothing more', () => {
    const { w, events, time, stuck } = watch({ sch_a: [ok(1000), ok(1000), ok(1000)] });
    events.emit({ type: 'run.started', run: run('running', { schedule_id: 'sch_a' }) });
    events.emit({ type: 'run.finished', run: run('success', { schedule_id: 'sch_a' }) });
    expect(time.pendingCount).toBe(0);
    time.advanceBy(120_000);
    expect(stuck).toEqual([]);
    events.emit({ type: 'run.started', run: run('running', { schedule_id: 'sch_a' }) });
    w.stop();
    expect(time.pendingCount).toBe(0);
    events.emit({ type: 'run.started', run: run('running', { schedule_id: 'sch_a' }) });
    time.advanceBy(120_000);
    expect(stuck).toEqual([]);
  });
});
