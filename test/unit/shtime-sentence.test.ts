// The one-sentence answers to "why didn't it run?" that the terminal (`why`), the history
// timeline, the schedule row and the tray all print: each kind of decision in the schedule's
// own zone, with the catch-up, retries and the nearest fires when none was planned.
import { describe, expect, it } from 'vitest';
import {
  decisionSentence,
  lastDecisionText,
  lastPlannedText,
  wallTime,
  whySentence,
} from '../../src/shared/decision-sentence';
import type { Decision, DecisionAt } from '../../src/shared/decisions';
import { decisionAtQuerySchema, decisionsQuerySchema } from '../../src/shared/decisions-api';
import {
  cronFiresSchema,
  dstNote,
  firesQuerySchema,
  wallClock,
  type FireTime,
} from '../../src/shared/fires-api';

const NY = 'America/New_York';
const NOW_2026 = Date.parse('2026-06-01T12:00:00Z');

function decision(fields: Partial<Decision>): Decision {
  return {
    id: 'dec_1',
    schedule_id: 'sched_1',
    kind: 'ran',
    ran: true,
    scheduled_for: '2026-03-08T08:00:00Z',
    last_scheduled_for: '2026-03-08T08:00:00Z',
    count: 1,
    decided_at: '2026-03-08T08:00:00Z',
    reason: null,
    span_from: null,
    span_to: null,
    run_id: null,
    command_id: null,
    attempt: null,
    attempts: null,
    asked: null,
    used: null,
    catch_up: false,
    message: 'engine words',
    ...fields,
  };
}

describe('wallTime: an instant as the zone reads it', () => {
  it('hours and minutes when the seconds are zero, seconds when they are not', () => {
    expect(wallTime('2026-03-08T08:00:00Z', NY)).toBe('04:00 on 8 Mar');
    expect(wallTime('2026-03-08T08:00:15Z', NY)).toBe('04:00:15 on 8 Mar');
  });

  it('names the zone (EST, EDT) only when asked', () => {
    expect(wallTime('2026-03-08T06:00:00Z', NY, { zone: true })).toBe('01:00 EST on 8 Mar');
    expect(wallTime('2026-03-08T08:00:00Z', NY, { zone: true })).toBe('04:00 EDT on 8 Mar');
    expect(wallTime('2026-03-08T08:00:00Z', 'UTC', { zone: true })).toBe('08:00 UTC on 8 Mar');
  });

  it('adds the year only when it is not the year of `now`', () => {
    expect(wallTime('2026-03-08T08:00:00Z', NY, { now: NOW_2026 })).toBe('04:00 on 8 Mar');
    expect(wallTime('2025-12-31T23:00:00Z', NY, { now: NOW_2026 })).toBe('18:00 on 31 Dec 2025');
    // The year is the zone's: 1 Jan 2026 UTC is still 31 Dec 2025 in New York.
    expect(wallTime('2026-01-01T02:00:00Z', NY, { now: NOW_2026 })).toBe('21:00 on 31 Dec 2025');
  });
});

