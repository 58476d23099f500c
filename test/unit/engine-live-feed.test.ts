// Live output as run.output events (src/core/live-feed.ts): batched per flush interval, each
// chunk with its offset, on FakeTime.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events';
import { LiveFeed, OUTPUT_FLUSH_MS, type LiveRun } from '../../src/core/live-feed';
import { LiveOutput } from '../../src/core/live-output';
import type { ApiEvent } from '../../src/shared/events';
import type { Run } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';

const liveRun = (id: string): LiveRun => ({
  run: { id: `run_${id}`, command_id: `cmd_${id}`, schedule_id: `sched_${id}` } as Run,
  live: new LiveOutput(),
});

describe('the live feed', () => {
  it('sends what every active run printed once per flush interval, with offsets', () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const bus = new EventBus();
    const events: ApiEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const a = liveRun('a');
    const b = liveRun('b');
    const feed = new LiveFeed(bus, time, () => [a, b]);
    feed.push(a, 'stdout', 'hello ');
    feed.push(a, 'stdout', 'world\n');
    feed.push(b, 'stderr', 'oops\n');
    expect(time.pendingCount).toBe(1);
    time.advanceBy(OUTPUT_FLUSH_MS - 1);
    expect(events).toEqual([]);
    time.advanceBy(1);
    expect(events).toEqual([
      {
        type: 'run.output',
        command_id: 'cmd_a',
        run_id: 'run_a',
        schedule_id: 'sched_a',
        stream: 'stdout',
        offset: 0,
        chunk: 'hello world\n',
      },
      {
        type: 'run.output',
        command_id: 'cmd_b',
        run_id: 'run_b',
        schedule_id: 'sched_b',
        stream: 'stderr',
        offset: 0,
        chunk: 'oops\n',
      },
    ]);
    feed.push(a, 'stdout', 'again');
    time.advanceBy(OUTPUT_FLUSH_MS);
    expect(events[2]).toMatchObject({ run_id: 'run_a', offset: 12, chunk: 'again' });
    expect(events).toHaveLength(3);
  });

  it('flushes at its own interval; a flush of a run with nothing new sends nothing', () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const bus = new EventBus();
    const events: ApiEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const a = liveRun('a');
    const feed = new LiveFeed(bus, time, () => [a], 500);
    feed.push(a, 'stdout', 'x');
    time.advanceBy(499);
    expect(events).toEqual([]);
    time.advanceBy(1);
    expect(events).toHaveLength(1);
    feed.flush(a);
    expect(events).toHaveLength(1);
  });
});
