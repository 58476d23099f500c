// The fire preview routes over real HTTP, on an injected clock: the instants the engine will
// fire, with wall time, offset and DST marker; the first fire not paused is next_run, random
// delay and pauses included; bad input is a 400 naming the rule.
import { describe, expect, it } from 'vitest';
import { FakeTime } from '../helpers/fake-time';
import { useTestServer } from '../helpers/server';

const time = new FakeTime('2026-03-29T02:00:00Z');
const server = useTestServer({ clock: time.clock, timers: time });

const preview = (body: Record<string, unknown>) => server.srv.call('POST', '/v1/cron/fires', body);

async function create(fields: Record<string, unknown>) {
  const res = await server.srv.call('POST', '/v1/schedules', {
    name: `s${Math.random()}`,
    machine_id: 'local',
    command: 'true',
    ...fields,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.data;
}

describe('POST /v1/cron/fires', () => {
  it('30 2 * * * in New York across the March change: the moved fire and its marker', async () => {
    const res = await preview({
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      from: '2026-03-07T12:00:00Z',
      count: 3,
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([
      {
        at: '2026-03-08T07:30:00Z',
        scheduled_for: '2026-03-08T07:30:00Z',
        local: '2026-03-08T03:30:00',
        utc_offset: '-04:00',
        dst: 'moved',
        moved_from: '2026-03-08T02:30:00',
        paused: false,
      },
      expect.objectContaining({ local: '2026-03-09T02:30:00', dst: null, moved_from: null }),
      expect.objectContaining({ local: '2026-03-10T02:30:00', utc_offset: '-04:00' }),
    ]);
    expect(res.json.meta).toMatchObject({
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      from: '2026-03-07T12:00:00Z',
      count: 3,
      random_delay: 0,
      delay: 0,
      fixed_time: true,
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it('the repeated autumn hour: a fixed time once, an hourly job twice, each marked', async () => {
    const once = await preview({
      cron: '30 1 * * *',
      timezone: 'America/New_York',
      from: '2026-10-31T12:00:00Z',
      count: 2,
    });
    expect(once.json.data.map((f: any) => [f.local, f.utc_offset, f.dst])).toEqual([
      ['2026-11-01T01:30:00', '-04:00', 'repeated'],
      ['2026-11-02T01:30:00', '-05:00', null],
    ]);
    const hourly = await preview({
      cron: '0 * * * *',
      timezone: 'America/New_York',
      from: '2026-11-01T04:30:00Z',
      count: 3,
    });
    expect(hourly.json.data.map((f: any) => [f.local, f.utc_offset, f.dst])).toEqual([
      ['2026-11-01T01:00:00', '-04:00', 'repeated'],
      ['2026-11-01T01:00:00', '-05:00', 'repeated'],
      ['2026-11-01T02:00:00', '-05:00', null],
    ]);
    expect(hourly.json.meta.fixed_time).toBe(false);
  });

  it('defaults: from now, 10 fires, UTC; odd offsets are written out', async () => {
    const res = await preview({ cron: '0 9 * * *' });
    expect(res.json.meta).toMatchObject({ from: '2026-03-29T02:00:00Z', count: 10 });
    expect(res.json.data[0]).toMatchObject({ at: '2026-03-29T09:00:00Z', utc_offset: '+00:00' });
    const kolkata = await preview({ cron: '0 9 * * *', timezone: 'asia/kolkata', count: 1 });
    expect(kolkata.json.meta.timezone).toBe('Asia/Kolkata');
    expect(kolkata.json.data[0]).toMatchObject({
      local: '2026-03-29T09:00:00',
      utc_offset: '+05:30',
    });
  });

  it('a random delay: unknown offset without a schedule id, exact with one', async () => {
    const body = {
      cron: '0 3 * * *',
      from: '2026-06-01T00:00:00Z',
      count: 2,
      random_delay: 600_000,
    };
    const unsaved = await preview(body);
    expect(unsaved.json.meta).toMatchObject({ random_delay: 600_000, delay: null });
    expect(unsaved.json.data[0]).toMatchObject({ at: '2026-06-01T03:00:00Z' });
    const s = await create({ cron: '0 3 * * *', random_delay: 600_000 });
    const saved = await preview({ ...body, schedule_id: s.id });
    const delay = saved.json.meta.delay;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(600_000);
    expect(Date.parse(saved.json.data[0].at) - Date.parse('2026-06-01T03:00:00Z')).toBe(
      Math.floor(delay / 1000) * 1000,
    );
    expect(saved.json.data[0].scheduled_for).toBe('2026-06-01T03:00:00Z');
  });

  it('count above 1000, a bad from, an unknown field and a bad cron: 400 naming each rule', async () => {
    const res = await preview({
      cron: '61 * * * *',
      timezone: 'Mars/Base',
      from: 'yesterday',
      count: 1001,
      extra: 1,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_error');
    expect(res.json.error.details.fields).toEqual({
      cron: 'minute must be 0-59, got 61',
      timezone: "unknown time zone 'Mars/Base'",
      from: "must be an ISO 8601 timestamp such as 2024-01-20T03:00:00Z, got 'yesterday'",
      count: "must be an integer between 1 and 1000, got '1001'",
      extra: 'is not a known field',
    });
    const early = await preview({ cron: '@daily', from: '1969-12-31T00:00:00Z' });
    expect(early.json.error.details.fields).toEqual({
      from: 'must be between 1970-01-01T00:00:00Z and 9899-12-31T23:59:59Z',
    });
    expect((await preview({ cron: '@daily', count: 0 })).status).toBe(400);
  });

  it('1000 fires of an every-second job, and a sparse one stops at the horizon', async () => {
    const dense = await preview({ cron: '* * * * * *', count: 1000, from: '2026-01-01T00:00:00Z' });
    expect(dense.json.data).toHaveLength(1000);
    expect(dense.json.data[999].at).toBe('2026-01-01T00:16:40Z');
    const leap = await preview({ cron: '0 0 29 2 *', count: 1000, from: '2026-01-01T00:00:00Z' });
    expect(leap.json.meta.horizon).toBe('2126-01-01T00:00:00Z');
    expect(leap.json.data.length).toBe(24); // 2028 … 2124, 2100 is not a leap year
    expect(leap.json.meta.count).toBe(24);
  });
});

describe('GET /v1/schedules/:id/fires', () => {
  it('Lord Howe 0 12 * * 7 keeps a next run after 2026-03-29 (the engine used to lose it)', async () => {
    const s = await create({ cron: '0 12 * * 7', timezone: 'Australia/Lord_Howe' });
    expect(s.next_run).toBe('2026-04-05T01:30:00Z'); // Sun 12:00 LHST, the day of the change
    const res = await server.srv.call('GET', `/v1/schedules/${s.id}/fires?count=3`);
    expect(res.status).toBe(200);
    expect(res.json.data.map((f: any) => [f.at, f.local, f.utc_offset])).toEqual([
      ['2026-04-05T01:30:00Z', '2026-04-05T12:00:00', '+10:30'],
      ['2026-04-12T01:30:00Z', '2026-04-12T12:00:00', '+10:30'],
      ['2026-04-19T01:30:00Z', '2026-04-19T12:00:00', '+10:30'],
    ]);
    expect(res.json.meta).toMatchObject({
      schedule_id: s.id,
      enabled: true,
      paused: false,
      paused_until: null,
    });
  });

  it('the first fire is next_run, random delay and DST included', async () => {
    const s = await create({
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      random_delay: 3_600_000,
    });
    const res = await server.srv.call(
      'GET',
      `/v1/schedules/${s.id}/fires?from=2026-03-07T12:00:00Z&count=2`,
    );
    const [moved] = res.json.data;
    expect(moved.scheduled_for).toBe('2026-03-08T07:30:00Z');
    expect(moved.dst).toBe('moved');
    expect(Date.parse(moved.at) - Date.parse(moved.scheduled_for)).toBe(
      Math.floor(res.json.meta.delay / 1000) * 1000,
    );
    const now = await server.srv.call('GET', `/v1/schedules/${s.id}/fires?count=1`);
    expect(now.json.data[0].at).toBe(s.next_run);
  });

  it('fires under a pause are marked; the first unmarked one is next_run', async () => {
    const s = await create({ cron: '0 * * * *', paused_until: '2026-03-29T05:30:00Z' });
    expect(s.next_run).toBe('2026-03-29T06:00:00Z');
    const res = await server.srv.call('GET', `/v1/schedules/${s.id}/fires?count=5`);
    expect(res.json.data.map((f: any) => [f.at, f.paused])).toEqual([
      ['2026-03-29T03:00:00Z', true],
      ['2026-03-29T04:00:00Z', true],
      ['2026-03-29T05:00:00Z', true],
      ['2026-03-29T06:00:00Z', false],
      ['2026-03-29T07:00:00Z', false],
    ]);
    expect(res.json.meta).toMatchObject({ paused: true, paused_until: '2026-03-29T05:30:00Z' });
    // Until resumed: every fire is held, and next_run is null.
    await server.srv.call('PATCH', '/v1/settings', { paused: true });
    try {
      const held = await server.srv.call('GET', `/v1/schedules/${s.id}/fires?count=2`);
      expect(held.json.data.every((f: any) => f.paused)).toBe(true);
      expect(held.json.meta).toMatchObject({ paused: true, paused_until: null });
      expect((await server.srv.call('GET', `/v1/schedules/${s.id}`)).json.data.next_run).toBeNull();
    } finally {
      await server.srv.call('PATCH', '/v1/settings', { paused: false });
    }
  });

  it('a disabled schedule shows its timetable and says it is disabled; unknown ids are 404', async () => {
    const s = await create({ cron: '@daily', enabled: false });
    const res = await server.srv.call('GET', `/v1/schedules/${s.id}/fires?count=1`);
    expect(res.json.meta.enabled).toBe(false);
    expect(res.json.data[0].at).toBe('2026-03-30T00:00:00Z');
    const missing = await server.srv.call('GET', '/v1/schedules/sched_nope/fires');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    const bad = await server.srv.call('GET', `/v1/schedules/${s.id}/fires?count=1001&when=now`);
    expect(bad.json.error.details.fields).toEqual({
      count: "must be an integer between 1 and 1000, got '1001'",
      when: 'is not a known field',
    });
  });
});