describe('decisionSentence: each kind of decision', () => {
  const say = (fields: Partial<Decision>, options = {}) =>
    decisionSentence(decision(fields), NY, { now: NOW_2026, ...options });

  it('ran, with or without its command', () => {
    expect(say({ kind: 'ran', command_id: 'cmd_9' })).toBe(
      'At 04:00 EDT on 8 Mar the job ran (command cmd_9).',
    );
    expect(say({ kind: 'ran' })).toBe('At 04:00 EDT on 8 Mar the job ran.');
  });

  it('about another fire of a span, when one is named', () => {
    expect(say({ kind: 'ran' }, { fire: '2026-03-09T07:30:00Z' })).toBe(
      'At 03:30 EDT on 9 Mar the job ran.',
    );
  });

  it('caught_up: when it ran late', () => {
    expect(
      say({ kind: 'caught_up', decided_at: '2026-03-08T12:02:00Z', command_id: 'cmd_2' }),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job did not run at its time; it was caught up once at 08:02 on 8 Mar (command cmd_2).',
    );
    expect(say({ kind: 'caught_up', decided_at: '2026-03-08T12:02:00Z' })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run at its time; it was caught up once at 08:02 on 8 Mar.',
    );
  });

  it('moved_dst: the wall time it ran at instead of the one that did not exist', () => {
    expect(
      say({ kind: 'moved_dst', asked: '2026-03-08T02:30:00', used: '2026-03-08T03:30:00' }),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job ran at 03:30 instead of 02:30: 02:30 did not exist that day (the clocks went forward).',
    );
    expect(
      say({ kind: 'moved_dst', asked: '2026-03-08T02:30:15', used: '2026-03-08T03:30:15' }),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job ran at 03:30:15 instead of 02:30:15: 02:30:15 did not exist that day (the clocks went forward).',
    );
    expect(say({ kind: 'moved_dst' })).toBe(
      'At 04:00 EDT on 8 Mar the job ran at ? instead of ?: that time did not exist that day (the clocks went forward).',
    );
  });

  it('retry: an attempt that ran, and one that did not', () => {
    expect(
      say({
        kind: 'retry',
        ran: true,
        attempt: 2,
        attempts: 3,
        decided_at: '2026-03-08T08:05:00Z',
      }),
    ).toBe('At 04:00 EDT on 8 Mar the job was retried: attempt 2 of 3 ran at 04:05 on 8 Mar.');
    expect(say({ kind: 'retry', ran: false, message: 'the app stopped' })).toBe(
      'At 04:00 EDT on 8 Mar the job was not retried (attempt ? of ?): the app stopped.',
    );
    expect(say({ kind: 'retry', ran: true })).toBe(
      'At 04:00 EDT on 8 Mar the job was retried: attempt ? of ? ran at 04:00 on 8 Mar.',
    );
  });

  it('skipped_overlap: names the command still running when known', () => {
    expect(say({ kind: 'skipped_overlap', ran: false, command_id: 'cmd_1' })).toBe(
      "At 04:00 EDT on 8 Mar the job did not run: the previous run (command cmd_1) was still running and overlap is 'skip'.",
    );
    expect(say({ kind: 'skipped_overlap', ran: false })).toBe(
      "At 04:00 EDT on 8 Mar the job did not run: the previous run was still running and overlap is 'skip'.",
    );
  });

  it('skipped_paused: this schedule, or all of them', () => {
    expect(say({ kind: 'skipped_paused', ran: false, reason: 'schedule_paused' })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the schedule was paused.',
    );
    expect(say({ kind: 'skipped_paused', ran: false, reason: 'paused' })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: all schedules were paused.',
    );
  });

  it('skipped_disabled: with the span it was disabled for, as far as it is known', () => {
    const from = '2026-03-07T15:00:00Z';
    const to = '2026-03-09T13:30:00Z';
    expect(say({ kind: 'skipped_disabled', ran: false, span_from: from, span_to: to })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the schedule was disabled from 10:00 on 7 Mar to 09:30 on 9 Mar.',
    );
    expect(say({ kind: 'skipped_disabled', ran: false, span_from: from })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the schedule was disabled from 10:00 on 7 Mar.',
    );
    expect(say({ kind: 'skipped_disabled', ran: false })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the schedule was disabled.',
    );
  });

  it('skipped_battery', () => {
    expect(say({ kind: 'skipped_battery', ran: false })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the machine was on battery power and the schedule does not run on battery.',
    );
  });

  it('missed: asleep, a clock jump or the app off, with the span and the catch-up', () => {
    const span = { span_from: '2026-03-08T03:14:00Z', span_to: '2026-03-08T12:02:00Z' };
    expect(say({ kind: 'missed', ran: false, reason: 'asleep', ...span })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the machine was asleep from 22:14 on 7 Mar to 08:02 on 8 Mar; catch-up is off for this schedule.',
    );
    expect(say({ kind: 'missed', ran: false, reason: 'clock_jump', catch_up: true, ...span })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the clock jumped forward from 22:14 on 7 Mar to 08:02 on 8 Mar; catch-up is on, so it ran once afterwards.',
    );
    expect(say({ kind: 'missed', ran: false, reason: 'app_stopped' })).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the app was not running from ? to ?; catch-up is off for this schedule.',
    );
  });

  it('missed then caught up: says when, from the related catch-up', () => {
    const caught = decision({ kind: 'caught_up', decided_at: '2026-03-08T12:03:00Z' });
    const other = decision({ kind: 'ran' });
    expect(
      say(
        { kind: 'missed', ran: false, reason: 'app_stopped', catch_up: true },
        { related: [other, caught] },
      ),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the app was not running from ? to ?; it was caught up once at 08:03 on 8 Mar.',
    );
  });

  it('retries: the last attempt is told, whatever order they come in', () => {
    const retry = (attempt: number | null, ran: boolean) =>
      decision({ kind: 'retry', ran, attempt, attempts: 3, message: `attempt ${attempt}` });
    expect(
      say(
        { kind: 'ran', command_id: 'cmd_1' },
        { related: [retry(3, false), retry(null, true), retry(2, true)] },
      ),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job ran (command cmd_1); it was not retried (attempt 3 of 3): attempt 3.',
    );
    expect(
      say(
        { kind: 'ran' },
        { related: [retry(2, true), retry(null, false), decision({ kind: 'caught_up' })] },
      ),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job ran; it was retried: attempt 2 of 3 ran at 04:00 on 8 Mar.',
    );
  });

  it('retries given in the order they ran: the last one is told', () => {
    const retry = (attempt: number) =>
      decision({ kind: 'retry', ran: attempt === 3, attempt, attempts: 3, message: 'gave up' });
    expect(say({ kind: 'ran' }, { related: [retry(1), retry(2), retry(3)] })).toBe(
      'At 04:00 EDT on 8 Mar the job ran; it was retried: attempt 3 of 3 ran at 04:00 on 8 Mar.',
    );
    expect(say({ kind: 'ran' }, { related: [retry(1), retry(2)] })).toBe(
      'At 04:00 EDT on 8 Mar the job ran; it was not retried (attempt 2 of 3): gave up.',
    );
  });

  it('a span in another year than `now` gives the years', () => {
    const span = { span_from: '2025-12-31T03:14:00Z', span_to: '2026-01-02T12:02:00Z' };
    expect(
      decisionSentence(decision({ kind: 'missed', ran: false, reason: 'asleep', ...span }), NY, {
        now: Date.parse('2026-06-01T00:00:00Z'),
      }),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job did not run: the machine was asleep from 22:14 on 30 Dec 2025 to 07:02 on 2 Jan; catch-up is off for this schedule.',
    );
  });

  it('the year of an old fire is given when `now` is another year, and not without `now`', () => {
    const old = decision({ kind: 'ran', scheduled_for: '2024-03-08T09:00:00Z' });
    expect(decisionSentence(old, NY, { now: NOW_2026 })).toBe(
      'At 04:00 EST on 8 Mar 2024 the job ran.',
    );
    expect(decisionSentence(old, NY)).toBe('At 04:00 EST on 8 Mar the job ran.');
  });
});

