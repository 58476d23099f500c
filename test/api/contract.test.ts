// One suite, written once against SchedulesApi, run against each implementation and
// transport: the local service in-process and the HTTP client over the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulesApi } from '../../src/shared/api';
import { toRun } from '../../src/shared/cmdop-command';
import { ApiError } from '../../src/shared/errors';
import type { ApiEvent } from '../../src/shared/events';
import { HttpApi, parseSse } from '../../src/renderer/src/api/http';
import { SchedulesHttpClient } from '../../src/shared/http-client';
import { formatTimestamp } from '../../src/shared/time';
import { openApiChecker } from '../helpers/openapi';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;
/** Real time, except while a test holds it still: `last_seen` is "now", and two calls that
 * straddle a millisecond would otherwise differ in it. */
let frozenAt: number | undefined;
const clock = { now: () => frozenAt ?? Date.now() };

beforeAll(async () => {
  srv = await startTestServer({ clock });
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

const BODY = { name: 'Contract', machine_id: 'local', command: 'echo contract', cron: '0 3 * * *' };

async function settle(api: SchedulesApi, commandId: string) {
  for (let i = 0; i < 200; i++) {
    // Cmdop's command shape; the run view of it keeps our precise status.
    const run = toRun(await api.getCommand(commandId));
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('still running');
}

/** Every answer the checked client gets, held against the OpenAPI document. */
const checker = openApiChecker();
const checked: string[] = [];
const violations: string[] = [];
const checkedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const text = await res.clone().text();
  const method = init?.method ?? 'GET';
  checked.push(`${method} ${checker.template(method, url.pathname)} ${res.status}`);
  violations.push(
    ...checker.problems(
      method,
      `${url.pathname}${url.search}`,
      res.status,
      text ? JSON.parse(text) : undefined,
    ),
  );
  return res;
};

const implementations: [string, () => SchedulesApi][] = [
  ['LocalService (in-process)', () => srv.headless.host.service],
  ['HttpApi (renderer transport over HTTP)', () => new HttpApi(srv.url, () => srv.token)],
  [
    'the HTTP client, every answer checked against the OpenAPI document',
    () =>
      new SchedulesHttpClient({
        baseUrl: `${srv.url}/v1`,
        token: () => srv.token,
        fetch: checkedFetch,
      }),
  ],
];

describe.each(implementations)('%s', (_name, make) => {
  it('creates, gets, lists, updates and removes with the same shapes', async () => {
    const api = make();
    const created = await api.create(BODY);
    expect(created).toMatchObject({ name: 'Contract', enabled: true, timezone: 'UTC' });
    expect(await api.get(created.id)).toEqual(created);
    const list = await api.list({ limit: 100 });
    expect(list.data.map((s) => s.id)).toContain(created.id);
    expect(list.meta.limit).toBe(100);
    const updated = await api.update(created.id, { enabled: false });
    expect(updated.next_run).toBeNull();
    expect(await api.remove(created.id)).toEqual({ deleted: true });
  });

  it('runs now, reads the command and the history', async () => {
    const api = make();
    const s = await api.create(BODY);
    const started = await api.runNow(s.id);
    expect(started.status).toBe('running');
    const run = await settle(api, started.command_id);
    expect(run).toMatchObject({ status: 'success', stdout: 'contract\n' });
    const history = await api.history(s.id, { limit: 5 });
    expect(history.data[0]?.id).toBe(run.id);
    expect(history.meta).toEqual({ total: 1, limit: 5, offset: 0 });
    await expect(api.cancelCommand(started.command_id)).rejects.toMatchObject({
      code: 'not_running',
    });
    await api.remove(s.id);
  });

  it('fails with ApiError naming the fields', async () => {
    const api = make();
    const error = await api.create({ ...BODY, cron: '61 * * * *' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'validation_error',
      status: 400,
      details: { fields: { cron: 'minute must be 0-59, got 61' } },
    });
    await expect(api.get('sched_missing')).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
    });
  });

  it('runs ad-hoc commands, lists them, and reads the machine status', async () => {
    const api = make();
    const done = await api.runCommand({ machine_id: 'local', command: 'echo adhoc; exit 2' });
    expect(done).toMatchObject({
      status: 'failed',
      run_status: 'failure',
      exit_code: 2,
      stdout: 'adhoc\n',
    });
    const started = await api.startCommand({ machine_id: 'local', command: 'sleep 0.1' });
    expect(started).toEqual({
      id: started.command_id,
      status: 'running',
      command_id: started.command_id,
      run_id: started.run_id,
    });
    expect(await settle(api, started.id)).toMatchObject({
      status: 'success',
      command: 'sleep 0.1',
    });
    const list = await api.listCommands('local', { status: 'failed' });
    expect(list.data.map((c) => c.id)).toContain(done.id);
    expect((await api.getMachineStatus('local')).cpu.cores).toBeGreaterThan(0);
    await expect(api.listCommands('mach_nowhere')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists this machine', async () => {
    const api = make();
    frozenAt = Date.now();
    try {
      const machines = await api.listMachines();
      expect(machines.meta.total).toBe(1);
      expect(await api.getMachine('local')).toEqual(machines.data[0]);
      expect(machines.data[0]?.last_seen).toBe(formatTimestamp(frozenAt));
    } finally {
      frozenAt = undefined;
    }
  });
});

describe('the live answers and the OpenAPI document', () => {
  it('every answer above, success or error, conformed to the document', () => {
    expect(violations).toEqual([]);
    // The suite went through every verb: successes and refusals alike were checked.
    for (const seen of [
      'POST /schedules 201',
      'POST /schedules 400',
      'GET /schedules/{id} 404',
      'GET /commands/{id} 200',
      'DELETE /commands/{id} 409',
      'POST /commands 200',
      'POST /commands/async 200',
      'GET /machines/{id}/commands 200',
      'GET /machines/{id}/commands 404',
      'GET /machines/{id}/status 200',
    ]) {
      expect(checked).toContain(seen);
    }
  });
});

describe('HttpApi events', () => {
  it('delivers engine events through fetch streaming', async () => {
    const api = new HttpApi(srv.url, () => srv.token);
    const states: string[] = [];
    api.onConnectionChange((s) => states.push(s));
    const events: ApiEvent[] = [];
    const unsubscribe = api.subscribe((e) => events.push(e));
    for (let i = 0; i < 100 && !states.includes('online'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const s = await api.create(BODY);
    await settle(api, (await api.runNow(s.id)).command_id);
    for (let i = 0; i < 100 && !events.some((e) => e.type === 'run.finished'); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    unsubscribe();
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['schedule.created', 'run.started', 'run.output', 'run.finished']),
    );
    expect(states[0]).toBe('connecting');
  });

  it('reports an unreachable server as upstream_unavailable', async () => {
    const api = new HttpApi('http://127.0.0.1:9', () => 'x');
    await expect(api.list()).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('parses SSE blocks split across chunks and ignores comments', () => {
    const got: ApiEvent[] = [];
    let rest = parseSse(
      ': connected\n\nid: 1\nevent: schedule.deleted\ndata: {"type":"schedule.del',
      (e) => got.push(e),
    );
    rest = parseSse(`${rest}eted","id":"sched_1"}\n\n: keep-alive\n\n`, (e) => got.push(e));
    expect(got).toEqual([{ type: 'schedule.deleted', id: 'sched_1' }]);
    expect(rest).toBe('');
  });
});
