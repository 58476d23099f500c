// Pending retries (src/core/retries.ts): the wait after each failed attempt, and the queue in
// retries.json (a temp dir) that fires each retry at its instant, on FakeTime.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RETRIES_FILE, RetryQueue, retryWait, type PendingRetry } from '../../src/core/retries';
import { MAX_WAIT_MS } from '../../src/core/scheduler';
import { RETRY_DELAY_MAX } from '../../src/shared/schemas';
import { FakeTime } from '../helpers/fake-time';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);

describe('the wait before a retry', () => {
  it('is the delay after the first failure, times the backoff for each further one', () => {
    const s = { retry_delay: 10_000, retry_backoff: 2 };
    expect(retryWait(s, 1)).toBe(10_000);
    expect(retryWait(s, 2)).toBe(20_000);
    expect(retryWait(s, 3)).toBe(40_000);
    expect(retryWait(s, 0)).toBe(10_000);
    expect(retryWait({ retry_delay: 1000, retry_backoff: 1.5 }, 2)).toBe(1500);
    expect(retryWait({ retry_delay: 1000, retry_backoff: 1.0001 }, 2)).toBe(1000);
  });

  it('is capped', () => {
    expect(retryWait({ retry_delay: RETRY_DELAY_MAX, retry_backoff: 3 }, 4)).toBe(RETRY_DELAY_MAX);
  });
});

describe('the retry queue', () => {
  const retry = (over: Partial<PendingRetry>): PendingRetry => ({
    schedule_id: 'sched_a',
    after: 'cmd_2',
    retry_of: 'cmd_1',
    attempt: 2,
    at: 0,
    trigger: 'schedule',
    scheduled_for: '2026-06-01T10:00:00Z',
    ...over,
  });

  function setup(d = dir(), failOn?: string) {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    const due: { id: string; at: number }[] = [];
    const queue = new RetryQueue({
      dataDir: d,
      clock: time.clock,
      timers: time,
      log,
      onDue: (r) => {
        due.push({ id: r.schedule_id, at: time.ms });
        if (r.schedule_id === failOn) throw new Error('store refused');
      },
    });
    return { time, log, due, queue, d, t0: time.ms };
  }

  it('fires each retry at its instant, soonest first, and forgets it', () => {
    const { time, due, queue, d, t0 } = setup();
    queue.start();
    queue.add(retry({ schedule_id: 'sched_b', at: t0 + 20_000 }));
    queue.add(retry({ schedule_id: 'sched_a', at: t0 + 10_000 }));
    queue.add(retry({ schedule_id: 'sched_c', at: t0 + 10_000 - 1 }));
    time.advanceBy(9_998);
    expect(due).toEqual([]);
    time.advanceBy(1);
    expect(due).toEqual([{ id: 'sched_c', at: t0 + 9_999 }]);
    time.advanceBy(1);
    expect(due.map((x) => x.id)).toEqual(['sched_c', 'sched_a']);
    time.advanceBy(10_000);
    expect(due).toEqual([
      { id: 'sched_c', at: t0 + 9_999 },
      { id: 'sched_a', at: t0 + 10_000 },
      { id: 'sched_b', at: t0 + 20_000 },
    ]);
    expect(JSON.parse(readFileSync(join(d, RETRIES_FILE), 'utf8')).entries).toEqual({});
    expect(time.pendingCount).toBe(0);
  });

  it('fires retries that fell due together in order of their instants', () => {
    const { time, due, queue, t0 } = setup();
    queue.add(retry({ schedule_id: 'sched_late', at: t0 + 2_000 }));
    queue.add(retry({ schedule_id: 'sched_early', at: t0 + 1_000 }));
    time.advanceBy(5_000);
    expect(due).toEqual([]);
    queue.start();
    time.advanceBy(0);
    expect(due.map((x) => x.id)).toEqual(['sched_early', 'sched_late']);
  });

  it('one retry per schedule: a new one replaces the old and returns it', () => {
    const { queue, t0 } = setup();
    expect(queue.add(retry({ at: t0 + 1 }))).toBeUndefined();
    expect(queue.add(retry({ at: t0 + 2, after: 'cmd_3', attempt: 3 }))).toMatchObject({
      at: t0 + 1,
    });
    expect(queue.forSchedule('sched_a')).toMatchObject({ at: t0 + 2, attempt: 3 });
  });

  it('is found by the failed command or the first one, and removed', () => {
    const { time, due, queue, t0 } = setup();
    queue.start();
    queue.add(retry({ at: t0 + 5_000 }));
    expect(queue.forCommand('cmd_2')?.schedule_id).toBe('sched_a');
    expect(queue.forCommand('cmd_1')?.schedule_id).toBe('sched_a');
    expect(queue.forCommand('cmd_9')).toBeUndefined();
    expect(queue.remove('sched_b')).toBeUndefined();
    expect(queue.remove('sched_a')).toMatchObject({ at: t0 + 5_000 });
    expect(queue.forSchedule('sched_a')).toBeUndefined();
    expect(time.pendingCount).toBe(0);
    time.advanceBy(10_000);
    expect(due).toEqual([]);
  });

  it('a restart resumes the retries; one that fell due meanwhile runs at once', () => {
    const d = dir();
    const first = setup(d);
    first.queue.start();
    first.queue.add(retry({ at: first.t0 + 60_000 }));
    first.queue.stop();
    first.time.advanceBy(120_000);
    expect(first.due).toEqual([]);
    const second = setup(d);
    second.time.advanceBy(120_000);
    second.queue.start();
    second.time.advanceBy(0);
    expect(second.due).toEqual([{ id: 'sched_a', at: second.t0 + 120_000 }]);
  });

  it('a retry added after stop waits for the next start', () => {
    const { time, due, queue, t0 } = setup();
    queue.start();
    queue.stop();
    queue.add(retry({ at: t0 + 1_000 }));
    time.advanceBy(60_000);
    expect(due).toEqual([]);
    expect(time.pendingCount).toBe(0);
  });

  it('a far retry is looked at again within the capped wait', () => {
    const { time, queue, t0 } = setup();
    queue.start();
    queue.add(retry({ at: t0 + 3_600_000 }));
    time.advanceBy(MAX_WAIT_MS);
    expect(time.pendingCount).toBe(1);
  });

  it('a retry whose start fails is logged, and the others still run', () => {
    const { time, due, log, queue, t0 } = setup(dir(), 'sched_a');
    queue.start();
    queue.add(retry({ schedule_id: 'sched_a', at: t0 + 1_000 }));
    queue.add(retry({ schedule_id: 'sched_b', at: t0 + 1_000 }));
    time.advanceBy(1_000);
    expect(due.map((x) => x.id)).toEqual(['sched_a', 'sched_b']);
    expect(log.lines).toEqual(['error retrying sched_a failed: store refused']);
  });
});
