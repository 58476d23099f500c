// Runs over real HTTP: real child processes; an injected clock where the schedule matters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandStatusOf, toRun } from '../../src/shared/cmdop-command';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, until, type PolicyServer } from '../helpers/policies';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({ killGraceMs: 500 });
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

async function create(body: Record<string, unknown>) {
  const res = await srv.call('POST', '/v1/schedules', {
    name: 'Job',
    machine_id: 'local',
    cron: '0 3 * * *',
    ...body,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process that can still run: a zombie (reaped late by some containers' init) is over. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Polls the command until it is no longer running; returns it read as a run (its precise
 * status and run id), after checking the Cmdop fields agree with them.
 */
async function finished(commandId: string, withinMs = 10_000) {
  const end = Date.now() + withinMs;
  for (;;) {
    const res = await srv.call('GET', `/v1/commands/${commandId}`);
    expect(res.status).toBe(200);
    const command = res.json.data;
    expect(command.id).toBe(commandId);
    expect(command.status).toBe(commandStatusOf(command.run_status));
    if (command.status !== 'running') {
      lastCommand = command;
      return toRun(command);
    }
    if (Date.now() > end) throw new Error(`command ${commandId} still running`);
    await sleep(25);
  }
}

/** The last command `finished` read, as the server sent it. */
let lastCommand: Record<string, unknown> = {};

async function runNow(id: string) {
  const res = await srv.call('POST', `/v1/schedules/${id}/run`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data;
}

const RUN_KEYS = [
  'id',
  'started_at',
  'finished_at',
  'exit_code',
  'duration',
  'stdout',
  'stderr',
  'schedule_id',
  'command_id',
  'trigger',
  'status',
  'scheduled_for',
  'signal',
  'truncated',
  'attempt',
  'retry_of',
  'shell',
  'env_file',
  'next_retry_at',
].sort();

describe('run now and commands', () => {
  it('runs the command in the shell and records stdout, stderr and the exit code', async () => {
    const s = await create({
      command: 'echo "hello $NAME"; echo oops >&2',
      env: { NAME: 'world' },
    });
    const started = await runNow(s.id);
    expect(started).toEqual({ command_id: expect.stringMatching(/^cmd_/), status: 'running' });
    const run = await finished(started.command_id);
    expect(Object.keys(run).sort()).toEqual(RUN_KEYS);
    // Cmdop's command shape, with the run's own id and status beside it.
    expect(lastCommand).toMatchObject({
      id: started.command_id,
      status: 'completed',
      command_id: started.command_id,
      run_id: run.id,
      run_status: 'success',
      machine_id: expect.stringMatching(/^mach_/),
      command: 'echo "hello $NAME"; echo oops >&2',
    });
    expect(run).toMatchObject({
      status: 'success',
      exit_code: 0,
      stdout: 'hello world\n',
      stderr: 'oops\n',
      trigger: 'manual',
      schedule_id: s.id,
      command_id: started.command_id,
      scheduled_for: null,
      signal: null,
      truncated: false,
    });
    expect(run.id).toMatch(/^run_/);
    expect(run.duration).toBeGreaterThanOrEqual(0);
    const got = (await srv.call('GET', `/v1/schedules/${s.id}`)).json.data;
    expect(got.last_run).toEqual({
      at: run.started_at,
      exit_code: 0,
      duration: run.duration,
      status: 'success',
    });
  });

  it('exit 3 is a failure with exit code 3, and notifies on failure', async () => {
    const s = await create({ name: 'Failing Job', command: 'echo "disk full" >&2; exit 3' });
    const run = await finished((await runNow(s.id)).command_id);
    expect(run).toMatchObject({ status: 'failure', exit_code: 3, stderr: 'disk full\n' });
    await sleep(2200); // the notifier gathers bursts for 2 s
    expect(srv.notices.find((n) => n.runId === run.id)).toMatchObject({
      title: 'Failing Job failed — exit 3',
      body: 'disk full',
    });
  });

  it('runs a disabled schedule on demand', async () => {
    const s = await create({ command: 'echo manual', enabled: false });
    const run = await finished((await runNow(s.id)).command_id);
    expect(run.stdout).toBe('manual\n');
  });

  it('runs in the working directory, and a missing one is a clear failure', async () => {
    const ok = await create({ command: 'pwd', cwd: '/tmp' });
    expect((await finished((await runNow(ok.id)).command_id)).stdout).toBe('/tmp\n');
    const bad = await create({ command: 'pwd', cwd: '/nonexistent/dir' });
    const run = await finished((await runNow(bad.id)).command_id);
    expect(run.status).toBe('failure');
    expect(run.stderr).toContain('/nonexistent/dir does not exist');
  });

  it('times out, killing the whole process group', async () => {
    // Every member writes its pid down before the timeout: the shell and two background sleeps.
    const pids = join(srv.dataDir, `pids-${Date.now()}`);
    const s = await create({
      command: `sleep 300 & echo $! >> ${pids}; sleep 300 & echo $! >> ${pids}; echo $$ >> ${pids}; wait; echo never`,
      timeout: 1000,
    });
    const run = await finished((await runNow(s.id)).command_id);
    expect(run.status).toBe('timeout');
    expect(run.exit_code).toBeNull();
    expect(run.stdout).toBe('');
    const members = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(members).toHaveLength(3);
    expect(members.filter(running)).toEqual([]);
  });

  it('cancels a running command, then answers 409 not_running', async () => {
    const s = await create({ command: 'sleep 30' });
    const { command_id } = await runNow(s.id);
    const cancel = await srv.call('DELETE', `/v1/commands/${command_id}`);
    expect(cancel.status).toBe(200);
    expect(cancel.json.data).toEqual({ cancelled: true });
    const run = await finished(command_id);
    expect(run.status).toBe('cancelled');
    const again = await srv.call('DELETE', `/v1/commands/${command_id}`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('not_running');
    expect((await srv.call('DELETE', '/v1/commands/cmd_unknown')).status).toBe(404);
    expect((await srv.call('GET', '/v1/commands/cmd_unknown')).status).toBe(404);
  });

  it('overlap skip: a second run now is 409 naming the running command', async () => {
    const s = await create({ command: 'sleep 30' });
    const { command_id } = await runNow(s.id);
    const second = await srv.call('POST', `/v1/schedules/${s.id}/run`);
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('conflict');
    expect(second.json.error.message).toContain(command_id);
    expect(second.json.error.details.command_id).toBe(command_id);
    await srv.call('DELETE', `/v1/commands/${command_id}`);
    await finished(command_id);
  });

  it('overlap allow: runs in parallel', async () => {
    const s = await create({ command: 'sleep 0.3; echo done', overlap: 'allow' });
    const a = await runNow(s.id);
    const b = await runNow(s.id);
    expect(a.command_id).not.toBe(b.command_id);
    expect((await finished(a.command_id)).stdout).toBe('done\n');
    expect((await finished(b.command_id)).stdout).toBe('done\n');
  });

  it('deleting a schedule cancels its runs and removes its history', async () => {
    const s = await create({ command: 'sleep 30' });
    const { command_id } = await runNow(s.id);
    expect((await srv.call('DELETE', `/v1/schedules/${s.id}`)).status).toBe(200);
    const end = Date.now() + 5000;
    while ((await srv.call('GET', `/v1/commands/${command_id}`)).status === 200) {
      if (Date.now() > end) throw new Error('run survived its schedule');
      await sleep(25);
    }
    expect((await srv.call('GET', `/v1/schedules/${s.id}/history`)).status).toBe(404);
  });

  it('404s run now and history for an unknown schedule', async () => {
    expect((await srv.call('POST', '/v1/schedules/sched_nope/run')).status).toBe(404);
    expect((await srv.call('GET', '/v1/schedules/sched_nope/history')).status).toBe(404);
  });
});

describe('a schedule that fires every second (on an injected clock; the runs are real)', () => {
  let p: PolicyServer;
  beforeAll(async () => {
    p = await policyServer({ time: new FakeTime('2026-03-01T12:00:00.500Z'), killGraceMs: 500 });
  });
  afterAll(async () => {
    await p.stop();
    removeDir(p.srv.dataDir);
  });

  it('produces one run per second with the expected output, and keeps last_run/next_run current', async () => {
    const s = await p.create({ cron: '* * * * * *', command: 'echo tick' });
    expect(s.next_run).toBe('2026-03-01T12:00:01Z');
    for (const at of ['12:00:01', '12:00:02', '12:00:03']) {
      p.time.advanceTo(`2026-03-01T${at}Z`);
      // Each fire's run ends before the clock moves on: no overlap, no skip.
      await p.settled(s.id, (await p.runs(s.id)).length);
    }
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: false });
    const runs = await p.settled(s.id, 3);
    for (const r of runs)
      expect(r).toMatchObject({ status: 'success', stdout: 'tick\n', trigger: 'schedule' });
    expect(runs.map((r) => r.scheduled_for)).toEqual([
      '2026-03-01T12:00:01Z',
      '2026-03-01T12:00:02Z',
      '2026-03-01T12:00:03Z',
    ]);
    const got = await p.get(s.id);
    expect(got.last_run?.at).toBe(runs[2]?.started_at);
    expect(got.next_run).toBeNull(); // disabled now
    p.time.advanceTo('2026-03-01T12:00:05.200Z');
    expect(await p.runs(s.id)).toHaveLength(3); // none while disabled

    const enabled = (await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: true })).json;
    expect(enabled.data.next_run).toBe('2026-03-01T12:00:06Z');
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: false });
  });

  it('records a skipped run when a fire comes while the previous run still runs', async () => {
    const s = await p.create({ cron: '* * * * * *', command: 'sleep 30' });
    p.time.advanceBy(1000);
    const [first] = await until(
      () => p.runs(s.id),
      (r) => r[0]?.status === 'running',
    );
    p.time.advanceBy(1000);
    const runs = await until(
      () => p.runs(s.id),
      (r) => r.length === 2,
    );
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: false });
    expect(runs.map((r) => r.status)).toEqual(['running', 'skipped']);
    expect(runs[1]?.stderr).toContain('still running');
    expect(runs[1]?.stderr).toContain(first?.command_id);
    await p.srv.call('DELETE', `/v1/commands/${first?.command_id}`);
    await p.settled(s.id, 2);
  });
});

