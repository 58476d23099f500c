// NotificationCenter at its edges: stuck runs, alerts about the app, muting, dispose, and
// failures that are logged instead of thrown at the engine.
import { describe, expect, it } from 'vitest';
import { NotificationCenter, type Notice } from '../../src/core/notifications';
import type { Run } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { captureLog } from '../helpers/server';

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
