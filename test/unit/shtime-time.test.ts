// A schedule's random delay offset (systemd's FixedRandomDelay=true): drawn from the id, so
// next_run can show it in advance and it must not change between versions or machines.
import { describe, expect, it } from 'vitest';
import { RANDOM_DELAY_MAX, randomDelayOffset } from '../../src/shared/random-delay';

describe('randomDelayOffset', () => {
  it('is the same for an id on every machine and in every version (pinned values)', () => {
    expect(randomDelayOffset('sched_a', RANDOM_DELAY_MAX)).toBe(2_946_369);
    expect(randomDelayOffset('sched_b', RANDOM_DELAY_MAX)).toBe(3_348_252);
    expect(randomDelayOffset('sched_abc123', RANDOM_DELAY_MAX)).toBe(1_389_344);
    expect(randomDelayOffset('sched_ünï', RANDOM_DELAY_MAX)).toBe(791_612);
    expect(randomDelayOffset('', RANDOM_DELAY_MAX)).toBe(1_317_735);
  });

  it('scales with the bound: the same fraction of a shorter delay, in whole ms', () => {
    expect(randomDelayOffset('sched_a', 1000)).toBe(818);
    expect(randomDelayOffset('sched_b', 1000)).toBe(930);
    expect(randomDelayOffset('sched_a', 1)).toBe(0);
  });

  it('no delay, a negative one or not a number: no offset', () => {
    expect(randomDelayOffset('sched_a', 0)).toBe(0);
    expect(randomDelayOffset('sched_a', -60_000)).toBe(0);
    expect(randomDelayOffset('sched_a', Number.NaN)).toBe(0);
  });
});
