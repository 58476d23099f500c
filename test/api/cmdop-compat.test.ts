// Compatibility with Cmdop's public API: each request its docs show is replayed against the
// real server, and the answer is checked for the documented status, shape and headers — and
// against our OpenAPI document (the contract), so what we say and what we do cannot part.
// A client written against Cmdop's docs should work here unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS, shapeProblems } from '../fixtures/cmdop-docs';
import { openApiChecker } from '../helpers/openapi';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;
let machineId: string;
const check = openApiChecker();
/** Every answer of this suite, checked against the document at the end too. */
const answered: string[] = [];

/** A request, its answer checked against the OpenAPI document before anything else. */
async function call(
  method: string,
  path: string,
  body?: unknown,
  init?: { auth?: string | false },
) {
  const res = await srv.call(method, path, body, init);
  expect(check.problems(method, path, res.status, res.json), `${method} ${path}`).toEqual([]);
  answered.push(`${method} ${check.template(method, path)} ${res.status}`);
  return res;
}

function expectShape(documented: unknown, actual: unknown) {
  expect(shapeProblems(documented, actual)).toEqual([]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settled(commandId: string) {
  for (let i = 0; i < 400; i++) {
    const res = await call('GET', `/v1/commands/${commandId}`);
    if (res.json.data.status !== 'running') return res.json.data;
    await sleep(25);
  }
  throw new Error(`${commandId} still running`);
}

beforeAll(async () => {
  srv = await startTestServer({ killGraceMs: 500 });
  machineId = (await srv.call('GET', '/v1/machines/local')).json.data.id;
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

describe('API overview (Cmdop): envelope, errors, headers, pagination', () => {
  it('answers a list in {data, meta: {total, limit, offset}} with the rate-limit and request-id headers', async () => {
    const res = await call('GET', '/v1/machines?limit=10&offset=0');
    expect(res.status).toBe(200);
    expectShape(DOCS.overview.listMeta, res.json.meta);
    expect(res.json.meta).toMatchObject({ limit: 10, offset: 0 });
    for (const h of DOCS.overview.rateLimitHeaders) expect(res.headers.get(h)).toMatch(/^\d+$/);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('answers an unknown machine as the docs show: 404 not_found "Machine … not found"', async () => {
    const res = await call('GET', '/v1/machines/mach_abc123');
    expect(res.status).toBe(404);
    expectShape(DOCS.overview.errorEnvelope, res.json);
    expect(res.json.error.code).toBe('not_found');
    expect(res.json.error.message).toMatch(
      /^Machine mach_abc123 not found; the machines here are mach_/,
    );
    expect(res.json.error.details.machines).toEqual([machineId, 'local']);
  });

  it('answers a bad token with 401 unauthorized in the envelope', async () => {
    const res = await call('GET', '/v1/machines', undefined, { auth: 'cmdop_wrong' });
    expect(res.status).toBe(401);
    expectShape(DOCS.auth.invalidToken, res.json);
  });
});

describe('Schedules (Cmdop)', () => {
  let id: string;

  it("POST /schedules with the docs' own example: their machine is 404 not_found, this one creates", async () => {
    const docs = await call('POST', '/v1/schedules', DOCS.schedules.createBody);
    expect(docs.status).toBe(404);
    expect(docs.json.error.code).toBe('not_found');
    expect(docs.json.error.message).toContain('Machine mach_xyz789 not found');
    const body = { ...DOCS.schedules.createBody, machine_id: machineId };
    const res = await call('POST', '/v1/schedules', body);
    expect(res.status).toBe(201);
    expectShape(DOCS.schedules.get, res.json.data);
    expect(res.json.data).toMatchObject({
      name: 'Daily Backup',
      machine_id: machineId,
      timezone: 'America/New_York',
      enabled: true,
      notify: { on_success: false, on_failure: true },
    });
    id = res.json.data.id;
  });

  it('GET /schedules with its documented filters, and GET /schedules/:id', async () => {
    const list = await call(
      'GET',
      `/v1/schedules?machine_id=${machineId}&enabled=true&limit=20&offset=0`,
    );
    expect(list.status).toBe(200);
    expectShape(
      [DOCS.schedules.listItem],
      list.json.data.filter((s: any) => s.last_run),
    );
    expect(list.json.data.map((s: any) => s.id)).toContain(id);
    const one = await call('GET', `/v1/schedules/${id}`);
    expectShape(DOCS.schedules.get, one.json.data);
  });

  it('PATCH with the documented body', async () => {
    const res = await call('PATCH', `/v1/schedules/${id}`, DOCS.schedules.patchBody);
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ ...DOCS.schedules.patchBody, next_run: null });
  });

  it('runs now ({command_id, status: "running"}) and lists the run in its history', async () => {
    await call('PATCH', `/v1/schedules/${id}`, { command: 'echo backed up' });
    const started = await call('POST', `/v1/schedules/${id}/run`);
    expect(started.status).toBe(200);
    expectShape(DOCS.schedules.runNow, started.json.data);
    const command = await settled(started.json.data.command_id);
    expect(command.status).toBe('completed');
    const history = await call(
      'GET',
      `/v1/schedules/${id}/history?since=2024-01-01T00:00:00Z&limit=20`,
    );
    expectShape([DOCS.schedules.historyItem], history.json.data);
    expect(history.json.data[0]).toMatchObject({
      id: command.run_id,
      stdout: 'backed up\n',
      exit_code: 0,
    });
  });

  it('DELETE answers {deleted: true}', async () => {
    const res = await call('DELETE', `/v1/schedules/${id}`);
    expect(res.json.data).toEqual(DOCS.schedules.deleted);
  });
});

describe('Commands (Cmdop)', () => {
  it('POST /commands runs the documented command and answers when it ends', async () => {
    const docs = await call('POST', '/v1/commands', DOCS.commands.runBody);
    expect(docs.status).toBe(404);
    const res = await call('POST', '/v1/commands', {
      ...DOCS.commands.runBody,
      machine_id: machineId,
    });
    expect(res.status).toBe(200);
    expectShape(DOCS.commands.runAnswer, res.json.data);
    expect(res.json.data).toMatchObject({
      status: 'completed',
      machine_id: machineId,
      command: 'ls -la /var/log',
      exit_code: 0,
      stdout: expect.stringMatching(/^total \d+\n/),
    });
  });

  it('POST /commands/async answers {id, status: "running"} at once; GET /commands/:id follows it to completed', async () => {
    const body = {
      ...DOCS.commands.asyncBody,
      machine_id: machineId,
      command: 'sleep 0.3; echo Build successful',
    };
    const res = await call('POST', '/v1/commands/async', body);
    expect(res.status).toBe(200);
    expectShape(DOCS.commands.asyncAnswer, res.json.data);
    expect(res.json.data.status).toBe('running');
    expect(res.headers.get('location')).toBe(`/v1/commands/${res.json.data.id}`);
    const running = await call('GET', `/v1/commands/${res.json.data.id}`);
    expect(running.json.data).toMatchObject({
      status: 'running',
      exit_code: null,
      finished_at: null,
    });
    const done = await settled(res.json.data.id);
    expectShape(DOCS.commands.status, done);
    expect(done).toMatchObject({ status: 'completed', exit_code: 0, stdout: 'Build successful\n' });
  });

  it('DELETE /commands/:id cancels a running command: {cancelled: true}, then status cancelled', async () => {
    const { id } = (
      await call('POST', '/v1/commands/async', { machine_id: 'local', command: 'sleep 30' })
    ).json.data;
    const res = await call('DELETE', `/v1/commands/${id}`);
    expect(res.json.data).toEqual(DOCS.commands.cancelled);
    expect((await settled(id)).status).toBe('cancelled');
  });

  it('GET /machines/:id/commands is the command history, newest first', async () => {
    const res = await call('GET', `/v1/machines/${machineId}/commands?limit=20`);
    expect(res.status).toBe(200);
    expect(res.json.meta.total).toBeGreaterThanOrEqual(3);
    expectShape([DOCS.commands.runAnswer], res.json.data);
    expect(res.json.data[0].status).toBe('cancelled');
    const failed = await call('GET', `/v1/machines/local/commands?status=failed`);
    expect(failed.json.data).toEqual([]);
  });
});

describe('Machines (Cmdop)', () => {
  it('GET /machines?status=online&limit=10: the documented fields, Cmdop arch names', async () => {
    const res = await call('GET', `/v1/machines?${DOCS.machines.listQuery}`);
    expect(res.status).toBe(200);
    expectShape([DOCS.machines.listItem], res.json.data);
    expect(res.json.data).toHaveLength(1);
    expect(['amd64', 'arm64', '386', 'arm']).toContain(res.json.data[0].arch);
  });

  it('honours the documented filters (status, tags, search) instead of refusing them', async () => {
    const none = await call('GET', '/v1/machines?status=offline');
    expect(none.json.meta.total).toBe(0);
    expect((await call('GET', '/v1/machines?tags=local')).json.meta.total).toBe(1);
    expect((await call('GET', '/v1/machines?tags=local,production')).json.meta.total).toBe(0);
    const host = (await call('GET', '/v1/machines/local')).json.data.hostname as string;
    const search = await call(
      'GET',
      `/v1/machines?search=${encodeURIComponent(host.slice(0, 3).toUpperCase())}`,
    );
    expect(search.json.meta.total).toBe(1);
    const busted = await call('GET', '/v1/machines?status=online&tags=local&search=&_=1700000000');
    expect(busted.status).toBe(200);
    expect(busted.json.meta.warnings).toEqual([expect.stringContaining("'_' was ignored")]);
  });

  it('GET /machines/:id carries ip and agent_version; /status the CPU, memory and disk', async () => {
    const res = await call('GET', `/v1/machines/${machineId}`);
    expectShape(DOCS.machines.get, { ...res.json.data, ip: res.json.data.ip ?? '' });
    expect(res.json.data.agent_version).toBe('0.1.0');
    const status = await call('GET', `/v1/machines/${machineId}/status`);
    expectShape(DOCS.machines.status, status.json.data);
    const { cpu, memory, disk } = status.json.data;
    expect(cpu.usage).toBeGreaterThanOrEqual(0);
    expect(cpu.usage).toBeLessThanOrEqual(100);
    expect(memory.used + memory.free).toBe(memory.total);
    expect(disk.total).toBeGreaterThan(0);
    expect((await call('GET', '/v1/machines/mach_abc123/status')).status).toBe(404);
  });
});

describe('Authentication (Cmdop)', () => {
  it('GET /auth/me says who the token is: local, every permission', async () => {
    const res = await call('GET', '/v1/auth/me');
    expect(res.status).toBe(200);
    expectShape(DOCS.auth.me, res.json.data);
    expect(res.json.data).toMatchObject({ id: 'local', plan: 'local', auth: 'token' });
    expect(res.json.data.permissions).toEqual(expect.arrayContaining(DOCS.auth.me.permissions));
  });

  it('over the rate limit: 429 with error.retry_after and Retry-After, as the docs show', async () => {
    const limited = await startTestServer({ rateLimitPerMinute: 2 });
    try {
      await limited.call('GET', '/v1/auth/me');
      await limited.call('GET', '/v1/auth/me');
      const res = await limited.call('GET', '/v1/auth/me');
      expect(res.status).toBe(429);
      expectShape(DOCS.auth.rateLimited, res.json);
      expect(Number(res.headers.get('retry-after'))).toBe(res.json.error.retry_after);
      expect(check.problems('GET', '/v1/auth/me', 429, res.json)).toEqual([]);
    } finally {
      await limited.stop();
      removeDir(limited.dataDir);
    }
  });
});

describe('our extensions answer as the document says too', () => {
  it('settings, backups, batch, openapi.json and the connection test', async () => {
    expect((await call('GET', '/v1/settings')).status).toBe(200);
    expect((await call('PATCH', '/v1/settings', { paused: false })).status).toBe(200);
    expect((await call('POST', '/v1/settings/remote/test', {})).json.data.ok).toBe(false);
    expect((await call('POST', '/v1/backups')).status).toBe(201);
    expect((await call('GET', '/v1/backups')).status).toBe(200);
    const batch = await call('POST', '/v1/schedules/batch', {
      items: [{ name: 'b', machine_id: 'local', command: 'true', cron: '@daily' }],
    });
    expect(batch.status).toBe(201);
    expect((await call('GET', '/v1/openapi.json')).status).toBe(200);
    const bad = await call('POST', '/v1/schedules', { name: 'x' });
    expect(bad.status).toBe(400);
  });

  it('covered the Cmdop routes', () => {
    for (const route of [
      'GET /schedules 200',
      'POST /schedules 201',
      'GET /schedules/{id} 200',
      'PATCH /schedules/{id} 200',
      'DELETE /schedules/{id} 200',
      'POST /schedules/{id}/run 200',
      'GET /schedules/{id}/history 200',
      'POST /commands 200',
      'POST /commands/async 200',
      'GET /commands/{id} 200',
      'DELETE /commands/{id} 200',
      'GET /machines 200',
      'GET /machines/{id} 200',
      'GET /machines/{id}/status 200',
      'GET /machines/{id}/commands 200',
      'GET /auth/me 200',
    ]) {
      expect(answered).toContain(route);
    }
  });
});
