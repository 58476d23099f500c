// The Schedules API over real HTTP: a real server on an ephemeral port, a temp data dir.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, removeDir, startTestServer, type TestServer } from '../helpers/server';

const REFERENCE_CREATE = {
  name: 'Daily Backup',
  machine_id: 'local',
  command: 'pg_dump mydb > /backup/db.sql',
  cron: '0 3 * * *',
  timezone: 'America/New_York',
  notify: { on_failure: true },
};

const SCHEDULE_KEYS = [
  'id',
  'name',
  'description',
  'machine_id',
  'command',
  'cron',
  'enabled',
  'timezone',
  'timeout',
  'notify',
  'next_run',
  'last_run',
  'created_at',
  'updated_at',
  'cwd',
  'env',
  'overlap',
  'catch_up',
  'retries',
  'retry_delay',
  'retry_backoff',
  'random_delay',
  'shell',
  'env_file',
  'paused_until',
  'run_on_battery',
  'next_retry_at',
  'retry_command_id',
  'running',
  'stats',
].sort();

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let srv: TestServer;
const clock = new FakeClock(Date.parse('2026-11-29T18:30:00Z'));

beforeAll(async () => {
  srv = await startTestServer({ clock });
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

async function create(body: Record<string, unknown> = {}) {
  const res = await srv.call('POST', '/v1/schedules', { ...REFERENCE_CREATE, ...body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.data;
}

async function total(): Promise<number> {
  return (await srv.call('GET', '/v1/schedules?limit=100')).json.meta.total;
}

describe('create, get, update, delete', () => {
  it('answers the reference create body with the reference shape and the defaults', async () => {
    const res = await srv.call('POST', '/v1/schedules', REFERENCE_CREATE);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const s = res.json.data;
    expect(Object.keys(s).sort()).toEqual(SCHEDULE_KEYS);
    expect(s.id).toMatch(/^sched_[0-9A-Za-z]+$/);
    expect(s.machine_id).toMatch(/^mach_[0-9A-Za-z]+$/);
    expect(s).toMatchObject({
      name: 'Daily Backup',
      description: '',
      command: 'pg_dump mydb > /backup/db.sql',
      cron: '0 3 * * *',
      enabled: true,
      timezone: 'America/New_York',
      timeout: null,
      notify: { on_success: false, on_failure: true },
      last_run: null,
      cwd: null,
      env: {},
      overlap: 'skip',
      catch_up: false,
      retries: 0,
      retry_delay: 60_000,
      retry_backoff: 2,
      random_delay: 0,
      shell: 'plain',
      env_file: null,
      paused_until: null,
      run_on_battery: true,
      next_retry_at: null,
      retry_command_id: null,
      running: false,
      created_at: '2026-11-29T18:30:00Z',
      updated_at: '2026-11-29T18:30:00Z',
    });
    // 03:00 in New York on Nov 30 (EST, UTC-5) is 08:00Z.
    expect(s.next_run).toBe('2026-11-30T08:00:00Z');
    expect(res.json.meta.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('defaults the time zone to UTC and merges a partial notify with the defaults', async () => {
    const s = await create({ timezone: undefined, notify: { on_success: true } });
    expect(s.timezone).toBe('UTC');
    expect(s.notify).toEqual({ on_success: true, on_failure: true });
    expect(s.next_run).toBe('2026-11-30T03:00:00Z');
  });

  it('accepts this machine by its id as well as by "local"', async () => {
    const machine = (await srv.call('GET', '/v1/machines/local')).json.data;
    const s = await create({ machine_id: machine.id });
    expect(s.machine_id).toBe(machine.id);
  });

  it('gets a schedule by id and 404s an unknown one', async () => {
    const s = await create({
      description: 'Backup production database every night',
      timeout: 300000,
    });
    const got = await srv.call('GET', `/v1/schedules/${s.id}`);
    expect(got.status).toBe(200);
    expect(got.json.data).toEqual(s);
    const missing = await srv.call('GET', '/v1/schedules/sched_nothere');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      error: { code: 'not_found', message: 'Schedule sched_nothere not found', details: {} },
    });
  });

  it('patches with the reference body: fields change, updated_at moves, next_run recomputes', async () => {
    const s = await create();
    clock.advance(60_000);
    const res = await srv.call('PATCH', `/v1/schedules/${s.id}`, {
      name: 'Updated Name',
      cron: '0 4 * * *',
      enabled: false,
    });
    expect(res.status).toBe(200);
    const p = res.json.data;
    expect(p).toMatchObject({ name: 'Updated Name', cron: '0 4 * * *', enabled: false });
    expect(p.next_run).toBeNull();
    expect(p.created_at).toBe(s.created_at);
    expect(p.updated_at).toBe('2026-11-29T18:31:00Z');

    const enabled = await srv.call('PATCH', `/v1/schedules/${s.id}`, { enabled: true });
    expect(enabled.json.data.next_run).toBe('2026-11-30T09:00:00Z');
    clock.advance(-60_000);
  });

  it('merges a patched notify with the stored one and can clear the timeout', async () => {
    const s = await create({ notify: { on_success: true, on_failure: false }, timeout: 5000 });
    const res = await srv.call('PATCH', `/v1/schedules/${s.id}`, {
      notify: { on_failure: true },
      timeout: null,
    });
    expect(res.json.data.notify).toEqual({ on_success: true, on_failure: true });
    expect(res.json.data.timeout).toBeNull();
  });

  it('deletes a schedule, then it is gone', async () => {
    const s = await create();
    const res = await srv.call('DELETE', `/v1/schedules/${s.id}`);
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ deleted: true });
    expect((await srv.call('GET', `/v1/schedules/${s.id}`)).status).toBe(404);
    expect((await srv.call('DELETE', `/v1/schedules/${s.id}`)).status).toBe(404);
    expect((await srv.call('PATCH', `/v1/schedules/${s.id}`, { name: 'x' })).status).toBe(404);
  });
});

describe('next_run in America/New_York on a fixed clock', () => {
  it('fires once at 03:30 EDT when 02:30 does not exist (spring forward)', async () => {
    const before = clock.ms;
    clock.set('2026-03-07T12:00:00Z');
    const s = await create({ cron: '30 2 * * *' });
    expect(s.next_run).toBe('2026-03-08T07:30:00Z');
    clock.set('2026-03-08T07:30:00Z');
    expect((await srv.call('GET', `/v1/schedules/${s.id}`)).json.data.next_run).toBe(
      '2026-03-09T06:30:00Z',
    );
    clock.ms = before;
  });

  it('is null when the schedule is disabled', async () => {
    const s = await create({ enabled: false });
    expect(s.next_run).toBeNull();
  });
});

describe('list', () => {
  let ids: string[] = [];
  let server: TestServer;

  beforeAll(async () => {
    const listClock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    server = await startTestServer({ clock: listClock });
    ids = [];
    for (let i = 0; i < 25; i++) {
      listClock.advance(1000);
      const res = await server.call('POST', '/v1/schedules', {
        ...REFERENCE_CREATE,
        name: `Job ${i}`,
        enabled: i % 5 !== 0,
      });
      ids.push(res.json.data.id);
    }
  });

  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  it('returns the first 20 in creation order with meta', async () => {
    const res = await server.call('GET', '/v1/schedules');
    expect(res.status).toBe(200);
    expect(res.json.meta).toEqual({ total: 25, limit: 20, offset: 0 });
    expect(res.json.data.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 20));
    expect(Object.keys(res.json.data[0]).sort()).toEqual(SCHEDULE_KEYS);
  });

  it('pages with limit and offset', async () => {
    const res = await server.call('GET', '/v1/schedules?limit=10&offset=20');
    expect(res.json.meta).toEqual({ total: 25, limit: 10, offset: 20 });
    expect(res.json.data.map((s: { id: string }) => s.id)).toEqual(ids.slice(20));
    const past = await server.call('GET', '/v1/schedules?offset=100');
    expect(past.json.data).toEqual([]);
    expect(past.json.meta.total).toBe(25);
  });

  it('filters by enabled', async () => {
    const off = await server.call('GET', '/v1/schedules?enabled=false');
    expect(off.json.meta.total).toBe(5);
    expect(off.json.data.every((s: { enabled: boolean }) => !s.enabled)).toBe(true);
    const on = await server.call('GET', '/v1/schedules?enabled=true&limit=100');
    expect(on.json.meta.total).toBe(20);
  });

  it('filters by machine: this machine by id or alias, an unknown one is empty', async () => {
    const machine = (await server.call('GET', '/v1/machines')).json.data[0];
    expect(
      (await server.call('GET', `/v1/schedules?machine_id=${machine.id}`)).json.meta.total,
    ).toBe(25);
    expect((await server.call('GET', '/v1/schedules?machine_id=local')).json.meta.total).toBe(25);
    const other = await server.call('GET', '/v1/schedules?machine_id=mach_other');
    expect(other.json).toEqual({ data: [], meta: { total: 0, limit: 20, offset: 0 } });
  });

  it.each([
    ['limit=0', 'limit', 'must be an integer between 1 and 100'],
    ['limit=101', 'limit', 'must be an integer between 1 and 100'],
    ['limit=abc', 'limit', 'must be an integer between 1 and 100'],
    ['offset=-1', 'offset', 'must be an integer >= 0'],
    ['offset=1.5', 'offset', 'must be an integer >= 0'],
    ['enabled=yes', 'enabled', 'must be true or false'],
    ['search=' + 'x'.repeat(201), 'search', 'at most 200 characters'],
  ])('rejects ?%s naming %s', async (query, field, rule) => {
    const res = await server.call('GET', `/v1/schedules?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_error');
    expect(res.json.error.details.fields[field]).toContain(rule);
    expect(res.json.error.message).toContain(field);
  });

  it('ignores unknown parameters (a cache-buster, a typo) and says so in meta.warnings', async () => {
    const res = await server.call('GET', '/v1/schedules?_=1700000000000&limt=5');
    expect(res.status).toBe(200);
    expect(res.json.meta.total).toBe(25);
    expect(res.json.meta.limit).toBe(20);
    expect(res.json.meta.warnings).toEqual([
      expect.stringMatching(/^unknown query parameter '_' was ignored \(this route takes .*limit/),
      expect.stringMatching(/^unknown query parameter 'limt' was ignored/),
    ]);
    // Known parameters keep their rules: an unknown one beside a bad one is still a 400.
    const bad = await server.call('GET', '/v1/schedules?_=1&limit=0');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.error.details.fields)).toEqual(['limit']);
  });

  it('searches names and commands, case-insensitively (Cmdop: ?search=)', async () => {
    await server.call('POST', '/v1/schedules', {
      ...REFERENCE_CREATE,
      name: 'Rotate LOGS',
      command: 'logrotate /etc/logrotate.conf',
    });
    const byName = await server.call('GET', '/v1/schedules?search=rotate%20logs');
    expect(byName.json.data.map((s: any) => s.name)).toEqual(['Rotate LOGS']);
    const byCommand = await server.call('GET', '/v1/schedules?search=LOGROTATE.CONF');
    expect(byCommand.json.meta.total).toBe(1);
    expect((await server.call('GET', '/v1/schedules?search=nothing-like-it')).json.meta.total).toBe(
      0,
    );
  });
});

describe('validation: 400 naming the field, nothing stored', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['bad cron', { cron: '61 * * * *' }, 'cron', 'minute must be 0-59, got 61'],
    ['too many cron fields', { cron: '* * * * * * *' }, 'cron', 'expected 5 or 6 fields'],
    ['unknown macro', { cron: '@reboot' }, 'cron', "unknown macro '@reboot'"],
    ['unknown zone', { timezone: 'Mars/Base' }, 'timezone', "unknown time zone 'Mars/Base'"],
    ['blank name', { name: '   ' }, 'name', 'must not be blank'],
    ['long name', { name: 'x'.repeat(201) }, 'name', 'at most 200 characters'],
    ['missing command', { command: undefined }, 'command', 'is required'],
    ['blank command', { command: ' ' }, 'command', 'must not be blank'],
    ['negative timeout', { timeout: -1 }, 'timeout', 'must be 1000..604800000 ms'],
    ['huge timeout', { timeout: 604800001 }, 'timeout', 'must be 1000..604800000 ms'],
    ['fractional timeout', { timeout: 1500.5 }, 'timeout', 'whole number'],
    ['enabled as string', { enabled: 'yes' }, 'enabled', 'must be a boolean, got string "yes"'],
    ['name as number', { name: 42 }, 'name', 'must be a string, got number 42'],
    ['notify as string', { notify: 'always' }, 'notify', 'must be an object'],
    [
      'unknown notify key',
      { notify: { on_start: true } },
      'notify.on_start',
      'is not a known field',
    ],
    ['unknown field', { colour: 'red' }, 'colour', 'is not a known field'],
    ['read-only id', { id: 'sched_mine' }, 'id', 'is read-only'],
    ['read-only next_run', { next_run: '2026-01-01T00:00:00Z' }, 'next_run', 'is read-only'],
    ['relative cwd', { cwd: 'backups' }, 'cwd', 'must be an absolute path'],
    ['bad env name', { env: { 'BAD-NAME': '1' } }, 'env.BAD-NAME', 'must be a variable name'],
    ['env value not a string', { env: { A: 1 } }, 'env.A', 'must be a string'],
    ['bad overlap', { overlap: 'queue' }, 'overlap', "must be 'skip' or 'allow'"],
  ];

  it.each(cases)('%s', async (_label, override, field, rule) => {
    const before = await total();
    const res = await srv.call('POST', '/v1/schedules', { ...REFERENCE_CREATE, ...override });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_error');
    expect(res.json.error.details.fields[field]).toContain(rule);
    expect(res.json.error.message).toContain(field);
    expect(await total()).toBe(before);
  });

  it('names every bad field at once', async () => {
    const res = await srv.call('POST', '/v1/schedules', {
      ...REFERENCE_CREATE,
      cron: '* * * * * * *',
      timezone: 'Mars/Base',
    });
    expect(res.json.error.details.fields).toEqual({
      cron: 'expected 5 or 6 fields, got 7',
      timezone: "unknown time zone 'Mars/Base'",
    });
  });

  it('refuses a body that is not an object', async () => {
    const res = await srv.call('POST', '/v1/schedules', [REFERENCE_CREATE]);
    expect(res.status).toBe(400);
    expect(res.json.error.details.fields.body).toBe('must be a JSON object, got an array');
  });

  it('rejects a bad patch and leaves the schedule as it was', async () => {
    const s = await create();
    for (const patch of [
      { cron: 'every day' },
      { created_at: 'now' },
      { enabled: 1 },
      { timeout: 10 },
    ]) {
      const res = await srv.call('PATCH', `/v1/schedules/${s.id}`, patch);
      expect(res.status).toBe(400);
      expect(Object.keys(res.json.error.details.fields)).toEqual(Object.keys(patch));
    }
    expect((await srv.call('GET', `/v1/schedules/${s.id}`)).json.data).toEqual(s);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const before = await total();
    const res = await srv.call('POST', '/v1/schedules', undefined, {
      raw: '{"name": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_json');
    expect(res.json.error.message).toMatch(/not valid JSON/);
    expect(await total()).toBe(before);
  });

  // README, "The local API": "`unsupported_media_type` (415, a body declared as something
  // other than JSON)".
  it.each([
    ['application/x-www-form-urlencoded', 'name=x'],
    ['text/plain', JSON.stringify(REFERENCE_CREATE)],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('refuses a %s body with 415 and creates nothing', async (type, raw) => {
    const before = await total();
    const res = await srv.call('POST', '/v1/schedules', undefined, {
      raw,
      headers: { 'content-type': type },
    });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe('unsupported_media_type');
    expect(await total()).toBe(before);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const before = await total();
    const res = await srv.call('POST', '/v1/schedules', {
      ...REFERENCE_CREATE,
      command: 'x'.repeat(1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
    expect(await total()).toBe(before);
  });
});

describe('machines', () => {
  it('lists this machine in the Cmdop shape', async () => {
    const res = await srv.call('GET', '/v1/machines');
    expect(res.status).toBe(200);
    expect(res.json.meta).toEqual({ total: 1, limit: 20, offset: 0 });
    const m = res.json.data[0];
    expect(Object.keys(m).sort()).toEqual(
      [
        ...['id', 'name', 'status', 'os', 'arch', 'hostname', 'ip', 'tags', 'agent_version'],
        ...['created_at', 'last_seen'],
      ].sort(),
    );
    // Cmdop's architecture names (Go's), not Node's: x64 is amd64.
    const arch = { x64: 'amd64', ia32: '386' }[process.arch as string] ?? process.arch;
    expect(m).toMatchObject({ status: 'online', os: 'linux', arch, agent_version: '0.1.0' });
    expect(m.ip === null || typeof m.ip === 'string').toBe(true);
    expect(m.created_at).toMatch(TIMESTAMP);
    expect(m.last_seen).toBe('2026-11-29T18:30:00Z');
  });

  it('gets it by id or by "local", and 404s others', async () => {
    const m = (await srv.call('GET', '/v1/machines')).json.data[0];
    expect((await srv.call('GET', `/v1/machines/${m.id}`)).json.data).toEqual(m);
    expect((await srv.call('GET', '/v1/machines/local')).json.data).toEqual(m);
    const other = await srv.call('GET', '/v1/machines/mach_other');
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('not_found');
  });
});

describe('auth and envelope', () => {
  it('401s without a token and with a wrong one', async () => {
    const none = await srv.call('GET', '/v1/schedules', undefined, { auth: false });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthorized');
    const wrong = await srv.call('GET', '/v1/schedules', undefined, { auth: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toBe('Invalid token');
    const before = await total();
    const post = await srv.call('POST', '/v1/schedules', REFERENCE_CREATE, { auth: 'nope' });
    expect(post.status).toBe(401);
    expect(await total()).toBe(before);
  });

  it('sends X-Request-Id and rate-limit headers', async () => {
    const a = await srv.call('GET', '/v1/schedules');
    const b = await srv.call('GET', '/v1/schedules');
    expect(a.headers.get('x-request-id')).toMatch(/^req_/);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    expect(a.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(Number(b.headers.get('x-ratelimit-remaining'))).toBe(
      Number(a.headers.get('x-ratelimit-remaining')) - 1,
    );
    expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThan(clock.ms / 1000);
    expect(a.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown routes with the error envelope', async () => {
    const res = await srv.call('GET', '/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({
      code: 'not_found',
      message: 'Route GET /v1/nothing not found',
      details: {},
    });
  });
});
