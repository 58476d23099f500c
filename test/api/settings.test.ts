// Settings (ours) over real HTTP: mute, pause, retention, token rotation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

describe('settings', () => {
  it('reads the defaults and the server facts', async () => {
    const res = await srv.call('GET', '/v1/settings');
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      notifications: { muted: false },
      // README, "Settings": retention "default: the last 1000 runs of each schedule, at most
      // 90 days old"; the local API's default port 7878 (README, `serve`).
      history: { max_runs: 1000, max_age_days: 90 },
      paused: false,
      paused_until: null,
      local_api: { enabled: false, port: 7878 },
      remote: {
        url: null,
        token_set: false,
        source: 'settings',
        connected: false,
        token_encrypted: false,
        token_unreadable: null,
      },
      server: { mode: 'headless', url: srv.url, token: srv.token, token_source: 'generated' },
      start_at_login: null,
      storage: { ok: true, problem: null },
    });
  });

  it('patches parts and keeps the rest; survives a restart', async () => {
    const res = await srv.call('PATCH', '/v1/settings', {
      notifications: { muted: true },
      history: { max_runs: 50 },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.notifications).toEqual({ muted: true });
    expect(res.json.data.history).toEqual({ max_runs: 50, max_age_days: 90 });
    const again = await srv.call('GET', '/v1/settings');
    expect(again.json.data.history.max_runs).toBe(50);
    await srv.call('PATCH', '/v1/settings', { notifications: { muted: false } });
  });

  it('mute silences notifications', async () => {
    await srv.call('PATCH', '/v1/settings', { notifications: { muted: true } });
    const s = (
      await srv.call('POST', '/v1/schedules', {
        name: 'Quiet',
        machine_id: 'local',
        command: 'exit 1',
        cron: '0 3 * * *',
      })
    ).json.data;
    await srv.call('POST', `/v1/schedules/${s.id}/run`);
    await new Promise((r) => setTimeout(r, 2500));
    expect(srv.notices.filter((n) => n.title.startsWith('Quiet'))).toEqual([]);
    await srv.call('PATCH', '/v1/settings', { notifications: { muted: false } });
  });

  it.each([
    [{ history: { max_runs: 0 } }, 'history.max_runs'],
    [{ history: { max_age_days: 'long' } }, 'history.max_age_days'],
    [{ paused: 'yes' }, 'paused'],
    [{ theme: 'dark' }, 'theme'],
    [{ local_api: { port: 80 } }, 'local_api.port'],
    [{ start_at_login: true }, 'start_at_login'],
  ])('rejects %j naming %s, and changes nothing', async (patch, field) => {
    const before = (await srv.call('GET', '/v1/settings')).json.data;
    const res = await srv.call('PATCH', '/v1/settings', patch);
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details.fields)).toEqual([field]);
    expect((await srv.call('GET', '/v1/settings')).json.data).toEqual(before);
  });

  it('rotates the token: the old one stops working at once', async () => {
    const old = srv.token;
    const res = await srv.call('POST', '/v1/settings/token/rotate');
    expect(res.status).toBe(200);
    const fresh = res.json.data.server.token;
    expect(fresh).not.toBe(old);
    expect(fresh.length).toBeGreaterThanOrEqual(43);
    expect((await srv.call('GET', '/v1/settings', undefined, { auth: old })).status).toBe(401);
    expect((await srv.call('GET', '/v1/settings', undefined, { auth: fresh })).status).toBe(200);
    srv.token = fresh;
  });

  it('cannot rotate a token that comes from the environment', async () => {
    const envSrv = await startTestServer({ envToken: 'x'.repeat(40) });
    const res = await envSrv.call('POST', '/v1/settings/token/rotate');
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('CMDOP_SCHEDULER_TOKEN');
    await envSrv.stop();
    removeDir(envSrv.dataDir);
  });
});
