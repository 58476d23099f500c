// How the recorder turns the engine's verdicts into entries: the kind of each, DST moves,
// spans of alike refusals and when the schedule's row is told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FireDecision } from '../../src/core/fire-decisions';
import { decisionsRig, iso, MIN, T0, verdict } from '../helpers/decisions-rig';

const rig = decisionsRig(beforeEach, afterEach);
const { schedule, recorder } = rig;

describe('recording the verdicts', () => {
  it('records what ran, with its run and command, and tells the row', () => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict());
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'ran',
        ran: true,
        scheduled_for: iso(T0),
        last_scheduled_for: iso(T0),
        count: 1,
        run_id: 'run_1',
        command_id: 'cmd_1',
        attempt: null,
        attempts: null,
        reason: null,
        asked: null,
        used: null,
        decided_at: iso(T0),
      }),
    ]);
    expect(r.last('sched_a')).toEqual({
      kind: 'ran',
      ran: true,
      scheduled_for: iso(T0),
      last_scheduled_for: iso(T0),
      reason: null,
      count: 1,
      message: '',
    });
    expect(rig.changed).toEqual(['sched_a']);
    expect(r.last('sched_b')).toBeNull();
  });

  it('leaves out manual runs, fires without an instant and unknown schedules', () => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict({ trigger: 'manual' }));
    r.record(verdict({ scheduled_for: null }));
    r.record(verdict({ schedule_id: 'sched_gone' }));
    expect(r.store.entries('sched_a')).toEqual([]);
    expect(r.store.entries('sched_gone')).toEqual([]);
    expect(rig.changed).toEqual([]);
  });

  const kinds: [string, Partial<FireDecision>, object][] = [
    ['a catch-up', { trigger: 'catch_up' }, { kind: 'caught_up', ran: true, reason: null }],
    [
      'a retry',
      { attempt: 2, attempts: 3 },
      { kind: 'retry', ran: true, attempt: 2, attempts: 3, reason: null },
    ],
    [
      'a global pause',
      { outcome: 'not_run', reason: 'paused', message: 'paused' },
      { kind: 'skipped_paused', ran: false, reason: 'paused', run_id: null, command_id: null },
    ],
    [
      'the schedule’s pause',
      { outcome: 'not_run', reason: 'schedule_paused' },
      { kind: 'skipped_paused', reason: 'schedule_paused' },
    ],
    [
      'battery power',
      { outcome: 'skipped', reason: 'on_battery' },
      { kind: 'skipped_battery', ran: false, reason: null },
    ],
    [
      'an overlap',
      { outcome: 'skipped', reason: 'overlap', running_command_id: 'cmd_busy' },
      { kind: 'skipped_overlap', ran: false, command_id: 'cmd_busy', run_id: null },
    ],
    [
      'an overlap without the running command',
      { outcome: 'skipped', reason: 'overlap', running_command_id: undefined },
      { kind: 'skipped_overlap', command_id: null },
    ],
    [
      'a run without ids',
      { run_id: undefined, command_id: undefined },
      { run_id: null, command_id: null },
    ],
  ];
  it.each(kinds)('records %s', (_, fields, expected) => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict(fields));
    expect(r.store.entries('sched_a')).toEqual([expect.objectContaining(expected)]);
  });

  it('records a fire moved by a DST gap with the wall times asked and used', () => {
    schedule('sched_a', { cron: '30 2 * * *', timezone: 'America/New_York' });
    const r = recorder();
    r.record(verdict({ scheduled_for: '2026-03-08T07:30:00Z' }));
    r.record(verdict({ scheduled_for: '2026-03-09T06:30:00Z' }));
    r.record(verdict({ scheduled_for: '2026-03-10T06:30:00Z', trigger: 'catch_up' }));
    expect(r.store.entries('sched_a').map((d) => [d.kind, d.asked, d.used])).toEqual([
      ['moved_dst', '2026-03-08T02:30:00', '2026-03-08T03:30:00'],
      ['ran', null, null],
      ['caught_up', null, null],
    ]);
  });

  it('does not call an every-hour fire in the gap moved', () => {
    schedule('sched_a', { cron: '30 * * * *', timezone: 'America/New_York' });
    const r = recorder();
    r.record(verdict({ scheduled_for: '2026-03-08T07:30:00Z' }));
    expect(r.store.entries('sched_a')[0]!.kind).toBe('ran');
  });

  it('makes one span of alike refusals in a row, and a new entry when they change', () => {
    schedule('sched_a');
    const r = recorder();
    const paused = (at: number, message = 'paused') =>
      verdict({ scheduled_for: iso(at), outcome: 'not_run', reason: 'paused', message });
    r.record(paused(T0));
    rig.now = T0 + 10 * MIN;
    r.record(paused(T0 + 10 * MIN, 'still paused'));
    r.record(paused(T0 + 20 * MIN, 'still paused'));
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'skipped_paused',
        scheduled_for: iso(T0),
        last_scheduled_for: iso(T0 + 20 * MIN),
        count: 3,
        decided_at: iso(T0 + 10 * MIN),
        message: 'still paused',
      }),
    ]);
    expect(rig.changed).toEqual(['sched_a']);
    // An earlier instant, another reason, another kind: each a new entry.
    r.record(paused(T0 + 5 * MIN));
    r.record(
      verdict({ scheduled_for: iso(T0 + 30 * MIN), outcome: 'not_run', reason: 'schedule_paused' }),
    );
    r.record(
      verdict({ scheduled_for: iso(T0 + 40 * MIN), outcome: 'skipped', reason: 'on_battery' }),
    );
    r.record(verdict({ scheduled_for: iso(T0 + 50 * MIN) }));
    r.record(verdict({ scheduled_for: iso(T0 + 60 * MIN) }));
    expect(r.store.entries('sched_a').map((d) => [d.kind, d.count])).toEqual([
      ['skipped_paused', 3],
      ['skipped_paused', 1],
      ['skipped_paused', 1],
      ['skipped_battery', 1],
      ['ran', 1],
      ['ran', 1],
    ]);
  });

  it('starts a new overlap span when another command is the one running', () => {
    schedule('sched_a');
    const r = recorder();
    const overlap = (at: number, cmd: string) =>
      verdict({
        scheduled_for: iso(at),
        outcome: 'skipped',
        reason: 'overlap',
        running_command_id: cmd,
      });
    r.record(overlap(T0, 'cmd_1'));
    r.record(overlap(T0 + 10 * MIN, 'cmd_1'));
    r.record(overlap(T0 + 20 * MIN, 'cmd_2'));
    expect(r.store.entries('sched_a').map((d) => d.count)).toEqual([2, 1]);
  });

  it('tells the row when the newest decision reads differently', () => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict({ scheduled_for: iso(T0) }));
    r.record(verdict({ scheduled_for: iso(T0 + 10 * MIN) }));
    expect(rig.changed).toEqual(['sched_a']);
    r.record(verdict({ scheduled_for: iso(T0 + 20 * MIN), outcome: 'not_run', reason: 'paused' }));
    expect(rig.changed).toEqual(['sched_a', 'sched_a']);
    r.record(verdict({ scheduled_for: iso(T0 + 30 * MIN) }));
    expect(rig.changed).toEqual(['sched_a', 'sched_a', 'sched_a']);
  });

  it('counts a span up to the cap', () => {
    schedule('sched_a', { cron: '* * * * *' });
    const r = recorder();
    r.started(T0 - 2000 * MIN, [...rig.schedules.values()]);
    rig.now = T0 + MIN;
    r.record(verdict({ scheduled_for: iso(T0 + MIN) }));
    const [missed] = r.store.entries('sched_a');
    expect(missed!.count).toBe(1000);
  });
});
