// @ts-nocheck
// 
// What the scheduler is told of a stored schedule: its cron, zone and catch-up rule, when it
// was written, and the fixed offset of its random delay.
import { randomDelayOffset } from '../shared/random-delay';
import type { Plannable } from './scheduler';
import type { StoredSchedule } from './stored-schedule';

export function toPlannable(s: StoredSchedule): Plannable {
  return {
    id: s.id,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    catch_up: s.catch_up,
    updatedAt: Date.parse(s.updated_at),
    delay: randomDelayOffset(s.id, s.random_delay),
  };
}
