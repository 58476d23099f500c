// Timed pauses on an injected clock: a schedule's paused_until and the global one in the
// settings. No runs during, runs again at the instant, catch-up once at the end when asked,
// and next_run says when the schedule really runs (null while paused until resumed).
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, sleep, type PolicyServer } from '../helpers/policies';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
let open: PolicyServer[] = [];
afterEach(async () => {
  for (const p of open) await p.stop();
  open = [];
});

async function server(time = new FakeTime('2026-06-01T10:00:00Z'), dataDir = dir()) {
  const p = await policyServer({ time, dataDir });
  open.push(p);
  return p;
}

const every10 = { command: 'true', cron: '*/10 * * * *' };

describe("a schedule's paused_until", () => {
  it('no runs during the pause; the fire at its end runs; next_run is honest', async () => {
    const p = await server();
    const s = await p.create({ ...every10, paused_until: '2026-06-01T10:30:00Z' });
    expect(s).toMatchObject({
      paused_until: '2026-06-01T10:30:00Z',
      next_run: '2026-06-01T10:30:00Z',
    });
    p.time.advanceTo('2026-06-01T10:29:59Z');
    await sleep(50);
    expect(await p.runs(s.id)).toEqual([]);
    p.time.advanceTo('2026-06-01T10:30:00Z');
    const [run] = await p.settled(s.id, 1);
    expect(run).toMatchObject({ scheduled_for: '2026-06-01T10:30:00Z', trigger: 'schedule' });
    expect((await p.get(s.id)).next_run).toBe('2026-06-01T10:40:00Z');
  });

  it('with catch_up, the fires it missed run once when it ends; without, none', async () => {
    const p = await server();
    const until = '2026-06-01T10:25:00Z'; // misses 10:10 and 10:20
    const caught = await p.create({ ...every10, catch_up: true, paused_until: until });
    const plain = await p.create({ ...every10, paused_until: until });
    p.time.advanceTo('2026-06-01T10:24:59Z');
    await sleep(50);
    expect(await p.runs(caught.id)).toEqual([]);
    p.time.advanceTo(until);
    const [run] = await p.settled(caught.id, 1);
    expect(run).toMatchObject({
      trigger: 'catch_up',
      scheduled_for: '2026-06-01T10:20:00Z',
      started_at: until,
    });
    expect(await p.runs(plain.id)).toEqual([]);
    p.time.advanceTo('2026-06-01T10:30:00Z');
    expect((await p.settled(caught.id, 2))[1]?.trigger).toBe('schedule');
    expect(await p.settled(plain.id, 1)).toHaveLength(1);
  });

  it('a pause lifted by PATCH ends at once; a past paused_until is no pause', async () => {
    const p = await server();
    const s = await p.create({ ...every10, catch_up: true, paused_until: '2026-06-02T00:00:00Z' });
    expect(s.next_run).toBe('2026-06-02T00:00:00Z');
    p.time.advanceTo('2026-06-01T10:15:00Z');
    const res = await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { paused_until: null });
    expect(res.json.data.next_run).toBe('2026-06-01T10:20:00Z');
    // The 10:10 fire was held by the pause: lifting it runs it once.
    expect((await p.settled(s.id, 1))[0]?.scheduled_for).toBe('2026-06-01T10:10:00Z');
    const past = await p.create({ ...every10, paused_until: '2026-01-01T00:00:00Z' });
    expect(past.next_run).toBe('2026-06-01T10:20:00Z');
  });

  it('is refused with the rule when it is not a timestamp', async () => {
    const p = await server();
    const res = await p.srv.call('POST', '/v1/schedules', {
      name: 'x',
      machine_id: 'local',
      command: 'true',
      cron: '@daily',
      paused_until: 'tomorrow',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.fields.paused_until).toMatch(/ISO 8601 timestamp/);
  });
});

describe('the global pause', () => {
  it('for a time: no runs, next_run after it, settings resume by themselves', async () => {
    const p = await server();
    const s = await p.create(every10);
    const res = await p.srv.call('PATCH', '/v1/settings', { paused_until: '2026-06-01T11:00:00Z' });
    expect(res.json.data).toMatchObject({ paused: true, paused_until: '2026-06-01T11:00:00Z' });
    expect((await p.get(s.id)).next_run).toBe('2026-06-01T11:00:00Z');
    p.time.advanceTo('2026-06-01T10:59:59Z');
    await sleep(50);
    expect(await p.runs(s.id)).toEqual([]);
    p.time.advanceTo('2026-06-01T11:00:00Z');
    expect((await p.settled(s.id, 1))[0]?.scheduled_for).toBe('2026-06-01T11:00:00Z');
    const settings = (await p.srv.call('GET', '/v1/settings')).json.data;
    expect(settings).toMatchObject({ paused: false, paused_until: null });
  });

  it('until resumed: next_run is null for every schedule; resuming brings it back', async () => {
    const p = await server();
    const s = await p.create(every10);
    await p.srv.call('PATCH', '/v1/settings', { paused: true });
    expect((await p.get(s.id)).next_run).toBeNull();
    const list = (await p.srv.call('GET', '/v1/schedules')).json.data;
    expect(list.map((x: { next_run: string | null }) => x.next_run)).toEqual([null]);
    p.time.advanceTo('2026-06-01T12:00:00Z');
    await sleep(50);
    expect(await p.runs(s.id)).toEqual([]);
    // Run now still works: the user asked for it.
    await p.runNow(s.id);
    expect(await p.settled(s.id, 1)).toHaveLength(1);
    const resumed = await p.srv.call('PATCH', '/v1/settings', { paused: false });
    expect(resumed.json.data).toMatchObject({ paused: false, paused_until: null });
    expect((await p.get(s.id)).next_run).toBe('2026-06-01T12:10:00Z');
  });

  it('a catch_up schedule held by the pause runs once after a restart in the middle of it', async () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const dataDir = dir();
    const p = await server(time, dataDir);
    const s = await p.create({ ...every10, catch_up: true });
    await p.srv.call('PATCH', '/v1/settings', { paused_until: '2026-06-01T12:00:00Z' });
    time.advanceTo('2026-06-01T10:50:00Z');
    await p.stop();
    open = [];
    time.advanceBy(5 * 60_000); // off for five minutes, still paused
    const q = await server(time, dataDir);
    q.time.advanceTo('2026-06-01T11:59:59Z');
    await sleep(50);
    expect(await q.runs(s.id)).toEqual([]);
    q.time.advanceTo('2026-06-01T12:00:00Z');
    const runs = await q.settled(s.id, 2);
    expect(runs.map((r) => [r.trigger, r.scheduled_for])).toEqual([
      ['catch_up', '2026-06-01T11:50:00Z'],
      ['schedule', '2026-06-01T12:00:00Z'],
    ]);
  });

  it('paused false with an instant is a contradiction: 400 naming paused_until', async () => {
    const p = await server();
    const res = await p.srv.call('PATCH', '/v1/settings', {
      paused: false,
      paused_until: '2026-06-01T11:00:00Z',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details.fields)).toEqual(['paused_until']);
  });
});