describe('whySentence: the answer of decisions/at', () => {
  const base: Omit<DecisionAt, 'sentence'> = {
    schedule_id: 'sched_1',
    timezone: NY,
    time: '2026-03-08T08:00:00Z',
    planned: true,
    fire: '2026-03-08T08:00:00Z',
    nearest: [],
    decision: null,
    related: [],
  };

  it('a planned fire with its decision is that decision, retries included', () => {
    const retry = decision({ kind: 'retry', ran: true, attempt: 1, attempts: 2 });
    expect(
      whySentence({ ...base, decision: decision({ kind: 'ran' }), related: [retry] }, NOW_2026),
    ).toBe(
      'At 04:00 EDT on 8 Mar the job ran; it was retried: attempt 1 of 2 ran at 04:00 on 8 Mar.',
    );
  });

  it('none planned at the time: names the nearest one, or the two around it', () => {
    const one = {
      ...base,
      planned: false,
      time: '2026-03-08T08:10:00Z',
      nearest: ['2026-03-08T08:00:00Z'],
      decision: decision({ kind: 'ran' }),
    };
    expect(whySentence(one, NOW_2026)).toBe(
      'No fire was planned at 04:10 EDT on 8 Mar; the nearest was 04:00 EDT on 8 Mar. At 04:00 EDT on 8 Mar the job ran.',
    );
    const two = { ...one, nearest: ['2026-03-08T08:00:00Z', '2026-03-08T09:00:00Z'] };
    expect(whySentence(two, NOW_2026)).toBe(
      'No fire was planned at 04:10 EDT on 8 Mar; the nearest were 04:00 EDT on 8 Mar and 05:00 EDT on 8 Mar. At 04:00 EDT on 8 Mar the job ran.',
    );
  });

  it('nothing planned around the time at all', () => {
    expect(whySentence({ ...base, planned: false, fire: null }, NOW_2026)).toBe(
      'No fire was planned at 04:00 EDT on 8 Mar, and none is planned around it.',
    );
  });

  it('a fire not yet due, and one with no decision recorded', () => {
    const future = { ...base, time: '2026-07-01T12:00:00Z', fire: '2026-07-01T12:00:00Z' };
    expect(whySentence(future, NOW_2026)).toBe(
      'At 08:00 EDT on 1 Jul the job is planned to run (not yet due).',
    );
    // Without `now` nothing is "not yet due".
    expect(whySentence(future)).toBe(
      'At 08:00 EDT on 1 Jul no decision is recorded: it is older than the history kept, or the app did not plan it then.',
    );
    // The fire exactly at `now` is due.
    expect(whySentence(future, Date.parse('2026-07-01T12:00:00Z'))).toBe(
      'At 08:00 EDT on 1 Jul no decision is recorded: it is older than the history kept, or the app did not plan it then.',
    );
    expect(whySentence({ ...base, planned: false, nearest: [base.time] }, NOW_2026)).toBe(
      'No fire was planned at 04:00 EDT on 8 Mar; the nearest was 04:00 EDT on 8 Mar. At 04:00 EDT on 8 Mar no decision is recorded: it is older than the history kept, or the app did not plan it then.',
    );
  });
});

