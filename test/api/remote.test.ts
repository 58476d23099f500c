// Two real headless servers on loopback, A connected to B as its Cmdop API: every operation
// on B's machine through A gives what B gives directly, and B's runs execute on B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/types';
import { until } from '../helpers/policies';
import { startStubApi } from '../helpers/stub-api';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let a: TestServer;
let b: TestServer;
let machineA: string;
let machineB: string;
/** Every body A answered, to prove B's token never leaks. */
const seen: string[] = [];

const body = (name: string, machine: string, extra: Record<string, unknown> = {}) => ({
  name,
  machine_id: machine,
  command: 'echo "on $(basename "$PWD")"',
  cron: '0 3 * * *',
  ...extra,
});

async function viaA(method: string, path: string, payload?: unknown) {
  const res = await a.call(method, path, payload);
  seen.push(JSON.stringify(res.json));
  return res;
}

async function settle(server: TestServer, commandId: string) {
  for (let i = 0; i < 200; i++) {
    const res = await server.call('GET', `/v1/commands/${commandId}`);
    if (res.json.data.status !== 'running') return res.json.data;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('still running');
}

beforeAll(async () => {
  b = await startTestServer();
  a = await startTestServer({ remote: { url: `${b.url}/v1`, token: b.token } });
  machineA = (await a.call('GET', '/v1/machines/local')).json.data.id;
  machineB = (await b.call('GET', '/v1/machines/local')).json.data.id;
  for (const n of ['A1', 'A2']) await a.call('POST', '/v1/schedules', body(n, 'local'));
  for (const n of ['B1', 'B2', 'B3']) {
    await b.call('POST', '/v1/schedules', body(n, 'local', { enabled: n !== 'B2' }));
  }
});

afterAll(async () => {
  await a.stop();
  await b.stop().catch(() => {});
  removeDir(a.dataDir);
  removeDir(b.dataDir);
  for (const text of seen) expect(text).not.toContain(b.token);
  for (const line of a.log.lines) expect(line).not.toContain(b.token);
});

describe('A connected to B', () => {
  it('lists this machine first, then the remote ones', async () => {
    const res = await viaA('GET', '/v1/machines');
    expect(res.json.data.map((m: { id: string }) => m.id)).toEqual([machineA, machineB]);
    expect(res.json.meta).toEqual({ total: 2, limit: 20, offset: 0 });
    const second = await viaA('GET', '/v1/machines?limit=1&offset=1');
    expect(second.json.data.map((m: { id: string }) => m.id)).toEqual([machineB]);
    expect((await viaA('GET', `/v1/machines/${machineB}`)).json.data.id).toBe(machineB);
  });

  it('merges both lists with one total, local first, and pages across them', async () => {
    const all = await viaA('GET', '/v1/schedules');
    expect(all.json.meta).toEqual({ total: 5, limit: 20, offset: 0 });
    expect(all.json.data.map((s: { name: string }) => s.name)).toEqual([
      'A1',
      'A2',
      'B1',
      'B2',
      'B3',
    ]);
    const page = await viaA('GET', '/v1/schedules?limit=2&offset=1');
    expect(page.json.data.map((s: { name: string }) => s.name)).toEqual(['A2', 'B1']);
    expect(page.json.meta).toEqual({ total: 5, limit: 2, offset: 1 });
    const tail = await viaA('GET', '/v1/schedules?limit=2&offset=4');
    expect(tail.json.data.map((s: { name: string }) => s.name)).toEqual(['B3']);
    const enabled = await viaA('GET', '/v1/schedules?enabled=false');
    expect(enabled.json.data.map((s: { name: string }) => s.name)).toEqual(['B2']);
    expect(enabled.json.meta.total).toBe(1);
  });

  it('with a machine filter asks only the owner and answers as B does', async () => {
    const viaRouter = await viaA('GET', `/v1/schedules?machine_id=${machineB}&limit=2&offset=1`);
    const direct = await b.call('GET', '/v1/schedules?limit=2&offset=1');
    expect(viaRouter.json).toEqual(direct.json);
    const local = await viaA('GET', `/v1/schedules?machine_id=${machineA}`);
    expect(local.json.meta.total).toBe(2);
  });

  it('creates, gets, patches, runs, reads history and deletes on B', async () => {
    const created = await viaA(
      'POST',
      '/v1/schedules',
      body('Remote job', machineB, { cwd: b.dataDir }),
    );
    expect(created.status).toBe(201);
    const id = created.json.data.id;
    expect(created.json.data.machine_id).toBe(machineB);
    expect((await b.call('GET', `/v1/schedules/${id}`)).json.data).toEqual(created.json.data);
    expect(
      (await a.call('GET', '/v1/schedules?machine_id=local&limit=100')).json.data,
    ).not.toContainEqual(expect.objectContaining({ id }));

    const got = await viaA('GET', `/v1/schedules/${id}`);
    expect(got.json.data).toEqual((await b.call('GET', `/v1/schedules/${id}`)).json.data);

    const patched = await viaA('PATCH', `/v1/schedules/${id}`, { cron: '0 4 * * *' });
    expect(patched.json.data.cron).toBe('0 4 * * *');
    expect((await b.call('GET', `/v1/schedules/${id}`)).json.data).toEqual(patched.json.data);

    const started = await viaA('POST', `/v1/schedules/${id}/run`);
    expect(started.json.data.status).toBe('running');
    const commandId = started.json.data.command_id;
    const run = await settle(b, commandId); // B knows it: it ran there
    expect(run.stdout).toBe(`on ${b.dataDir.split('/').pop()}\n`);
    expect((await viaA('GET', `/v1/commands/${commandId}`)).json.data).toEqual(run);

    const history = await viaA('GET', `/v1/schedules/${id}/history?limit=5`);
    expect(history.json).toEqual((await b.call('GET', `/v1/schedules/${id}/history?limit=5`)).json);
    expect(history.json.data[0].id).toBe(run.run_id);

    expect((await viaA('DELETE', `/v1/schedules/${id}`)).json.data).toEqual({ deleted: true });
    expect((await b.call('GET', `/v1/schedules/${id}`)).status).toBe(404);
  });

  it('cancels a run on B, and passes B’s errors through unchanged', async () => {
    const id = (
      await viaA('POST', '/v1/schedules', body('Sleeper', machineB, { command: 'sleep 30' }))
    ).json.data.id;
    const { command_id } = (await viaA('POST', `/v1/schedules/${id}/run`)).json.data;
    expect((await viaA('DELETE', `/v1/commands/${command_id}`)).json.data).toEqual({
      cancelled: true,
    });
    expect((await settle(b, command_id)).status).toBe('cancelled');
    const again = await viaA('DELETE', `/v1/commands/${command_id}`);
    const direct = await b.call('DELETE', `/v1/commands/${command_id}`);
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual(direct.json.error);
    const bad = await viaA('POST', '/v1/schedules', body('Bad', machineB, { cron: '61 * * * *' }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.fields).toEqual({ cron: 'minute must be 0-59, got 61' });
    await viaA('DELETE', `/v1/schedules/${id}`);
  });

  it('gives the same answers through A’s SchedulesApi (the router)', async () => {
    const router = a.headless.host.router;
    const [first] = (await b.call('GET', '/v1/schedules')).json.data;
    expect(await router.get(first.id)).toEqual(first);
    const list = await router.list({ machine_id: machineB });
    expect(list).toEqual({
      data: (await b.call('GET', '/v1/schedules')).json.data,
      meta: { total: 3, limit: 20, offset: 0 },
    });
    expect((await router.listMachines()).data.map((m) => m.id)).toEqual([machineA, machineB]);
  });

  it("runs ad-hoc commands on B, lists B's commands and reads B's status, all through A", async () => {
    const done = await viaA('POST', '/v1/commands', { machine_id: machineB, command: 'echo on B' });
    expect(done.status).toBe(200);
    expect(done.json.data).toMatchObject({
      status: 'completed',
      machine_id: machineB,
      stdout: 'on B\n',
    });
    // B ran it: B knows it, A does not (and finds it at B by its id).
    expect((await b.call('GET', `/v1/commands/${done.json.data.id}`)).json.data.stdout).toBe(
      'on B\n',
    );
    expect((await a.call('GET', `/v1/machines/${machineA}/commands`)).json.meta.total).toBe(0);
    expect((await viaA('GET', `/v1/commands/${done.json.data.id}`)).json.data.id).toBe(
      done.json.data.id,
    );
    const started = await viaA('POST', '/v1/commands/async', {
      machine_id: machineB,
      command: 'true',
    });
    expect(started.json.data.status).toBe('running');
    const list = await viaA('GET', `/v1/machines/${machineB}/commands`);
    expect(list.json.data.map((c: { id: string }) => c.id)).toContain(done.json.data.id);
    const status = await viaA('GET', `/v1/machines/${machineB}/status`);
    expect(status.json.data).toMatchObject({ connected: true, cpu: { cores: expect.any(Number) } });
    // Filters reach both sides: B's machine carries the tag `local` too.
    const tagged = await viaA('GET', '/v1/machines?tags=local&status=online');
    expect(tagged.json.meta.total).toBe(2);
    expect((await viaA('GET', '/v1/machines?status=offline')).json.meta.total).toBe(0);
  });

  it('never shows the remote token in settings', async () => {
    const res = await viaA('GET', '/v1/settings');
    expect(res.json.data.remote).toMatchObject({ connected: true, token_set: true, source: 'cli' });
    expect(JSON.stringify(res.json)).not.toContain(b.token);
  });
});

describe('a connection made in settings', () => {
  it('tests, saves (token write-only, 0600), connects, and disconnects', async () => {
    const c = await startTestServer();
    const url = `${b.url}/v1`;
    const wrong = await c.call('POST', '/v1/settings/remote/test', {
      url,
      token: 'wrong-token-value',
    });
    expect(wrong.json.data).toEqual({
      ok: false,
      message: `a Cmdop-compatible API at ${url} refused the token: Invalid token`,
      kind: 'unknown',
      url,
    });
    const right = await c.call('POST', '/v1/settings/remote/test', { url, token: b.token });
    // auth/me says who answered: here another Cmdop Scheduler.
    expect(right.json.data).toEqual({
      ok: true,
      message: `Connected to another Cmdop Scheduler at ${url}: 1 machine`,
      machines: 1,
      kind: 'cmdop-scheduler',
      url,
    });
    // A bare address is probed at /api/v1, then /v1: B answers under /v1.
    const bare = await c.call('POST', '/v1/settings/remote/test', { url: b.url, token: b.token });
    expect(bare.json.data).toMatchObject({ ok: true, kind: 'cmdop-scheduler', url });

    const bad = await c.call('PATCH', '/v1/settings', { remote: { url: 'http://example.com/v1' } });
    expect(bad.json.error.details.fields).toEqual({
      'remote.url': 'must use https (plain http is accepted for 127.0.0.1 only)',
    });

    const saved = await c.call('PATCH', '/v1/settings', { remote: { url, token: b.token } });
    expect(saved.json.data.remote).toEqual({
      url,
      token_set: true,
      source: 'settings',
      connected: true,
      token_encrypted: false,
      token_unreadable: null,
    });
    expect(JSON.stringify(saved.json)).not.toContain(b.token);
    const { statSync } = await import('node:fs');
    expect(statSync(`${c.dataDir}/cmdop-api-token`).mode & 0o777).toBe(0o600);
    expect((await c.call('GET', '/v1/machines')).json.meta.total).toBe(2);

    const off = await c.call('PATCH', '/v1/settings', { remote: { token: null } });
    expect(off.json.data.remote).toMatchObject({ token_set: false, connected: false });
    expect((await c.call('GET', '/v1/machines')).json.meta.total).toBe(1);
    for (const line of c.log.lines) expect(line).not.toContain(b.token);
    await c.stop();
    removeDir(c.dataDir);
  });
});

describe('B stopped', () => {
  it('keeps A’s local schedules firing and answering; remote calls are 502 with the host', async () => {
    const remoteId = (await b.call('GET', '/v1/schedules')).json.data[0].id;
    await b.stop();
    const host = new URL(b.url).host;

    const tick = (
      await viaA(
        'POST',
        '/v1/schedules',
        body('Local tick', 'local', { cron: '* * * * * *', command: 'echo tick' }),
      )
    ).json.data;
    // Real fires on the real clock: wait for one that has finished (the newest run of an
    // every-second job may still be starting, with no output yet).
    const runs = await until(
      async () => (await viaA('GET', `/v1/schedules/${tick.id}/history`)).json.data as Run[],
      (list) => list.some((r) => r.status === 'success'),
    );
    expect(runs.find((r) => r.status === 'success')?.stdout).toBe('tick\n');
    await viaA('PATCH', `/v1/schedules/${tick.id}`, { enabled: false });

    const remote = await viaA('GET', `/v1/schedules/${remoteId}`);
    expect(remote.status).toBe(502);
    expect(remote.json.error.code).toBe('upstream_unavailable');
    expect(remote.json.error.message).toContain(host);
    expect(remote.json.error.details.host).toBe(host);

    const list = await viaA('GET', '/v1/schedules?limit=100');
    expect(list.status).toBe(200);
    expect(list.json.data.map((s: { name: string }) => s.name)).toEqual(['A1', 'A2', 'Local tick']);
    expect(list.json.meta.total).toBe(3);
    expect(list.json.meta.warnings).toEqual([
      expect.stringContaining(`The Cmdop API at ${host} could not be reached`),
    ]);
    const machines = await viaA('GET', '/v1/machines');
    expect(machines.json.data.map((m: { id: string }) => m.id)).toEqual([machineA]);
    expect(machines.json.meta.warnings).toHaveLength(1);
  });
});

describe('finding a self-hosted Cmdop', () => {
  it('probes a bare address at /api/v1 with auth/me and says what answered', async () => {
    const identity = {
      id: 'user_abc123',
      email: 'ops@example.com',
      name: 'Ops',
      plan: 'pro',
      permissions: ['machines:read', 'schedules:write'],
    };
    const stub = await startStubApi((req) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/api/v1/auth/me')
        return { status: 200, body: JSON.stringify({ data: identity }) };
      if (path === '/api/v1/machines') {
        return {
          status: 200,
          body: JSON.stringify({ data: [], meta: { total: 3, limit: 1, offset: 0 } }),
        };
      }
      return { status: 404, body: '<html>not here</html>' };
    });
    const bare = stub.url.replace(/\/v1$/, '');
    const c = await startTestServer();
    const res = await c.call('POST', '/v1/settings/remote/test', { url: bare, token: 'cmdop_tok' });
    expect(res.json.data).toEqual({
      ok: true,
      message: `Connected to a self-hosted Cmdop at ${bare}/api/v1 as ops@example.com: 3 machines`,
      machines: 3,
      kind: 'self-hosted',
      url: `${bare}/api/v1`,
    });
    expect(stub.requests[0]).toMatchObject({
      path: '/api/v1/auth/me',
      authorization: 'Bearer cmdop_tok',
    });
    // Nothing at all under the address: said plainly, no connection claimed.
    const nothing = await c.call('POST', '/v1/settings/remote/test', {
      url: `${bare}/elsewhere/v1`,
      token: 'cmdop_tok',
    });
    expect(nothing.json.data.ok).toBe(false);
    expect(nothing.json.data.message).toContain(`No Cmdop API answered at ${bare}/elsewhere/v1`);
    // A token without a URL connects nothing: there is no default URL.
    expect(
      (await c.call('POST', '/v1/settings/remote/test', { token: 'cmdop_tok' })).json.data,
    ).toEqual({
      ok: false,
      message:
        'No URL is set for the Cmdop connection: Cmdop cloud https://api.cmdop.com/v1, or a self-hosted https://HOST/api/v1',
    });
    await c.stop();
    await stub.close();
    removeDir(c.dataDir);
  });

  it('a token from CMDOP_API_TOKEN without --remote-url connects nothing, and says why', async () => {
    const c = await startTestServer({ remote: { token: 'cmdop_tok' } });
    expect((await c.call('GET', '/v1/settings')).json.data.remote).toMatchObject({
      url: null,
      token_set: true,
      connected: false,
    });
    expect(c.log.lines.join('\n')).toContain(
      'a Cmdop API token is set but no URL, so nothing is connected: pass --remote-url',
    );
    await c.stop();
    removeDir(c.dataDir);
  });
});

describe('a misbehaving remote', () => {
  const schedule = { id: 'sched_remote1', name: 'Remote', machine_id: 'mach_remote' };

  it('retries GETs answered 429 with Retry-After, and succeeds', async () => {
    const stub = await startStubApi((_req, n) =>
      n === 1
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: JSON.stringify({
              error: { code: 'rate_limited', message: 'slow down', details: {} },
            }),
          }
        : { status: 200, body: JSON.stringify({ data: schedule }) },
    );
    const srv = await startTestServer({
      remote: { url: stub.url, token: 'remote-secret-token-123' },
    });
    // The wait itself (Retry-After, X-RateLimit-Reset, the cap) is pinned on an injected
    // sleep in test/unit/remote-retries.test.ts; here: the proxy retries, then answers.
    const res = await srv.call('GET', '/v1/schedules/sched_remote1');
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual(schedule);
    expect(stub.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(stub.requests[0]?.authorization).toBe('Bearer remote-secret-token-123');
    await srv.stop();
    await stub.close();
    removeDir(srv.dataDir);
  });

  it('does not retry a POST: the 429 comes back as the remote sent it', async () => {
    const stub = await startStubApi(() => ({
      status: 429,
      headers: { 'retry-after': '1' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'slow down', details: {} } }),
    }));
    const srv = await startTestServer({
      remote: { url: stub.url, token: 'remote-secret-token-123' },
    });
    const res = await srv.call('POST', '/v1/schedules/sched_remote1/run');
    expect(res.status).toBe(429);
    expect(res.json.error).toEqual({ code: 'rate_limited', message: 'slow down', details: {} });
    expect(stub.requests).toHaveLength(1);
    await srv.stop();
    await stub.close();
    removeDir(srv.dataDir);
  });

  it('answers malformed JSON with a clear 502 and caches nothing', async () => {
    let broken = true;
    const stub = await startStubApi(() =>
      broken
        ? { status: 200, body: '{"data": {"id": ' }
        : { status: 200, body: JSON.stringify({ data: schedule }) },
    );
    const srv = await startTestServer({
      remote: { url: stub.url, token: 'remote-secret-token-123' },
    });
    const res = await srv.call('GET', '/v1/schedules/sched_remote1');
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('upstream_unavailable');
    expect(res.json.error.message).toBe(
      `${new URL(stub.url).host} answered HTTP 200 with a body that is not JSON`,
    );
    expect(JSON.stringify(res.json)).not.toContain('remote-secret-token-123');
    broken = false;
    expect((await srv.call('GET', '/v1/schedules/sched_remote1')).json.data).toEqual(schedule);
    for (const line of srv.log.lines) expect(line).not.toContain('remote-secret-token-123');
    await srv.stop();
    await stub.close();
    removeDir(srv.dataDir);
  });
});
