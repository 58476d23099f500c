// The questions the API asks the decision log: a schedule's list, filtered and paged, and
// the decision behind one instant (planned or not, disabled since, its catch-up and retries).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionQueries } from '../../src/core/decisions/query';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import { ApiError } from '../../src/shared/errors';
import { decisionsRig, HOUR, iso, MIN, T0, verdict } from '../helpers/decisions-rig';

const rig = decisionsRig(beforeEach, afterEach);
const { log, schedule, recorder } = rig;

describe('the queries', () => {
  let repo: ScheduleRepository;
  beforeEach(() => {
    repo = ScheduleRepository.open(confStoreFactory, rig.dir, { now: () => rig.now }, log);
  });
  afterEach(() => repo.close());

  function setup(extra: Partial<StoredSchedule> = {}) {
    const s = schedule('sched_a', extra);
    repo.put(s);
    const r = recorder();
    const q = new DecisionQueries({ decisions: r, repo, clock: { now: () => rig.now } });
    return { s, r, q };
  }

  it('404 for an unknown schedule; 400 naming a bad field', async () => {
    const { q } = setup();
    const e = (await q.decisions('sched_x').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe('Schedule sched_x not found');
    const bad = (await q
      .decisions('sched_a', { since: 'yesterday' })
      .catch((x: unknown) => x)) as ApiError;
    expect(bad.code).toBe('validation_error');
    expect(bad.message).toContain('since');
    const at = (await q
      .decisionAt('sched_x', { time: iso(T0) })
      .catch((x: unknown) => x)) as ApiError;
    expect(at.code).toBe('not_found');
  });

  it('lists newest first, filtered by the instants covered, a page at a time', async () => {
    const { r, q } = setup();
    for (let i = 0; i < 5; i++) r.record(verdict({ scheduled_for: iso(T0 + i * 10 * MIN) }));
    const all = await q.decisions('sched_a');
    expect(all.data.map((d) => d.scheduled_for)).toEqual(
      [4, 3, 2, 1, 0].map((i) => iso(T0 + i * 10 * MIN)),
    );
    expect(all.meta).toEqual({ total: 5, limit: 20, offset: 0 });
    const some = await q.decisions('sched_a', {
      since: iso(T0 + 10 * MIN),
      until: iso(T0 + 30 * MIN),
      limit: 2,
      offset: 1,
    });
    expect(some.data.map((d) => d.scheduled_for)).toEqual([iso(T0 + 20 * MIN), iso(T0 + 10 * MIN)]);
    expect(some.meta).toEqual({ total: 3, limit: 2, offset: 1 });
  });

  it('lists a span by its last instant, and two of the same instant by when decided', async () => {
    const { r, q } = setup();
    const paused = (at: number) =>
      verdict({ scheduled_for: iso(at), outcome: 'not_run', reason: 'paused' });
    r.record(paused(T0));
    r.record(paused(T0 + 30 * MIN));
    r.record(verdict({ scheduled_for: iso(T0 + 20 * MIN) }));
    rig.now = T0 + MIN;
    r.record(verdict({ scheduled_for: iso(T0 + 20 * MIN), trigger: 'catch_up' }));
    const list = await q.decisions('sched_a');
    expect(list.data.map((d) => d.kind)).toEqual(['skipped_paused', 'caught_up', 'ran']);
    // A span reaching into the window counts; one ending before it does not.
    const since = await q.decisions('sched_a', { since: iso(T0 + 25 * MIN) });
    expect(since.data.map((d) => d.kind)).toEqual(['skipped_paused']);
    const until = await q.decisions('sched_a', { until: iso(T0 + 10 * MIN) });
    expect(until.data.map((d) => d.kind)).toEqual(['skipped_paused']);
  });

  it('answers for a planned fire: its decision first, its catch-up and retries after', async () => {
    const { r, q } = setup({ catch_up: true });
    rig.now = T0 + 3 * HOUR;
    r.started(T0 - 5 * MIN, [...rig.schedules.values()]);
    r.record(verdict({ scheduled_for: iso(T0 + 3 * HOUR), trigger: 'catch_up' }));
    r.record(verdict({ scheduled_for: iso(T0 + 3 * HOUR), attempt: 2, attempts: 2 }));
    const a = await q.decisionAt('sched_a', { time: iso(T0 + HOUR) });
    expect(a).toMatchObject({
      schedule_id: 'sched_a',
      timezone: 'UTC',
      time: iso(T0 + HOUR),
      planned: true,
      fire: iso(T0 + HOUR),
      nearest: [],
    });
    expect(a.decision?.kind).toBe('missed');
    expect(a.related.map((d) => d.kind)).toEqual(['caught_up']);
    expect(a.sentence).toMatch(
      /^At 11:00 UTC on 1 Jun the job did not run: the app was not running/,
    );

    const last = await q.decisionAt('sched_a', { time: iso(T0 + 3 * HOUR) });
    expect(last.decision?.kind).toBe('missed');
    expect(last.related.map((d) => d.kind)).toEqual(['caught_up', 'retry']);
  });

  it('names the nearest planned fires when none was planned at that instant', async () => {
    const { r, q } = setup();
    r.record(verdict({ scheduled_for: iso(T0 + 10 * MIN) }));
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 13 * MIN) });
    expect(a).toMatchObject({
      planned: false,
      fire: iso(T0 + 10 * MIN),
      nearest: [iso(T0 + 10 * MIN), iso(T0 + 20 * MIN)],
    });
    expect(a.decision?.kind).toBe('ran');
    const later = await q.decisionAt('sched_a', { time: iso(T0 + 17 * MIN) });
    expect(later.fire).toBe(iso(T0 + 20 * MIN));
    expect(later.decision).toBeNull();
  });

  it('counts a recorded fire at exactly that instant as planned, even off the cron', async () => {
    const { r, q } = setup();
    r.record(verdict({ scheduled_for: iso(T0 + 7 * MIN) }));
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 7 * MIN) });
    expect(a.planned).toBe(true);
    expect(a.fire).toBe(iso(T0 + 7 * MIN));
    expect(a.decision?.kind).toBe('ran');
  });

  it('a fire of a schedule that is disabled now: skipped since it was disabled', async () => {
    const { s, r, q } = setup();
    const off = { ...s, enabled: false };
    repo.put(off);
    r.scheduleChanged(off);
    rig.now = T0 + HOUR;
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 30 * MIN) });
    expect(a.decision).toMatchObject({
      kind: 'skipped_disabled',
      ran: false,
      scheduled_for: iso(T0 + 30 * MIN),
      last_scheduled_for: iso(T0 + 30 * MIN),
      span_from: iso(T0),
      message: 'the schedule is disabled',
    });
    // Before it was disabled, or still to come: nothing to say.
    expect((await q.decisionAt('sched_a', { time: iso(T0 - 10 * MIN) })).decision).toBeNull();
    expect((await q.decisionAt('sched_a', { time: iso(T0 + 2 * HOUR) })).decision).toBeNull();
    expect((await q.decisionAt('sched_a', { time: iso(T0) })).decision?.kind).toBe(
      'skipped_disabled',
    );
    expect((await q.decisionAt('sched_a', { time: iso(T0 + HOUR) })).decision?.kind).toBe(
      'skipped_disabled',
    );
  });

  it('an enabled schedule without a decision for that fire: none', async () => {
    const { q } = setup();
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 10 * MIN) });
    expect(a.decision).toBeNull();
    expect(a.related).toEqual([]);
  });
});