describe('lastDecisionText and lastPlannedText: the schedule row and the tray', () => {
  const last = (fields: Partial<Decision>) => lastDecisionText(decision(fields));

  it('one short phrase per kind', () => {
    expect(last({ kind: 'skipped_overlap' })).toBe('skipped: the previous run was still running');
    expect(last({ kind: 'skipped_paused', reason: 'schedule_paused' })).toBe(
      'skipped: paused (this schedule)',
    );
    expect(last({ kind: 'skipped_paused', reason: 'paused' })).toBe('skipped: paused');
    expect(last({ kind: 'skipped_disabled' })).toBe('skipped: disabled');
    expect(last({ kind: 'skipped_battery' })).toBe('skipped: on battery power');
    expect(last({ kind: 'missed', reason: 'asleep' })).toBe('missed: the machine was asleep');
    expect(last({ kind: 'missed', reason: 'clock_jump' })).toBe('missed: the clock jumped');
    expect(last({ kind: 'missed', reason: 'app_stopped' })).toBe('missed: the app was not running');
    expect(last({ kind: 'retry', ran: true })).toBe('ran (a retry)');
    expect(last({ kind: 'retry', ran: false })).toBe('retry did not run');
    expect(last({ kind: 'caught_up' })).toBe('caught up late');
    expect(last({ kind: 'moved_dst' })).toBe('ran, moved by DST');
    expect(last({ kind: 'ran' })).toBe('ran');
  });

  it('nothing to say when the last planned fire ran, or there is none', () => {
    expect(lastPlannedText(null)).toBeNull();
    expect(lastPlannedText(undefined)).toBeNull();
    expect(lastPlannedText(decision({ kind: 'ran', ran: true }))).toBeNull();
    expect(
      lastPlannedText(decision({ kind: 'skipped_paused', ran: false, reason: 'paused' })),
    ).toBe('last planned fire skipped: paused');
  });
});

