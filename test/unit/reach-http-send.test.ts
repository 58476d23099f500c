// One alert attempt against a real receiver on 127.0.0.1: the outcome a caller records and
// logs (status, the reason in words with the URL scrubbed, whether to retry, Retry-After).
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { sendOnce } from '../../src/core/alerts/http-send';
import { startReceiver, type Answer, type Receiver } from '../helpers/receiver';

const open: Receiver[] = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

async function receiver(answer: Answer | ((n: number) => Answer)): Promise<Receiver> {
  const r = await startReceiver((_req, n) => (typeof answer === 'function' ? answer(n) : answer));
  open.push(r);
  return r;
}

describe('sendOnce', () => {
  it('a 2xx is sent: ok, its status, no error, nothing to retry', async () => {
    const r = await receiver(204);
    const result = await sendOnce({ method: 'GET', url: `${r.url}/ping` });
    expect(result).toEqual({ ok: true, status_code: 204, error: null, retryable: false });
    expect(r.received[0]?.headers['user-agent']).toBe('Cmdop-Scheduler');
    expect(r.received[0]?.headers['content-type']).toBeUndefined();
    expect(r.received[0]?.method).toBe('GET');
  });

  it('a POST carries its JSON body with a JSON content type', async () => {
    const r = await receiver(200);
    const result = await sendOnce({ method: 'POST', url: r.url, body: '{"a":1}' });
    expect(result.ok).toBe(true);
    expect(r.received[0]?.method).toBe('POST');
    expect(r.received[0]?.headers['content-type']).toBe('application/json');
    expect(r.received[0]?.json).toEqual({ a: 1 });
  });

  it('a refusal says what the receiver said, whitespace folded, and is not retried', async () => {
    const r = await receiver({ status: 400, body: '  invalid\n\n   token  ' });
    expect(await sendOnce({ method: 'GET', url: r.url })).toEqual({
      ok: false,
      status_code: 400,
      error: 'HTTP 400: invalid token',
      retryable: false,
    });
  });

  it('a refusal with an empty body is just its status', async () => {
    const r = await receiver({ status: 404, body: '' });
    const result = await sendOnce({ method: 'GET', url: r.url });
    expect(result.error).toBe('HTTP 404');
  });

  it('keeps only the first 200 characters of a long refusal', async () => {
    const r = await receiver({ status: 403, body: 'x'.repeat(70_000) });
    const result = await sendOnce({ method: 'GET', url: r.url });
    expect(result.error).toBe(`HTTP 403: ${'x'.repeat(200)}`);
  });

  it('never repeats the URL (a secret) in the error', async () => {
    const r = await receiver({ status: 400, body: '' });
    const url = `${r.url}/hook/T0/SECRET`;
    const echo = await receiver({ status: 400, body: `bad hook ${url}` });
    const secret = `${echo.url}/hook/T0/SECRET`;
    const result = await sendOnce({ method: 'GET', url: secret });
    expect(result.error).toMatch(/^HTTP 400: bad hook /);
    expect(result.error).not.toContain('SECRET');
  });

  it('does not follow a redirect, and says so', async () => {
    const r = await receiver({ status: 302, headers: { location: 'http://example.com/' } });
    const result = await sendOnce({ method: 'GET', url: r.url });
    expect(result).toEqual({
      ok: false,
      status_code: 302,
      error: 'HTTP 302: a redirect, which alerts do not follow: use the address it points to',
      retryable: false,
    });
    expect(r.received).toHaveLength(1);
  });

  it.each([
    [500, true],
    [503, true],
    [408, true],
    [429, true],
    [499, false],
    [409, false],
    [300, false],
  ])('HTTP %i is retryable: %s', async (status, retryable) => {
    const r = await receiver({ status, body: 'no' });
    const result = await sendOnce({ method: 'GET', url: r.url });
    expect(result.ok).toBe(false);
    expect(result.retryable).toBe(retryable);
  });

  it('a 399 is still a redirect, a 199-free 200 is sent', async () => {
    const r = await receiver({ status: 399, body: 'x' });
    expect((await sendOnce({ method: 'GET', url: r.url })).error).toMatch(/a redirect/);
    const ok = await receiver({ status: 200, body: 'x' });
    expect((await sendOnce({ method: 'GET', url: ok.url })).ok).toBe(true);
  });

  it('a 299 is sent, a 400 is not a redirect', async () => {
    const r = await receiver({ status: 299, body: 'x' });
    expect((await sendOnce({ method: 'GET', url: r.url })).ok).toBe(true);
    const bad = await receiver({ status: 400, body: 'x' });
    expect((await sendOnce({ method: 'GET', url: bad.url })).error).toBe('HTTP 400: x');
  });

  it.each([
    ['120', { retryAfterMs: 120_000 }],
    ['0', { retryAfterMs: 0 }],
    ['Wed, 21 Oct 2026 07:28:00 GMT', { retryAtMs: Date.parse('2026-10-21T07:28:00Z') }],
    ['soon', {}],
    ['  ', {}],
  ])('Retry-After %j becomes %j', async (value, expected) => {
    const r = await receiver({ status: 429, body: '', headers: { 'retry-after': value } });
    const result = await sendOnce({ method: 'GET', url: r.url });
    const { retryAfterMs, retryAtMs } = result;
    expect(JSON.parse(JSON.stringify({ retryAfterMs, retryAtMs }))).toEqual(expected);
  });

  it('without Retry-After there is no wait to obey', async () => {
    const r = await receiver({ status: 503, body: '' });
    const result = await sendOnce({ method: 'GET', url: r.url });
    expect('retryAfterMs' in result || 'retryAtMs' in result).toBe(false);
  });

  it('a receiver that never answers times out, retryably, in words', async () => {
    const r = await receiver('hang');
    const result = await sendOnce({ method: 'GET', url: r.url }, { timeoutMs: 150 });
    expect(result).toEqual({
      ok: false,
      status_code: null,
      error: 'no answer within 0.15 s',
      retryable: true,
    });
  });

  it('waits for a slow receiver by default (the 10 s limit)', async () => {
    const r = await receiver({ status: 200, delayMs: 150 });
    expect((await sendOnce({ method: 'GET', url: r.url })).ok).toBe(true);
  });

  it('the app stopping cancels the attempt, which is not retried', async () => {
    const r = await receiver('hang');
    const stop = new AbortController();
    const pending = sendOnce({ method: 'GET', url: r.url }, { signal: stop.signal });
    await r.waitFor(1);
    stop.abort();
    expect(await pending).toEqual({
      ok: false,
      status_code: null,
      error: 'cancelled: the app is stopping',
      retryable: false,
    });
  });

  it('a refused connection names the error code, not the URL, and is retried', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/hook/SECRET`;
    const result = await sendOnce({ method: 'GET', url });
    expect(result.ok).toBe(false);
    expect(result.status_code).toBeNull();
    expect(result.retryable).toBe(true);
    expect(result.error).toMatch(/^ECONNREFUSED: /);
    expect(result.error).not.toContain('SECRET');
  });

  it('an address fetch cannot use is described by its message', async () => {
    const result = await sendOnce({ method: 'GET', url: 'notaurl' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/\S/);
    expect(result.error).not.toBe('undefined');
    expect(result.retryable).toBe(true);
  });
});
