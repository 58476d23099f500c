// Pings and webhooks: what reaches the receiver when a run starts and ends, what a delivery
// records on the run, and how a deleted schedule, a closed Alerts or a broken lookup end it.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredSchedule } from '../../src/core/schedules';
import type { ApiEvent } from '../../src/shared/events';
import type { Notify } from '../../src/shared/types';
import { alertsRig, run, schedule } from '../helpers/alerts-rig';

const { rig, receiver } = alertsRig(afterEach);

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
