// Why a planned fire ran or not (src/core/fire-decisions.ts): the rules in their order, the
// messages a user reads in the decision log, and the log file told once per episode.
import { describe, expect, it } from 'vitest';
import {
  decide,
  DecisionRecorder,
  type FireDecision,
  type FireFacts,
} from '../../src/core/fire-decisions';
import { captureLog } from '../helpers/server';

const facts = (over: Partial<FireFacts>): FireFacts => ({
  trigger: 'schedule',
  global: { paused: false },
  own: { paused: false },
  runOnBattery: true,
  onBattery: () => false,
  overlap: 'allow',
  running: null,
  ...over,
});
const until11 = Date.parse('2026-06-01T11:00:00Z');

describe('the decision rules', () => {
  it('a global pause says until when, or until resumed', () => {
    expect(decide(facts({ global: { paused: true, until: until11 } }))).toEqual({
      outcome: 'not_run',
      reason: 'paused',
      message: 'schedules are paused until 2026-06-01T11:00:00Z',
    });
    expect(decide(facts({ global: { paused: true, until: null } }))).toEqual({
      outcome: 'not_run',
      reason: 'paused',
      message: 'schedules are paused until resumed',
    });
  });

  it("the schedule's own pause, until resumed", () => {
    expect(decide(facts({ own: { paused: true, until: null } }))).toEqual({
      outcome: 'not_run',
      reason: 'schedule_paused',
      message: 'the schedule is paused until resumed',
    });
  });

  it('a catch-up fire is held by pauses and battery like a scheduled one', () => {
    expect(
      decide(facts({ trigger: 'catch_up', own: { paused: true, until: until11 } })),
    ).toMatchObject({ reason: 'schedule_paused' });
    expect(
      decide(facts({ trigger: 'catch_up', runOnBattery: false, onBattery: () => true })),
    ).toMatchObject({ reason: 'on_battery' });
  });

  it('on battery with run_on_battery false: skipped, saying why; on AC it runs', () => {
    expect(decide(facts({ runOnBattery: false, onBattery: () => true }))).toEqual({
      outcome: 'skipped',
      reason: 'on_battery',
      message: 'the machine is on battery power and run_on_battery is false',
    });
    expect(decide(facts({ runOnBattery: false, onBattery: () => false }))).toEqual({
      outcome: 'run',
    });
    expect(decide(facts({ runOnBattery: true, onBattery: () => true }))).toEqual({
      outcome: 'run',
    });
  });

  it("overlap 'skip' names the command still running; 'allow' runs beside it", () => {
    expect(decide(facts({ overlap: 'skip', running: 'cmd_1' }))).toEqual({
      outcome: 'skipped',
      reason: 'overlap',
      message: "the previous run (command cmd_1) is still running and overlap is 'skip'",
      command: 'cmd_1',
    });
    expect(decide(facts({ overlap: 'allow', running: 'cmd_1' }))).toEqual({ outcome: 'run' });
    expect(decide(facts({ overlap: 'skip', running: null }))).toEqual({ outcome: 'run' });
    // A manual run still respects overlap.
    expect(decide(facts({ trigger: 'manual', overlap: 'skip', running: 'cmd_1' }))).toMatchObject({
      reason: 'overlap',
    });
  });

  it('a manual run ignores the schedule pause', () => {
    expect(decide(facts({ trigger: 'manual', own: { paused: true, until: null } }))).toEqual({
      outcome: 'run',
    });
  });
});

describe('the decision recorder', () => {
  const decision = (over: Partial<FireDecision>): FireDecision => ({
    schedule_id: 'sched_a',
    scheduled_for: '2026-06-01T10:00:00Z',
    trigger: 'schedule',
    attempt: 1,
    attempts: 1,
    at: '2026-06-01T10:00:00Z',
    outcome: 'not_run',
    reason: 'paused',
    message: 'schedules are paused until resumed',
    ...over,
  });

  it('hands every decision to the hook, and logs a refusal once until it changes', () => {
    const log = captureLog();
    const seen: FireDecision[] = [];
    const r = new DecisionRecorder(log, (d) => seen.push(d));
    r.record(decision({}));
    r.record(decision({}));
    r.record(
      decision({
        reason: 'on_battery',
        outcome: 'skipped',
        message: 'on battery',
        trigger: 'catch_up',
      }),
    );
    r.record(decision({ schedule_id: 'sched_b' }));
    r.record(decision({ reason: null, outcome: 'run', message: 'ran' }));
    r.record(decision({}));
    expect(seen).toHaveLength(6);
    expect(log.lines).toEqual([
      'info schedule sched_a: fire (schedule) not run: schedules are paused until resumed',
      'info schedule sched_a: fire (catch_up) skipped: on battery',
      'info schedule sched_b: fire (schedule) not run: schedules are paused until resumed',
      'info schedule sched_a: fire (schedule) not run: schedules are paused until resumed',
    ]);
  });

  it('names a retry by its attempt', () => {
    const log = captureLog();
    const r = new DecisionRecorder(log);
    r.record(
      decision({
        attempt: 2,
        attempts: 3,
        outcome: 'not_run',
        reason: 'retry_superseded',
        message: 'a newer run started',
      }),
    );
    expect(log.lines).toEqual(['info schedule sched_a: retry 2 of 3 not run: a newer run started']);
  });

  it('a failing hook is logged, and the decision is still logged', () => {
    const log = captureLog();
    const r = new DecisionRecorder(log, () => {
      throw new Error('disk full');
    });
    r.record(decision({}));
    expect(log.lines).toEqual([
      'error decision hook failed: disk full',
      'info schedule sched_a: fire (schedule) not run: schedules are paused until resumed',
    ]);
  });
});
