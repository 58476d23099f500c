// The decision log over real HTTP, on an injected clock with real processes: every kind of
// decision the engine makes about a planned fire is recorded as it decides, alike fires in
// a row are one entry, and `decisions/at` answers with the sentence `why` prints.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '../../src/shared/decisions-api';
import { lastPlannedText } from '../../src/shared/decision-sentence';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, until, type PolicyServer } from '../helpers/policies';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
let open: PolicyServer | null = null;
afterEach(async () => {
  await open?.stop();
  open = null;
});

async function server(iso: string, extra: { dataDir?: string; powerSupplyRoot?: string } = {}) {
  const time = new FakeTime(iso);
  open = await policyServer({ time, dataDir: extra.dataDir ?? dir(), ...extra });
  return open;
}

async function decisions(p: PolicyServer, id: string, query = ''): Promise<Decision[]> {
  const res = await p.srv.call('GET', `/v1/schedules/${id}/decisions${query}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data;
}

async function why(p: PolicyServer, id: string, time: string) {
  const res = await p.srv.call('GET', `/v1/schedules/${id}/decisions/at?time=${time}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data;
}

describe('a decision for every planned fire', () => {
  it('ran: with its run and command; the sentence names the command', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
    p.time.advanceTo('2026-06-01T10:10:00Z');
    const [run] = await p.settled(s.id, 1);
    const [d] = await decisions(p, s.id);
    expect(d).toMatchObject({
      kind: 'ran',
      ran: true,
      scheduled_for: '2026-06-01T10:10:00Z',
      run_id: run?.id,
      command_id: run?.command_id,
    });
    expect((await why(p, s.id, '2026-06-01T10:10:00Z')).sentence).toBe(
      `At 10:10 UTC on 1 Jun the job ran (command ${run?.command_id}).`,
    );
  });

  it('skipped_overlap: names the command still running', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'sleep 30', cron: '*/10 * * * *' });
    p.time.advanceTo('2026-06-01T10:10:00Z');
    const running = await until(
      () => p.get(s.id),
      (x) => x.running === true,
    );
    expect(running.running).toBe(true);
    p.time.advanceTo('2026-06-01T10:20:00Z');
    const [d] = await decisions(p, s.id);
    const [first] = await p.runs(s.id);
    expect(d).toMatchObject({
      kind: 'skipped_overlap',
      ran: false,
      command_id: first?.command_id,
    });
    expect((await why(p, s.id, '2026-06-01T10:20:00Z')).sentence).toBe(
      `At 10:20 UTC on 1 Jun the job did not run: the previous run (command ${first?.command_id}) was still running and overlap is 'skip'.`,
    );
    await p.srv.call('DELETE', `/v1/commands/${first?.command_id}`);
  });

  it('skipped_paused: a pause over many fires is one entry; the row says so', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '* * * * * *' });
    await p.srv.call('PATCH', '/v1/settings', { paused: true });
    for (let i = 0; i < 90; i += 1) p.time.advanceBy(1000);
    const all = await decisions(p, s.id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'skipped_paused', reason: 'paused', ran: false });
    expect(all[0]?.count).toBeGreaterThanOrEqual(89);
    const shown = await p.get(s.id);
    expect(lastPlannedText(shown.last_decision)).toBe('last planned fire skipped: paused');
    expect((await why(p, s.id, '2026-06-01T10:00:30Z')).sentence).toBe(
      'At 10:00:30 UTC on 1 Jun the job did not run: all schedules were paused.',
    );
  });

  it('skipped_disabled: the fires of a disabled spell, one entry when it is enabled again', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: false });
    p.time.advanceTo('2026-06-01T10:45:00Z');
    // Not yet enabled: the answer says so from the schedule's state.
    expect((await why(p, s.id, '2026-06-01T10:20:00Z')).decision).toMatchObject({
      kind: 'skipped_disabled',
    });
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: true });
    const [d] = await decisions(p, s.id);
    expect(d).toMatchObject({
      kind: 'skipped_disabled',
      scheduled_for: '2026-06-01T10:10:00Z',
      last_scheduled_for: '2026-06-01T10:40:00Z',
      count: 4,
      span_from: '2026-06-01T10:00:00Z',
      span_to: '2026-06-01T10:45:00Z',
    });
    expect((await why(p, s.id, '2026-06-01T10:20:00Z')).sentence).toBe(
      'At 10:20 UTC on 1 Jun the job did not run: the schedule was disabled from 10:00 on 1 Jun to 10:45 on 1 Jun.',
    );
  });

  it('skipped_battery: on battery with run_on_battery false', async () => {
    const root = join(dir(), 'power_supply');
    mkdirSync(join(root, 'BAT0'), { recursive: true });
    writeFileSync(join(root, 'BAT0', 'type'), 'Battery\n');
    writeFileSync(join(root, 'BAT0', 'status'), 'Discharging\n');
    const p = await server('2026-06-01T10:00:00Z', { powerSupplyRoot: root });
    const s = await p.create({ command: 'true', cron: '*/10 * * * *', run_on_battery: false });
    p.time.advanceTo('2026-06-01T10:10:00Z');
    await p.settled(s.id, 1);
    expect((await decisions(p, s.id))[0]).toMatchObject({ kind: 'skipped_battery', ran: false });
    expect((await why(p, s.id, '2026-06-01T10:10:00Z')).sentence).toBe(
      'At 10:10 UTC on 1 Jun the job did not run: the machine was on battery power and the schedule does not run on battery.',
    );
  });

  it('missed (app_stopped), across a stop and start: the sentence of the issue', async () => {
    const dataDir = dir();
    // 22:14 EST on 7 Mar 2025: the app stops.
    let p = await server('2025-03-08T03:14:00Z', { dataDir });
    const s = await p.create({ command: 'true', cron: '0 3 * * *', timezone: 'America/New_York' });
    const kept = await p.create({
      name: 'Kept',
      command: 'true',
      cron: '0 3 * * *',
      timezone: 'America/New_York',
      catch_up: true,
    });
    await p.stop();
    // 07:02 EST on 8 Mar: it starts again.
    p = await server('2025-03-08T12:02:00Z', { dataDir });
    const [d] = await decisions(p, s.id);
    expect(d).toMatchObject({
      kind: 'missed',
      reason: 'app_stopped',
      scheduled_for: '2025-03-08T08:00:00Z',
      span_from: '2025-03-08T03:14:00Z',
      span_to: '2025-03-08T12:02:00Z',
      catch_up: false,
    });
    expect((await why(p, s.id, '2025-03-08T08:00:00Z')).sentence).toBe(
      'At 03:00 EST on 8 Mar the job did not run: the app was not running from 22:14 on 7 Mar to 07:02 on 8 Mar; catch-up is off for this schedule.',
    );
    // caught_up: the catch-up run stands for the missed instant.
    await p.settled(kept.id, 1);
    const kinds = (await decisions(p, kept.id)).map((x) => [x.kind, x.scheduled_for]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['missed', '2025-03-08T08:00:00Z'],
        ['caught_up', '2025-03-08T08:00:00Z'],
      ]),
    );
    const answer = await why(p, kept.id, '2025-03-08T08:00:00Z');
    expect(answer.decision.kind).toBe('missed');
    expect(answer.sentence).toBe(
      'At 03:00 EST on 8 Mar the job did not run: the app was not running from 22:14 on 7 Mar to 07:02 on 8 Mar; it was caught up once at 07:02 on 8 Mar.',
    );
  });

  it('missed (asleep): the suspend span; missed (clock_jump) without one', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
    const { host } = p.srv.headless;
    host.decisions.suspending();
    p.time.jump(3 * 3600_000); // asleep until 13:00
    host.decisions.resumed();
    host.engine.wake();
    const [asleep] = await decisions(p, s.id);
    expect(asleep).toMatchObject({
      kind: 'missed',
      reason: 'asleep',
      scheduled_for: '2026-06-01T10:10:00Z',
      last_scheduled_for: '2026-06-01T13:00:00Z',
      count: 18,
      span_from: '2026-06-01T10:00:00Z',
      span_to: '2026-06-01T13:00:00Z',
    });
    expect((await why(p, s.id, '2026-06-01T11:00:00Z')).sentence).toBe(
      'At 11:00 UTC on 1 Jun the job did not run: the machine was asleep from 10:00 on 1 Jun to 13:00 on 1 Jun; catch-up is off for this schedule.',
    );
    p.time.advanceTo('2026-06-01T13:05:00Z');
    p.time.jump(2 * 3600_000); // the clock is set forward: 15:05
    p.time.advanceBy(30_000);
    const [jump] = await decisions(p, s.id);
    expect(jump).toMatchObject({ kind: 'missed', reason: 'clock_jump' });
    expect((await why(p, s.id, '2026-06-01T14:00:00Z')).sentence).toMatch(
      /^At 14:00 UTC on 1 Jun the job did not run: the clock jumped forward from 13:05 on 1 Jun to 15:05:30 on 1 Jun; catch-up is off/,
    );
  });

  it('moved_dst: 02:30 in the spring gap ran at 03:30', async () => {
    const p = await server('2026-03-08T06:00:00Z');
    const s = await p.create({ command: 'true', cron: '30 2 * * *', timezone: 'America/New_York' });
    p.time.advanceTo('2026-03-08T07:30:00Z');
    await p.settled(s.id, 1);
    expect((await decisions(p, s.id))[0]).toMatchObject({
      kind: 'moved_dst',
      ran: true,
      asked: '2026-03-08T02:30:00',
      used: '2026-03-08T03:30:00',
    });
    expect((await why(p, s.id, '2026-03-08T07:30:00Z')).sentence).toMatch(
      /^At 03:30 EDT on 8 Mar the job ran at 03:30 instead of 02:30: 02:30 did not exist that day/,
    );
  });

  it('retry: attempt 2 of 2, beside the fire it retries', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({
      command: 'exit 3',
      cron: '*/10 * * * *',
      retries: 1,
      retry_delay: 60_000,
    });
    p.time.advanceTo('2026-06-01T10:10:00Z');
    await p.settled(s.id, 1);
    p.time.advanceTo('2026-06-01T10:11:00Z');
    await p.settled(s.id, 2);
    const [retry, fire] = await decisions(p, s.id);
    expect(fire?.kind).toBe('ran');
    expect(retry).toMatchObject({ kind: 'retry', ran: true, attempt: 2, attempts: 2 });
    expect((await why(p, s.id, '2026-06-01T10:10:00Z')).sentence).toMatch(
      /^At 10:10 UTC on 1 Jun the job ran \(command cmd_\w+\); it was retried: attempt 2 of 2 ran at 10:11 on 1 Jun\.$/,
    );
  });
});

