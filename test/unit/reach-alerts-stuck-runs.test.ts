// Runs that go on too long: run.stuck, its log line and webhook from Alerts, and StuckWatch's
// own timing with several runs at once and its "usual duration".
import { afterEach, describe, expect, it } from 'vitest';
import { StuckWatch, usualDuration } from '../../src/core/alerts/stuck-runs';
import { EventBus } from '../../src/core/events';
import { FakeTime } from '../helpers/fake-time';
import { alertsRig, run, schedule } from '../helpers/alerts-rig';

const { rig, receiver } = alertsRig(afterEach);

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
