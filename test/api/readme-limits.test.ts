// Numbers the README promises about the local API, each written against the documented
// value (literal numbers, the README line named next to each test), not the source constant.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { FakeClock, removeDir, startTestServer, tempDir, type TestServer } from '../helpers/server';

let srv: TestServer;
const clock = new FakeClock(Date.parse('2026-04-01T10:00:00Z'));

beforeAll(async () => {
  srv = await startTestServer({ clock });
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

const CREATE = { name: 'Limits', machine_id: 'local', command: 'true', cron: '0 3 * * *' };

/** CREATE as JSON padded with spaces to exactly `bytes` bytes. */
function bodyOf(bytes: number): string {
  const json = JSON.stringify(CREATE);
  return json.slice(0, -1) + ' '.repeat(bytes - Buffer.byteLength(json)) + '}';
}

describe('the request body limit', () => {
  // README, "The local API": "`payload_too_large` (413, bodies over 1 MiB)".
  it('takes a body of exactly 1 MiB and refuses one byte more with 413', async () => {
    const headers = { 'content-type': 'application/json' };
    const at = await srv.call('POST', '/v1/schedules', undefined, {
      raw: bodyOf(1024 * 1024),
      headers,
    });
    expect(at.status).toBe(201);
    const over = await srv.call('POST', '/v1/schedules', undefined, {
      raw: bodyOf(1024 * 1024 + 1),
      headers,
    });
    expect(over.status).toBe(413);
    expect(over.json.error.code).toBe('payload_too_large');
  });
});

describe('the rate limit', () => {
  // README, "The local API": "Rate limit: 1000 requests per minute per token, announced in
  // `X-RateLimit-*`; over it, `429` with `Retry-After` and `error.retry_after` (seconds)".
  it('answers 1000 requests in a minute and refuses the 1001st with 429 and Retry-After', async () => {
    clock.advance(120_000); // a fresh window, whatever ran before
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) statuses.push((await srv.call('GET', '/v1/machines')).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const refused = await srv.call('GET', '/v1/machines');
    expect(refused.status).toBe(429);
    const after = Number(refused.headers.get('retry-after'));
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(60);
    expect(refused.json.error.retry_after).toBe(after);
    clock.advance(60_000); // the next minute
    expect((await srv.call('GET', '/v1/machines')).status).toBe(200);
  });
});

describe('serve without --port', () => {
  // README, `serve`: "`--port` | `7878`". The test holds 7878 itself (or finds it held), so
  // it never depends on that port being free: serve must try 7878 and say so.
  let holder: Server | undefined;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => {
      holder?.once('error', () => {
        holder = undefined; // someone else holds it: as good
        resolve();
      });
      holder?.listen(7878, '127.0.0.1', resolve);
    });
  });
  afterAll(() => holder?.close());

  it('tries 127.0.0.1:7878, and says so when it is taken', async () => {
    const dataDir = tempDir();
    try {
      const cli = runCli(['serve', '--data-dir', dataDir]);
      expect(await cli.exited).toBe(2);
      expect(cli.stderr()).toContain('port 7878 on 127.0.0.1 is already in use');
    } finally {
      removeDir(dataDir);
    }
  });
});
