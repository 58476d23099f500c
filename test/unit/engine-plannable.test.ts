// What the scheduler is told of a stored schedule (src/core/plannable.ts).
import { describe, expect, it } from 'vitest';
import { toPlannable } from '../../src/core/plannable';
import type { StoredSchedule } from '../../src/core/stored-schedule';
import { randomDelayOffset } from '../../src/shared/random-delay';

describe('a stored schedule as the scheduler sees it', () => {
  it('keeps its cron, zone and catch-up rule, its write time, and its delay offset', () => {
    const stored = {
      id: 'sched_abc',
      cron: '*/5 * * * *',
      timezone: 'Europe/Berlin',
      enabled: false,
      catch_up: true,
      updated_at: '2026-06-01T10:00:00Z',
      random_delay: 600,
    } as unknown as StoredSchedule;
    expect(toPlannable(stored)).toEqual({
      id: 'sched_abc',
      cron: '*/5 * * * *',
      timezone: 'Europe/Berlin',
      enabled: false,
      catch_up: true,
      updatedAt: Date.parse('2026-06-01T10:00:00Z'),
      delay: randomDelayOffset('sched_abc', 600),
    });
  });
});