describe('history', () => {
  let id: string;
  const started: string[] = [];

  beforeAll(async () => {
    id = (await create({ command: 'echo $RANDOM', overlap: 'allow' })).id;
    for (let i = 0; i < 5; i++) {
      const run = await finished((await runNow(id)).command_id);
      started.push(run.started_at);
    }
  });

  it('lists newest first with meta, and pages', async () => {
    const all = await srv.call('GET', `/v1/schedules/${id}/history`);
    expect(all.status).toBe(200);
    expect(all.json.meta).toEqual({ total: 5, limit: 20, offset: 0 });
    const page = await srv.call('GET', `/v1/schedules/${id}/history?limit=2&offset=1`);
    expect(page.json.meta).toEqual({ total: 5, limit: 2, offset: 1 });
    expect(page.json.data.map((r: { id: string }) => r.id)).toEqual(
      all.json.data.slice(1, 3).map((r: { id: string }) => r.id),
    );
    const times = all.json.data.map((r: { started_at: string }) => Date.parse(r.started_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by since (inclusive) and by status', async () => {
    const future = await srv.call('GET', `/v1/schedules/${id}/history?since=2999-01-01T00:00:00Z`);
    expect(future.json.data).toEqual([]);
    expect(future.json.meta.total).toBe(0);
    const fromFirst = await srv.call('GET', `/v1/schedules/${id}/history?since=${started[0]}`);
    expect(fromFirst.json.meta.total).toBe(5);
    const failures = await srv.call('GET', `/v1/schedules/${id}/history?status=failure`);
    expect(failures.json.meta.total).toBe(0);
  });

  it.each([
    ['since=yesterday', 'since'],
    ['limit=0', 'limit'],
    ['offset=x', 'offset'],
    ['status=great', 'status'],
  ])('rejects ?%s', async (query, field) => {
    const res = await srv.call('GET', `/v1/schedules/${id}/history?${query}`);
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details.fields)).toEqual([field]);
  });
});

describe('GET /v1/events', () => {
  it('streams run.started, run.output and run.finished to a fetch reader', async () => {
    const controller = new AbortController();
    const res = await fetch(`${srv.url}/v1/events`, {
      headers: { authorization: `Bearer ${srv.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const s = await create({ command: 'echo streamed' });
    const { command_id } = await runNow(s.id);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const end = Date.now() + 5000;
    while (!text.includes('event: run.finished') && Date.now() < end) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const events = text
      .split('\n\n')
      .filter((b) => b.includes('data: '))
      .map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)));
    const mine = events.filter(
      (e) => e.command_id === command_id || e.run?.command_id === command_id,
    );
    expect(mine.map((e) => e.type)).toEqual(['run.started', 'run.output', 'run.finished']);
    expect(mine[1]).toMatchObject({ stream: 'stdout', offset: 0, chunk: 'streamed\n' });
    expect(mine[2].run).toMatchObject({ status: 'success', stdout: 'streamed\n' });
    expect(events.some((e) => e.type === 'schedule.created' && e.schedule.id === s.id)).toBe(true);
  });

  it('needs the token', async () => {
    const res = await fetch(`${srv.url}/v1/events`);
    expect(res.status).toBe(401);
  });
});
