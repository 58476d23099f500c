// The typed HTTP client (browser UI, CLI, remote proxy) against a real node:http server on
// loopback: what each verb sends, which answers it passes on and which become a 502 naming
// the host, and which requests it retries and how long it waits (through the injected sleep
// and clock, never the wall clock).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import {
  retryDelay,
  SchedulesHttpClient,
  type HttpClientOptions,
} from '../../src/shared/http-client';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

const NOW = Date.parse('2026-05-01T12:00:00Z');
const ok = (data: unknown, extra: object = {}): Answer => ({
  body: JSON.stringify({ data, ...extra }),
});

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server?.close(r));
    server = undefined;
  }
});

/** A server answering from `answers` in turn (the last one again when they run out). */
async function serve(answers: (Answer | 'hang')[], options: Partial<HttpClientOptions> = {}) {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answers[Math.min(seen.length, answers.length) - 1];
      if (a === 'hang' || a === undefined) return;
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const waits: number[] = [];
  let token = 'tok-1';
  const client = new SchedulesHttpClient({
    baseUrl: `http://127.0.0.1:${port}/v1`,
    token: () => token,
    sleep: async (ms) => void waits.push(ms),
    now: () => NOW,
    ...options,
  });
  return { client, seen, waits, port, setToken: (t: string) => (token = t) };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('what each verb sends', () => {
  it('schedules: paths, methods, ids encoded, bodies as JSON', async () => {
    const s = await serve([ok({ id: 'sched_1' })]);
    const input = { name: 'n', machine_id: 'm', command: 'true', cron: '0 3 * * *' };
    expect(await s.client.get('a/b c')).toEqual({ id: 'sched_1' });
    expect(await s.client.create(input)).toEqual({ id: 'sched_1' });
    await s.client.update('s 1', { enabled: false });
    await s.client.remove('s/1');
    await s.client.runNow('s?1');
    expect(s.seen.map((q) => `${q.method} ${q.url} ${q.body}`)).toEqual([
      'GET /v1/schedules/a%2Fb%20c ',
      `POST /v1/schedules ${JSON.stringify(input)}`,
      'PATCH /v1/schedules/s%201 {"enabled":false}',
      'DELETE /v1/schedules/s%2F1 ',
      'POST /v1/schedules/s%3F1/run ',
    ]);
  });

  it('sends the token, asks for JSON, and says JSON only when there is a body', async () => {
    const s = await serve([ok({})]);
    await s.client.get('x');
    s.setToken('tok-2');
    await s.client.create({ name: 'n', machine_id: 'm', command: 'c', cron: '* * * * *' });
    const [get, post] = s.seen;
    expect(get?.headers.authorization).toBe('Bearer tok-1');
    expect(get?.headers.accept).toBe('application/json');
    expect(get?.headers['content-type']).toBeUndefined();
    // A rotated token is used at once.
    expect(post?.headers.authorization).toBe('Bearer tok-2');
    expect(post?.headers['content-type']).toBe('application/json');
  });

  it('lists pass their query on, leaving out empty and undefined parameters', async () => {
    const s = await serve([{ body: '{"data":[],"meta":{"total":0}}' }]);
    expect(
      await s.client.list({ enabled: true, limit: 5, search: '', machine_id: undefined }),
    ).toEqual({ data: [], meta: { total: 0 } });
    await s.client.list();
    await s.client.history('sched 1', { status: 'failure', offset: 0 });
    await s.client.history('sched_2');
    await s.client.listCommands('m 1', { status: 'running' });
    await s.client.listCommands('m2');
    await s.client.listMachines({ tags: 'a,b' });
    await s.client.listMachines();
    await s.client.decisions('s 1', { limit: 2 });
    await s.client.decisions('s2');
    expect(s.seen.map((q) => `${q.method} ${q.url}`)).toEqual([
      'GET /v1/schedules?enabled=true&limit=5',
      'GET /v1/schedules',
      'GET /v1/schedules/sched%201/history?status=failure&offset=0',
      'GET /v1/schedules/sched_2/history',
      'GET /v1/machines/m%201/commands?status=running',
      'GET /v1/machines/m2/commands',
      'GET /v1/machines?tags=a%2Cb',
      'GET /v1/machines',
      'GET /v1/schedules/s%201/decisions?limit=2',
      'GET /v1/schedules/s2/decisions',
    ]);
  });

  it('commands, machines, identity and the decision at a time: one object each', async () => {
    const s = await serve([ok({ id: 'x' })]);
    expect(await s.client.getCommand('cmd 1')).toEqual({ id: 'x' });
    expect(await s.client.startCommand({ machine_id: 'm', command: 'c' })).toEqual({ id: 'x' });
    expect(await s.client.cancelCommand('cmd/1')).toEqual({ id: 'x' });
    expect(await s.client.getMachine('m 1')).toEqual({ id: 'x' });
    expect(await s.client.getMachineStatus('m/1')).toEqual({ id: 'x' });
    expect(await s.client.whoami()).toEqual({ id: 'x' });
    expect(await s.client.decisionAt('s 1', { time: '2026-05-01T12:00:00Z' })).toEqual({
      id: 'x',
    });
    expect(await s.client.runCommand({ machine_id: 'm', command: 'c' })).toEqual({ id: 'x' });
    expect(s.seen.map((q) => `${q.method} ${q.url} ${q.body}`)).toEqual([
      'GET /v1/commands/cmd%201 ',
      'POST /v1/commands/async {"machine_id":"m","command":"c"}',
      'DELETE /v1/commands/cmd%2F1 ',
      'GET /v1/machines/m%201 ',
      'GET /v1/machines/m%2F1/status ',
      'GET /v1/auth/me ',
      'GET /v1/schedules/s%201/decisions/at?time=2026-05-01T12%3A00%3A00Z ',
      'POST /v1/commands {"machine_id":"m","command":"c"}',
    ]);
  });

  it("sends a command body it cannot read as is, and passes the server's refusal on", async () => {
    const refusal = {
      error: { code: 'validation_error', message: 'Invalid request', details: {} },
    };
    const s = await serve([{ status: 400, body: JSON.stringify(refusal) }]);
    const e = await failure(s.client.runCommand(null as never));
    expect(e).toMatchObject({ code: 'validation_error', status: 400 });
    expect(s.seen.map((q) => `${q.method} ${q.url} ${q.body}`)).toEqual(['POST /v1/commands null']);
  });

  it('the fire previews answer without the request id of their HTTP exchange', async () => {
    const meta = { cron: '0 3 * * *', count: 1, request_id: 'req_1', warnings: ['w'] };
    const s = await serve([ok([{ at: 'a' }], { meta })]);
    const expected = {
      data: [{ at: 'a' }],
      meta: { cron: '0 3 * * *', count: 1, warnings: ['w'] },
    };
    expect(await s.client.scheduleFires('s 1', { count: 1 })).toEqual(expected);
    expect(await s.client.scheduleFires('s2')).toEqual(expected);
    expect(await s.client.cronFires({ cron: '0 3 * * *' })).toEqual(expected);
    expect(s.seen.map((q) => `${q.method} ${q.url} ${q.body}`)).toEqual([
      'GET /v1/schedules/s%201/fires?count=1 ',
      'GET /v1/schedules/s2/fires ',
      'POST /v1/cron/fires {"cron":"0 3 * * *"}',
    ]);
  });

  it('a base URL with trailing slashes still makes one slash', async () => {
    const s = await serve([ok({})]);
    const client = new SchedulesHttpClient({
      baseUrl: `http://127.0.0.1:${s.port}/v1//`,
      token: () => 't',
    });
    expect(client.host).toBe(`127.0.0.1:${s.port}`);
    await client.whoami();
    expect(s.seen[0]?.url).toBe('/v1/auth/me');
  });
});

describe('answers that are not the API', () => {
  it("passes the server's own error on with its code, message and status", async () => {
    const body = { error: { code: 'not_found', message: 'Schedule x not found', details: {} } };
    const s = await serve([{ status: 404, body: JSON.stringify(body) }]);
    const e = await failure(s.client.get('x'));
    expect(e).toMatchObject({ code: 'not_found', status: 404, message: 'Schedule x not found' });
  });

  it('a failure without an error body is a 502 naming the host and the status', async () => {
    for (const body of ['', '{"message":"oops"}']) {
      const s = await serve([{ status: 500, body }]);
      const e = await failure(s.client.get('x'));
      const host = `127.0.0.1:${s.port}`;
      expect(e).toMatchObject({ code: 'upstream_unavailable', status: 502 });
      expect(e.message).toBe(`${host} answered HTTP 500 without an error body`);
      expect(e.details).toEqual({ host, status: 500 });
      await new Promise((r) => server?.close(r));
    }
  });

  it('a body that is not JSON is a 502 naming the host and the status', async () => {
    const s = await serve([{ status: 200, body: '<html>proxy</html>' }]);
    const e = await failure(s.client.get('x'));
    const host = `127.0.0.1:${s.port}`;
    expect(e.message).toBe(`${host} answered HTTP 200 with a body that is not JSON`);
    expect(e.details).toEqual({ host });
    expect(e.status).toBe(502);
  });

  it('a success without the {"data": …} envelope is a 502', async () => {
    for (const body of ['', '5', 'null', '"data"', '{"items":[]}']) {
      const s = await serve([{ status: 200, body }]);
      const e = await failure(s.client.whoami());
      const host = `127.0.0.1:${s.port}`;
      expect(e.message, body).toBe(`${host} answered without the expected {"data": …} envelope`);
      expect(e.details).toEqual({ host });
      expect(e.code).toBe('upstream_unavailable');
      await new Promise((r) => server?.close(r));
    }
  });

  it('a server that is not there is a 502 saying why, without the token', async () => {
    const s = await serve([ok({})]);
    await new Promise((r) => server?.close(r));
    const e = await failure(s.client.get('x'));
    const host = `127.0.0.1:${s.port}`;
    expect(e.message).toBe(`${host} is unreachable: connect ECONNREFUSED ${host}`);
    expect(e.message).not.toContain('tok-1');
    expect(e).toMatchObject({ code: 'upstream_unavailable', status: 502, details: { host } });
  });

  it('a transport failure without a cause gives its own message', async () => {
    const client = new SchedulesHttpClient({
      baseUrl: 'http://cmdop.invalid/v1',
      token: () => 't',
      fetch: async () => {
        throw new TypeError('socket hang up');
      },
    });
    const e = await failure(client.get('x'));
    expect(e.message).toBe('cmdop.invalid is unreachable: socket hang up');
  });
});

describe('timeouts', () => {
  /** Makes every request's timer ring at once, recording the length asked for. */
  function ringAtOnce() {
    const asked: number[] = [];
    const timeout = AbortSignal.timeout.bind(AbortSignal);
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
      asked.push(ms);
      return timeout(1);
    });
    return asked;
  }

  it('gives a request 10 s by default, or the client timeout, and says so', async () => {
    const s = await serve(['hang']);
    const asked = ringAtOnce();
    const e = await failure(s.client.get('x'));
    expect(e.message).toBe(`127.0.0.1:${s.port} is unreachable: no answer within 10 s`);
    const t = await serve(['hang'], { timeoutMs: 2500 });
    expect((await failure(t.client.get('x'))).message).toContain('no answer within 2.5 s');
    expect(asked).toEqual([10_000, 2500]);
  });

  it('a synchronous command waits its own timeout plus 15 s, at least the client timeout', async () => {
    const s = await serve(['hang']);
    const asked = ringAtOnce();
    const sync = await failure(s.client.runCommand({ machine_id: 'm', command: 'c' }));
    expect(sync.message).toContain('no answer within 75 s');
    await failure(s.client.runCommand({ machine_id: 'm', command: 'c', timeout: 1000 }));
    const slow = await serve(['hang'], { timeoutMs: 100_000 });
    await failure(slow.client.runCommand({ machine_id: 'm', command: 'c', timeout: 1000 }));
    await failure(slow.client.runCommand({ machine_id: 'm', command: 'c', timeout: 120_000 }));
    expect(asked).toEqual([75_000, 16_000, 100_000, 135_000]);
  });
});

