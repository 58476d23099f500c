// Fires held by a schedule's own pause and fires held for battery power: when they run, and
// what does or does not forget them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POWER_POLL_MS } from '../../src/core/power';
import type { RunPolicies } from '../../src/core/run-policies';
import { HOUR, MIN, policiesRig, T0 } from '../helpers/policies-rig';

const rig = policiesRig(beforeEach, afterEach);
const { policies, put, quit } = rig;

describe("a schedule's own pause", () => {
  it('its end runs the held fire once, as a catch-up', () => {
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T11:00:00Z' });
    const p = policies();
    p.fire(s, 'schedule', T0);
    expect(rig.decisions[0]).toMatchObject({ outcome: 'not_run', reason: 'schedule_paused' });
    rig.time.advanceTo(T0 + HOUR);
    expect(rig.started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });

  it('lifted by hand, the held fire runs at once', () => {
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T11:00:00Z' });
    const p = policies();
    p.fire(s, 'schedule', T0);
    rig.time.advanceBy(MIN);
    p.scheduleChanged(put('sched_a', { catch_up: true, paused_until: null }));
    expect(rig.started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });
});

describe('fires held for battery power', () => {
  function heldOnBattery(p: RunPolicies, id = 'sched_bat') {
    const s = put(id, { catch_up: true, run_on_battery: false });
    rig.battery = true;
    p.fire(s, 'schedule', T0);
    expect(rig.skipped.map((r) => r.id)).toContain(id);
    return s;
  }

  it('run once AC is back, at the next look at the power', () => {
    const p = policies();
    heldOnBattery(p);
    rig.time.advanceBy(POWER_POLL_MS);
    expect(rig.started).toEqual([]);
    rig.battery = false;
    rig.time.advanceBy(POWER_POLL_MS - 1);
    expect(rig.started).toEqual([]);
    rig.time.advanceBy(1);
    expect(rig.started).toEqual([
      { id: 'sched_bat', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });

  it('run at once after a wake from sleep finds AC', () => {
    const p = policies();
    heldOnBattery(p);
    rig.battery = false;
    p.wake();
    expect(rig.started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it('are still waited for after a restart', () => {
    const first = policies();
    heldOnBattery(first);
    quit(first);
    policies();
    rig.battery = false;
    rig.time.advanceBy(POWER_POLL_MS);
    expect(rig.started.map((r) => [r.id, r.trigger])).toEqual([['sched_bat', 'catch_up']]);
  });

  it('an edit of the schedule while on battery neither runs nor forgets it', () => {
    const p = policies();
    heldOnBattery(p);
    p.scheduleChanged(put('sched_bat', { catch_up: true, run_on_battery: false, name: 'new' }));
    expect(rig.skipped).toHaveLength(1);
    expect(rig.decisions).toHaveLength(1);
    rig.battery = false;
    rig.time.advanceBy(POWER_POLL_MS);
    expect(rig.started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it("the end of another schedule's pause does not forget it", () => {
    const p = policies();
    heldOnBattery(p);
    // Another schedule's own pause ends and its held fire runs meanwhile.
    const own = put('sched_own', { catch_up: true, paused_until: '2026-06-01T10:10:00Z' });
    p.scheduleChanged(own);
    p.fire(own, 'schedule', T0);
    rig.time.advanceTo(T0 + 10 * MIN);
    expect(rig.started.map((r) => r.id)).toEqual(['sched_own']);
    rig.battery = false;
    rig.time.advanceBy(POWER_POLL_MS);
    expect(rig.started.map((r) => r.id)).toEqual(['sched_own', 'sched_bat']);
  });

  it('deleting another schedule does not forget it', () => {
    const p = policies();
    heldOnBattery(p);
    const other = put('sched_other');
    p.scheduleChanged(other);
    rig.repo.delete('sched_other');
    p.scheduleDeleted('sched_other');
    rig.battery = false;
    rig.time.advanceBy(POWER_POLL_MS);
    expect(rig.started.map((r) => r.id)).toEqual(['sched_bat']);
  });

  it('deleting the held schedule stops the looks at the power', () => {
    const p = policies();
    heldOnBattery(p);
    rig.time.advanceBy(POWER_POLL_MS);
    const reads = rig.powerReads;
    expect(reads).toBeGreaterThan(0);
    p.scheduleDeleted('sched_bat');
    rig.time.advanceBy(10 * POWER_POLL_MS);
    expect(rig.powerReads).toBe(reads);
  });
});
