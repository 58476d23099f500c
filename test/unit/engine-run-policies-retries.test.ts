// Retries of a failed run: queued, superseded, replaced, cancelled, run when due or not run
// (overlap, pause, a schedule removed or unreadable).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import { HOUR, MIN, policiesRig, T0 } from '../helpers/policies-rig';
import { storedSchedule } from '../helpers/stored-schedule';

const rig = policiesRig(beforeEach, afterEach);
const { failed, pauseAll, policies, put, quit, resumeAll } = rig;

describe('retries', () => {
  it('a failure queues the retry after the delay; another chain starting supersedes it', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN });
    const p = policies();
    rig.time.advanceBy(1_000);
    expect(p.ended(failed(s), s)).toBe(T0 + 1_000 + MIN);
    expect(p.pendingRetry('sched_a')).toMatchObject({ after: 'cmd_1', attempt: 2 });
    // The same chain starting leaves it; another schedule starting is no concern of it.
    p.starting('sched_a', { attempt: 2, retry_of: 'cmd_1' });
    p.starting('sched_other', null);
    expect(p.pendingRetry('sched_a')).toBeDefined();
    expect(rig.decisions).toEqual([]);
    rig.time.advanceBy(1_000);
    p.starting('sched_a', null);
    expect(p.pendingRetry('sched_a')).toBeUndefined();
    expect(rig.decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 3,
        at: '2026-06-01T10:00:02Z',
        outcome: 'not_run',
        reason: 'retry_superseded',
        message: 'a newer run of the schedule started',
      },
    ]);
    expect(rig.finals).toEqual(['cmd_1']);
    rig.time.advanceBy(HOUR);
    expect(rig.started).toEqual([]);
  });

  it("a failure of another chain replaces the pending retry and ends the old chain's last failure", () => {
    const s = put('sched_a', { retries: 2 });
    const p = policies();
    p.ended(failed(s), s);
    // A retry of the same chain replacing it ends nothing.
    p.ended(failed(s, { command_id: 'cmd_2', attempt: 2, retry_of: 'cmd_1' }), s);
    expect(rig.finals).toEqual([]);
    expect(p.pendingRetry('sched_a')).toMatchObject({ after: 'cmd_2', retry_of: 'cmd_1' });
    p.ended(failed(s, { command_id: 'cmd_9', trigger: 'manual', scheduled_for: null }), s);
    expect(rig.finals).toEqual(['cmd_2']);
    expect(p.pendingRetry('sched_a')).toMatchObject({ after: 'cmd_9', retry_of: 'cmd_9' });
  });

  it('retryAfter answers for the failed command only; cancelRetry records who cancelled', () => {
    const s = put('sched_a', { retries: 3 });
    const p = policies();
    const at = p.ended(failed(s, { command_id: 'cmd_2', attempt: 2, retry_of: 'cmd_1' }), s);
    expect(p.retryAfter('cmd_2')).toBe(at);
    expect(p.retryAfter('cmd_1')).toBeNull();
    expect(p.retryAfter('cmd_none')).toBeNull();
    expect(p.cancelRetry('cmd_none')).toBe(false);
    expect(p.cancelRetry('cmd_1')).toBe(true);
    expect(p.pendingRetry('sched_a')).toBeUndefined();
    expect(rig.decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 3,
        attempts: 4,
        at: '2026-06-01T10:00:00Z',
        outcome: 'not_run',
        reason: 'retry_cancelled',
        message: 'cancelled (command cmd_1)',
      },
    ]);
    expect(p.cancelRetry('cmd_1')).toBe(false);
  });

  it('disabling the schedule cancels its retry; another edit keeps it', () => {
    const s = put('sched_a', { retries: 1 });
    const p = policies();
    p.ended(failed(s), s);
    p.scheduleChanged(put('sched_a', { retries: 1, name: 'renamed' }));
    expect(p.pendingRetry('sched_a')).toBeDefined();
    expect(rig.decisions).toEqual([]);
    p.scheduleChanged(put('sched_a', { retries: 1, enabled: false }));
    expect(p.pendingRetry('sched_a')).toBeUndefined();
    expect(rig.decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 2,
        at: '2026-06-01T10:00:00Z',
        outcome: 'not_run',
        reason: 'retry_cancelled',
        message: 'the schedule was disabled',
      },
    ]);
    // Disabled again with nothing pending: nothing more is recorded.
    p.scheduleChanged(put('sched_a', { retries: 1, enabled: false, name: 'x' }));
    expect(rig.decisions).toHaveLength(1);
  });

  it('deleting the schedule drops its retry', () => {
    const s = put('sched_a', { retries: 1 });
    const p = policies();
    p.ended(failed(s), s);
    rig.repo.delete('sched_a');
    p.scheduleDeleted('sched_a');
    expect(p.pendingRetry('sched_a')).toBeUndefined();
  });

  it('a retry falls due and runs as the next attempt of its chain', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN });
    const p = policies();
    p.ended(failed(s), s);
    rig.time.advanceBy(MIN);
    expect(rig.started).toEqual([
      {
        id: 'sched_a',
        trigger: 'schedule',
        scheduledFor: T0,
        chain: { attempt: 2, retry_of: 'cmd_1' },
      },
    ]);
    expect(rig.decisions).toStrictEqual([
      {
        run_id: 'run_1',
        command_id: 'cmd_run_1',
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 3,
        at: '2026-06-01T10:01:00Z',
        outcome: 'run',
        reason: null,
        message: 'runs',
      },
    ]);
    expect(rig.finals).toEqual([]);
  });

  it('the retry of a manual run has no scheduled instant', () => {
    const s = put('sched_a', { retries: 1, retry_delay: MIN });
    const p = policies();
    p.ended(failed(s, { trigger: 'manual', scheduled_for: null }), s);
    rig.time.advanceBy(MIN);
    expect(rig.started).toEqual([
      {
        id: 'sched_a',
        trigger: 'manual',
        scheduledFor: null,
        chain: { attempt: 2, retry_of: 'cmd_1' },
      },
    ]);
    expect(rig.decisions[0]).toMatchObject({
      scheduled_for: null,
      trigger: 'manual',
      outcome: 'run',
    });
  });

  it('a retry due while the previous run still runs is skipped, and its chain ends', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN });
    const p = policies();
    p.ended(failed(s), s);
    rig.running.set('sched_a', 'cmd_other');
    rig.time.advanceBy(MIN);
    expect(rig.started).toEqual([]);
    const message = "the previous run (command cmd_other) is still running and overlap is 'skip'";
    expect(rig.skipped).toEqual([
      {
        id: 'sched_a',
        trigger: 'schedule',
        scheduledFor: T0,
        chain: { attempt: 2, retry_of: 'cmd_1' },
        message,
      },
    ]);
    expect(rig.decisions[0]).toMatchObject({
      attempt: 2,
      outcome: 'skipped',
      reason: 'overlap',
      running_command_id: 'cmd_other',
      message,
    });
    expect(rig.finals).toEqual(['cmd_1']);
  });

  it('a retry due during a pause does not run, is not recorded as a run, and its chain ends', () => {
    const s = put('sched_a', { retries: 2, retry_delay: MIN, catch_up: true });
    const p = policies();
    p.ended(failed(s), s);
    pauseAll(null);
    rig.time.advanceBy(MIN);
    expect(rig.started).toEqual([]);
    expect(rig.skipped).toEqual([]);
    expect(rig.decisions.map((d) => [d.attempt, d.outcome, d.reason])).toEqual([
      [2, 'not_run', 'paused'],
    ]);
    expect(rig.finals).toEqual(['cmd_1']);
    // A retry is not held: lifting the pause runs nothing.
    resumeAll(p);
    expect(rig.started).toEqual([]);
  });

  it('the retries of schedules removed while the app was off are quietly dropped', () => {
    const a = put('sched_a', { retries: 2, retry_delay: MIN });
    const b = put('sched_b', { retries: 2, retry_delay: MIN });
    const first = policies();
    first.ended(failed(a), a);
    first.ended(failed(b, { command_id: 'cmd_b' }), b);
    quit(first);
    rig.repo.delete('sched_a');
    rig.repo.delete('sched_b');
    const p = policies();
    expect(p.cancelRetry('cmd_b')).toBe(true);
    expect(rig.decisions).toStrictEqual([
      {
        schedule_id: 'sched_b',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 2,
        attempts: 1,
        at: '2026-06-01T10:00:00Z',
        outcome: 'not_run',
        reason: 'retry_cancelled',
        message: 'cancelled (command cmd_b)',
      },
    ]);
    rig.time.advanceBy(HOUR);
    expect(rig.started).toEqual([]);
    expect(rig.finals).toEqual([]);
    expect(rig.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('a schedule the store could not read', () => {
  it('its pending retry does not run', () => {
    rig.repo.close();
    writeFileSync(
      join(rig.dir, 'config.json'),
      JSON.stringify({
        schemaVersion: 1,
        schedules: { sched_broken: storedSchedule('sched_broken', { cron: 'bad', retries: 2 }) },
      }),
    );
    rig.repo = ScheduleRepository.open(confStoreFactory, rig.dir, rig.time.clock, rig.log);
    const s = rig.repo.get('sched_broken') as StoredSchedule;
    expect(rig.repo.error('sched_broken')).not.toBeNull();
    expect(s.retries).toBe(2);
    const p = policies();
    p.ended(failed(s), s);
    rig.time.advanceBy(HOUR);
    expect(rig.started).toEqual([]);
    expect(rig.skipped).toEqual([]);
    expect(rig.decisions).toEqual([]);
  });
});
