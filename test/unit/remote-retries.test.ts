// The remote proxy's promises (README, "Connecting to Cmdop"): "GETs are retried on
// 429/502/503 (honouring `Retry-After` and `X-RateLimit-Reset`); nothing else is retried;
// requests time out after 10 s." A real stub server on loopback answers; the waits between
// attempts are recorded through the injected sleep instead of being waited for.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import { RemoteService } from '../../src/core/remote';
import { startStubApi, type StubAnswer, type StubApi } from '../helpers/stub-api';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const ok: StubAnswer = { status: 200, body: JSON.stringify({ data: [], meta: { total: 0 } }) };
const status = (code: number, headers: Record<string, string> = {}): StubAnswer => ({
  status: code,
  headers,
  body: JSON.stringify({ error: { code: 'busy', message: 'try later', details: {} } }),
});

let stub: StubApi | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await stub?.close();
  stub = undefined;
});

async function remote(answers: StubAnswer[]) {
  stub = await startStubApi((_req, n) => answers[Math.min(n, answers.length) - 1] as StubAnswer);
  const waits: number[] = [];
  const service = new RemoteService(
    { url: stub.url, token: 'remote-token' },
    { sleep: async (ms) => void waits.push(ms), now: () => NOW },
  );
  return { service, waits, stub };
}

describe('the remote proxy retries GETs', () => {
  it.each([429, 502, 503])('retries a GET answered %i, and succeeds', async (code) => {
    const r = await remote([status(code), ok]);
    await expect(r.service.list({})).resolves.toMatchObject({ data: [] });
    expect(r.stub.requests.map((q) => q.method)).toEqual(['GET', 'GET']);
  });

  it('tries a GET four times in all (three retries), then passes the answer on', async () => {
    const r = await remote([status(503)]);
    const error = await r.service.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'busy' });
    expect(r.stub.requests).toHaveLength(4);
    // No header: a backoff that doubles.
    expect(r.waits).toEqual([250, 500, 1000]);
  });

  it('does not retry other errors (500, 404)', async () => {
    for (const code of [500, 404]) {
      const r = await remote([status(code), ok]);
      await expect(r.service.list({})).rejects.toMatchObject({ status: code });
      expect(r.stub.requests).toHaveLength(1);
      await r.stub.close();
    }
  });

  it('never retries a POST, PATCH or DELETE', async () => {
    const r = await remote([status(503)]);
    await expect(
      r.service.create({ name: 'x', machine_id: 'm', command: 'true', cron: '0 3 * * *' }),
    ).rejects.toMatchObject({ status: 503 });
    await expect(r.service.update('sched_x', { enabled: false })).rejects.toMatchObject({
      status: 503,
    });
    await expect(r.service.remove('sched_x')).rejects.toMatchObject({ status: 503 });
    expect(r.stub.requests.map((q) => q.method)).toEqual(['POST', 'PATCH', 'DELETE']);
    expect(r.waits).toEqual([]);
  });

  it('waits as long as Retry-After says, in seconds or as a date', async () => {
    const r = await remote([
      status(429, { 'retry-after': '2' }),
      status(429, { 'retry-after': new Date(NOW + 7000).toUTCString() }),
      ok,
    ]);
    await r.service.list({});
    expect(r.waits).toEqual([2000, 7000]);
  });

  it('waits until X-RateLimit-Reset (epoch seconds) when there is no Retry-After', async () => {
    const r = await remote([status(429, { 'x-ratelimit-reset': String(NOW / 1000 + 3) }), ok]);
    await r.service.list({});
    expect(r.waits).toEqual([3000]);
  });

  it('never waits more than 10 s for one retry, nor less than nothing', async () => {
    const r = await remote([
      status(429, { 'retry-after': '3600' }),
      status(429, { 'x-ratelimit-reset': String(NOW / 1000 - 60) }),
      ok,
    ]);
    await r.service.list({});
    expect(r.waits).toEqual([10_000, 0]);
  });
});

describe('the remote timeout', () => {
  it('gives every request 10 s, and names them when the remote does not answer', async () => {
    // The remote never answers; the 10 s timer is asked for, then made to ring at once.
    stub = await startStubApi(() => new Promise<StubAnswer>(() => {}) as unknown as StubAnswer);
    const timeout = AbortSignal.timeout.bind(AbortSignal);
    const asked: number[] = [];
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
      asked.push(ms);
      return timeout(1);
    });
    const service = new RemoteService({ url: stub.url, token: 't' });
    const error = await service.list({}).catch((e: unknown) => e);
    expect(asked).toEqual([10_000]);
    expect(error).toMatchObject({ status: 502, code: 'upstream_unavailable' });
    expect((error as Error).message).toContain('no answer within 10 s');
  });
});
