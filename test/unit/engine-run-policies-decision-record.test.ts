// The decision record of a planned fire: what is recorded when it runs, when an overlap
// skips it and when battery power skips it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { policiesRig, T0 } from '../helpers/policies-rig';

const rig = policiesRig(beforeEach, afterEach);
const { policies, put } = rig;

describe('the decision record of a planned fire', () => {
  it('a run names the run and its command, with reason null and message "runs"', () => {
    const s = put('sched_a', { retries: 2 });
    const p = policies();
    rig.time.advanceBy(5_000);
    p.fire(s, 'schedule', T0);
    expect(rig.started).toEqual([
      { id: 'sched_a', trigger: 'schedule', scheduledFor: T0, chain: null },
    ]);
    expect(rig.decisions).toStrictEqual([
      {
        run_id: 'run_1',
        command_id: 'cmd_run_1',
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 1,
        attempts: 3,
        at: '2026-06-01T10:00:05Z',
        outcome: 'run',
        reason: null,
        message: 'runs',
      },
    ]);
  });

  it('an overlap skip names the command still running; the skipped run carries the message', () => {
    const s = put('sched_a');
    rig.running.set('sched_a', 'cmd_prev');
    policies().fire(s, 'schedule', T0);
    const message = "the previous run (command cmd_prev) is still running and overlap is 'skip'";
    expect(rig.decisions).toStrictEqual([
      {
        running_command_id: 'cmd_prev',
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 1,
        attempts: 1,
        at: '2026-06-01T10:00:00Z',
        outcome: 'skipped',
        reason: 'overlap',
        message,
      },
    ]);
    expect(rig.skipped).toEqual([
      { id: 'sched_a', trigger: 'schedule', scheduledFor: T0, chain: null, message },
    ]);
    expect(rig.started).toEqual([]);
  });

  it('a battery skip names no running command, even while a run of the schedule runs', () => {
    const s = put('sched_a', { run_on_battery: false });
    rig.running.set('sched_a', 'cmd_prev');
    rig.battery = true;
    policies().fire(s, 'schedule', T0);
    expect(rig.decisions).toStrictEqual([
      {
        schedule_id: 'sched_a',
        scheduled_for: '2026-06-01T10:00:00Z',
        trigger: 'schedule',
        attempt: 1,
        attempts: 1,
        at: '2026-06-01T10:00:00Z',
        outcome: 'skipped',
        reason: 'on_battery',
        message: 'the machine is on battery power and run_on_battery is false',
      },
    ]);
  });
});