describe('decisions/at', () => {
  it('no fire planned at that time: names the nearest ones', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
    p.time.advanceTo('2026-06-01T10:10:00Z');
    await p.settled(s.id, 1);
    const a = await why(p, s.id, '2026-06-01T10:13:00Z');
    expect(a).toMatchObject({
      planned: false,
      fire: '2026-06-01T10:10:00Z',
      nearest: ['2026-06-01T10:10:00Z', '2026-06-01T10:20:00Z'],
    });
    expect(a.sentence).toMatch(
      /^No fire was planned at 10:13 UTC on 1 Jun; the nearest were 10:10 UTC on 1 Jun and 10:20 UTC on 1 Jun\. At 10:10 UTC on 1 Jun the job ran/,
    );
  });

  it('bad query parameters: 400 naming the field and the rule', async () => {
    const p = await server('2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
    const bad = async (path: string) => (await p.srv.call('GET', path)).json.error;
    const list = await bad(`/v1/schedules/${s.id}/decisions?limit=0&since=yesterday`);
    expect(list.code).toBe('validation_error');
    expect(list.details.fields).toEqual({
      limit: "must be an integer between 1 and 100, got '0'",
      since: "must be an ISO 8601 timestamp such as 2024-01-20T03:00:00Z, got 'yesterday'",
    });
    const at = await bad(`/v1/schedules/${s.id}/decisions/at`);
    expect(at.code).toBe('validation_error');
    expect(Object.keys(at.details.fields)).toEqual(['time']);
    expect((await p.srv.call('GET', '/v1/schedules/sched_nope/decisions')).status).toBe(404);
  });
});
