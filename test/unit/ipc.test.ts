// IPC validation against a real local service on a temp data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApi } from '../../src/main/app-api';
import { handleInvoke, registerIpc, type IpcMainLike } from '../../src/main/ipc';
import { BRIDGE_METHODS, type AppApiVerbs } from '../../src/shared/bridge';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

const APP = 'file:///app/out/renderer/index.html';
const trusted = (url: string) => url.startsWith(APP);
const BODY = { name: 'Via IPC', machine_id: 'local', command: 'echo ipc', cron: '0 3 * * *' };

let srv: TestServer;
let api: AppApiVerbs;

beforeAll(async () => {
  srv = await startTestServer();
  const { service, backups, alerts } = srv.headless.host;
  api = composeApi(
    service,
    srv.headless.settings,
    {
      createBatch: (input) => service.createBatch(input),
      listBackups: () => backups.listBackups(),
      createBackup: () => backups.createBackup(),
      restoreBackup: (id, options) => backups.restoreBackup(id, options),
    },
    alerts,
    srv.headless.host.fires,
    srv.headless.host.decisionQueries,
  );
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

const total = async () => (await api.list()).meta.total;

describe('IPC', () => {
  it('runs a valid call and returns the value', async () => {
    const res = await handleInvoke(api, 'create', [BODY], APP, trusted);
    expect(res).toMatchObject({ ok: true, value: { name: 'Via IPC', enabled: true } });
  });

  it.each([
    ['create', [{ ...BODY, cron: '61 * * * *' }], 'cron', 'minute must be 0-59, got 61'],
    ['create', [{ ...BODY, id: 'sched_x' }], 'id', 'is read-only'],
    ['create', ['not an object'], 'body', 'must be a JSON object'],
    ['update', [42, { name: 'x' }], 'id', 'must be a string, got number 42'],
    ['get', [], 'arguments', 'get takes 1 argument(s), got 0'],
    ['list', [{ limit: 1000 }], 'limit', 'between 1 and 100'],
    ['updateSettings', [{ paused: 'yes' }], 'paused', 'must be a boolean'],
    [
      'createBatch',
      [{ items: [BODY, { ...BODY, cron: '61 * * * *' }] }],
      'items.1.cron',
      'minute must be 0-59, got 61',
    ],
    ['restoreBackup', [42], 'id', 'must be a string, got number 42'],
    [
      'runCommand',
      [{ machine_id: 'local', command: 'true', timeout: 10 }],
      'timeout',
      'must be 1000..3600000 ms',
    ],
    [
      'startCommand',
      [{ machine_id: 'local', command: 'true', shell: 'zsh' }],
      'shell',
      'is not a known field',
    ],
    ['listCommands', ['local', { status: 'done' }], 'status', 'must be one of running, completed'],
    ['listMachines', [{ status: 'up' }], 'status', 'must be one of online, offline'],
    [
      'testNotify',
      ['sched_x', { notify: { webhook_url: 'gopher://x' } }],
      'notify.webhook_url',
      'must be an http:// or https:// URL',
    ],
    ['cronFires', [{ cron: '30 2 * * *', count: 1001 }], 'count', 'between 1 and 1000'],
    ['cronFires', [{ cron: '30 2 * * *', timezone: 'Mars/Base' }], 'timezone', 'unknown'],
    ['cronFires', [{ cron: '@daily', schedule_id: 'x' }], 'schedule_id', 'must be a schedule id'],
    ['cronFires', ['30 2 * * *'], 'body', 'must be a JSON object'],
    ['scheduleFires', ['sched_x', { from: 'yesterday' }], 'from', 'must be an ISO 8601'],
  ])(
    'refuses a bad %s payload with a validation error; nothing changes',
    async (verb, args, field, rule) => {
      const before = await total();
      const settingsBefore = await api.getSettings();
      const res = await handleInvoke(api, verb, args, APP, trusted);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.status).toBe(400);
      expect(res.error.code).toBe('validation_error');
      expect(res.error.details.fields?.[field]).toContain(rule);
      expect(await total()).toBe(before);
      expect(await api.getSettings()).toEqual(settingsBefore);
    },
  );

  it("answers the fire preview with the engine's fires, the DST marker included", async () => {
    const body = {
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      from: '2026-03-07T12:00:00Z',
      count: 2,
    };
    const res = await handleInvoke(api, 'cronFires', [body], APP, trusted);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const { data } = res.value as { data: { local: string; dst: string | null }[] };
    expect(data.map((f) => [f.local, f.dst])).toEqual([
      ['2026-03-08T03:30:00', 'moved'],
      ['2026-03-09T02:30:00', null],
    ]);
    const created = await api.create({ ...BODY, cron: '30 2 * * *', timezone: 'America/New_York' });
    const saved = await handleInvoke(api, 'scheduleFires', [created.id, body], APP, trusted);
    // The unknown `cron` key in a query is refused as over HTTP; a proper query is answered.
    expect(saved).toMatchObject({ ok: false, status: 400 });
    const ok = await handleInvoke(
      api,
      'scheduleFires',
      [created.id, { from: body.from, count: 2 }],
      APP,
      trusted,
    );
    expect(ok).toMatchObject({
      ok: true,
      value: { data: data.map((f) => expect.objectContaining(f)) },
    });
  });

  it('refuses a call from a page that is not the app, and runs nothing', async () => {
    const before = await total();
    const res = await handleInvoke(api, 'create', [BODY], 'https://evil.example/', trusted);
    expect(res).toEqual({
      ok: false,
      status: 403,
      error: { code: 'forbidden', message: expect.stringContaining('refused'), details: {} },
    });
    expect(await handleInvoke(api, 'list', [], '', trusted)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await total()).toBe(before);
  });

  it('carries API errors across with their code and status', async () => {
    const res = await handleInvoke(api, 'get', ['sched_missing'], APP, trusted);
    expect(res).toEqual({
      ok: false,
      status: 404,
      error: { code: 'not_found', message: 'Schedule sched_missing not found', details: {} },
    });
  });

  it('refuses an unknown verb', async () => {
    const res = await handleInvoke(api, 'eval', ['1+1'], APP, trusted);
    expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('registers one channel per verb and unregisters them', () => {
    const channels: string[] = [];
    const removed: string[] = [];
    const ipc: IpcMainLike = {
      handle: (c) => channels.push(c),
      removeHandler: (c) => removed.push(c),
    };
    const off = registerIpc(ipc, api, trusted);
    expect(channels).toEqual(BRIDGE_METHODS.map((m) => `cmdop:${m}`));
    off();
    expect(removed).toEqual(channels);
  });
});