describe('retries', () => {
  const busy = (status: number, headers: Record<string, string> = {}): Answer => ({
    status,
    headers,
    body: JSON.stringify({ error: { code: 'rate_limited', message: 'busy', details: {} } }),
  });

  it('retries a GET on 429/502/503 three times by default, backing off, then passes it on', async () => {
    const s = await serve([busy(429), busy(502), busy(503), busy(503)]);
    const e = await failure(s.client.get('x'));
    expect(e.status).toBe(503);
    expect(s.seen).toHaveLength(4);
    expect(s.waits).toEqual([250, 500, 1000]);
  });

  it('succeeds on a retry', async () => {
    const s = await serve([busy(503), ok({ id: 'x' })]);
    expect(await s.client.get('x')).toEqual({ id: 'x' });
    expect(s.seen.map((q) => q.method)).toEqual(['GET', 'GET']);
  });

  it('takes the number of retries and the longest wait from the options', async () => {
    const s = await serve([busy(429, { 'retry-after': '60' })], {
      retries: 1,
      maxRetryWaitMs: 5000,
    });
    await failure(s.client.list());
    expect(s.seen).toHaveLength(2);
    expect(s.waits).toEqual([5000]);
  });

  it('never waits more than 10 s by default', async () => {
    const s = await serve([busy(429, { 'retry-after': '3600' }), ok([])]);
    await s.client.list();
    expect(s.waits).toEqual([10_000]);
  });

  it('retries nothing but GETs, and no other statuses', async () => {
    const s = await serve([busy(503)]);
    await failure(s.client.create({ name: 'n', machine_id: 'm', command: 'c', cron: '* * * * *' }));
    await failure(s.client.remove('x'));
    expect(s.seen.map((q) => q.method)).toEqual(['POST', 'DELETE']);
    const t = await serve([busy(500), ok({})]);
    expect((await failure(t.client.get('x'))).status).toBe(500);
    expect(t.seen).toHaveLength(1);
    expect(t.waits).toEqual([]);
  });

  it('without an injected sleep and clock, waits on the timers until Retry-After', async () => {
    // Only setTimeout and Date are faked: the server and fetch run on real I/O.
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'], now: NOW });
    try {
      const retryAt = new Date(NOW + 5000).toUTCString();
      const s = await serve([busy(503, { 'retry-after': retryAt }), ok({ id: 'x' })], {
        sleep: undefined,
        now: undefined,
      });
      const answer = s.client.get('x');
      const turns = async (n: number) => {
        for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
      };
      while (s.seen.length === 0) await turns(1);
      await turns(50);
      vi.advanceTimersByTime(4999);
      await turns(50);
      expect(s.seen).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(await answer).toEqual({ id: 'x' });
      expect(s.seen).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('retries an answer without a body stream from a custom fetch', async () => {
    const statuses = [503, 200];
    const waits: number[] = [];
    const client = new SchedulesHttpClient({
      baseUrl: 'http://cmdop.invalid/v1',
      token: () => 't',
      sleep: async (ms) => void waits.push(ms),
      fetch: async () => {
        const status = statuses.shift() ?? 500;
        return status === 200
          ? new Response('{"data":{"id":"x"}}')
          : new Response(null, { status });
      },
    });
    expect(await client.get('x')).toEqual({ id: 'x' });
    expect(waits).toEqual([250]);
  });

  it('waits for real when no sleep is given', async () => {
    const s = await serve([busy(503, { 'retry-after': '0' }), ok({ id: 'x' })], {
      sleep: undefined,
      now: undefined,
    });
    expect(await s.client.get('x')).toEqual({ id: 'x' });
    expect(s.seen).toHaveLength(2);
  });
});

describe('retryDelay', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it('reads Retry-After in seconds, never below zero', () => {
    expect(retryDelay(headers({ 'retry-after': '2' }), 0, NOW)).toBe(2000);
    expect(retryDelay(headers({ 'retry-after': '0.5' }), 0, NOW)).toBe(500);
    expect(retryDelay(headers({ 'retry-after': '-3' }), 0, NOW)).toBe(0);
  });

  it('reads Retry-After as a date, never in the past', () => {
    const at = (ms: number) => headers({ 'retry-after': new Date(ms).toUTCString() });
    expect(retryDelay(at(NOW + 7000), 0, NOW)).toBe(7000);
    expect(retryDelay(at(NOW - 7000), 0, NOW)).toBe(0);
  });

  it('falls back to X-RateLimit-Reset (epoch seconds), never in the past', () => {
    expect(retryDelay(headers({ 'x-ratelimit-reset': String(NOW / 1000 + 3) }), 0, NOW)).toBe(3000);
    expect(retryDelay(headers({ 'x-ratelimit-reset': String(NOW / 1000 - 3) }), 0, NOW)).toBe(0);
    // A Retry-After that is neither seconds nor a date is passed over.
    expect(
      retryDelay(
        headers({ 'retry-after': 'soon', 'x-ratelimit-reset': String(NOW / 1000 + 4) }),
        0,
        NOW,
      ),
    ).toBe(4000);
  });

  it('else backs off from 250 ms, doubling', () => {
    expect([0, 1, 2, 3].map((a) => retryDelay(headers({}), a, NOW))).toEqual([
      250, 500, 1000, 2000,
    ]);
    expect(retryDelay(headers({ 'retry-after': 'soon' }), 1, NOW)).toBe(500);
    expect(retryDelay(headers({ 'x-ratelimit-reset': 'soon' }), 2, NOW)).toBe(1000);
  });
});