describe("the fire preview's DST notes (editor and `next`)", () => {
  const fire = (fields: Partial<FireTime>): FireTime => ({
    at: '2026-03-08T07:30:00Z',
    scheduled_for: '2026-03-08T07:30:00Z',
    local: '2026-03-08T03:30:00',
    utc_offset: '-04:00',
    dst: null,
    moved_from: null,
    paused: false,
    ...fields,
  });

  it('wallClock drops zero seconds only', () => {
    expect(wallClock('2026-03-08T02:30:00')).toBe('02:30');
    expect(wallClock('2026-03-08T02:30:15')).toBe('02:30:15');
    expect(wallClock('2026-03-08T02:00:30')).toBe('02:00:30');
  });

  it('a moved fire says from when; a repeated one which of the two it runs', () => {
    expect(dstNote(fire({ dst: 'moved', moved_from: '2026-03-08T02:30:00' }), true)).toBe(
      'moved from 02:30: skipped by the DST change',
    );
    const repeated = fire({ dst: 'repeated', local: '2026-11-01T01:30:00' });
    expect(dstNote(repeated, true)).toBe('01:30 happens twice (DST): runs the first time only');
    expect(dstNote(repeated, false)).toBe('01:30 happens twice (DST): runs both times');
  });

  it('nothing when DST did nothing, or a move names no time', () => {
    expect(dstNote(fire({}), true)).toBeNull();
    expect(dstNote(fire({ dst: 'moved' }), true)).toBeNull();
  });
});

describe('the query schemas of the decision log and the fire preview', () => {
  it('decisions: limit 20 and offset 0 unless given; since and until are instants', () => {
    expect(decisionsQuerySchema.parse({})).toEqual({ limit: 20, offset: 0 });
    expect(
      decisionsQuerySchema.parse({ since: '2026-03-08T00:00:00Z', limit: '5', offset: '10' }),
    ).toEqual({ since: Date.parse('2026-03-08T00:00:00Z'), limit: 5, offset: 10 });
    expect(decisionsQuerySchema.safeParse({ since: 'yesterday' }).success).toBe(false);
    expect(decisionsQuerySchema.safeParse({ limit: 101 }).success).toBe(false);
  });

  it('decisions/at: the instant asked about is required', () => {
    expect(decisionAtQuerySchema.parse({ time: '2026-03-08T08:00:00Z' })).toEqual({
      time: Date.parse('2026-03-08T08:00:00Z'),
    });
    expect(decisionAtQuerySchema.safeParse({}).success).toBe(false);
  });

  it('fires: from is 1970 to the end of 9899, both ends included', () => {
    const message = 'must be between 1970-01-01T00:00:00Z and 9899-12-31T23:59:59Z';
    for (const from of ['1970-01-01T00:00:00Z', '9899-12-31T23:59:59Z', '2026-03-08T00:00:00Z']) {
      expect(firesQuerySchema.safeParse({ from }).success).toBe(true);
      expect(cronFiresSchema.safeParse({ cron: '0 3 * * *', timezone: 'UTC', from }).success).toBe(
        true,
      );
    }
    for (const from of ['1969-12-31T23:59:59Z', '9900-01-01T00:00:00Z']) {
      const result = firesQuerySchema.safeParse({ from });
      expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
    }
    expect(firesQuerySchema.parse({})).toEqual({ count: 10 });
  });
});
