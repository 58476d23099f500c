// Local server safety: DNS-rebinding Host checks and cross-site Origin checks, with raw
// node:http requests because fetch will not send a custom Host header.
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, removeDir, startTestServer, tempDir, type TestServer } from '../helpers/server';

let srv: TestServer;
let port: number;
let uiDir: string;

beforeAll(async () => {
  uiDir = tempDir('cmdop-ui-');
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Cmdop Scheduler</title>');
  srv = await startTestServer({ uiDir });
  port = srv.headless.server.port;
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
  removeDir(uiDir);
});

function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; json: any; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = () => ({ authorization: `Bearer ${srv.token}` });

describe('Host header (DNS rebinding)', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]'])('accepts %s with the server port', async (name) => {
    const res = await raw('/v1/schedules', { ...auth(), host: `${name}:${port}` });
    expect(res.status).toBe(200);
  });

  it.each(['evil.example', `evil.example:PORT`, '127.0.0.1:1', 'localhost.evil.example:PORT'])(
    'refuses Host %s with 403 forbidden',
    async (host) => {
      const res = await raw('/v1/schedules', {
        ...auth(),
        host: host.replace('PORT', String(port)),
      });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    },
  );

  it('refuses a foreign Host even for the UI page', async () => {
    const res = await raw('/', { host: `rebind.example:${port}` });
    expect(res.status).toBe(403);
  });
});

describe('Origin header (CSRF)', () => {
  it('accepts the server’s own origin', async () => {
    const res = await raw('/v1/schedules', {
      ...auth(),
      host: `127.0.0.1:${port}`,
      origin: `http://127.0.0.1:${port}`,
    });
    expect(res.status).toBe(200);
  });

  it.each(['https://evil.example', 'null', `http://127.0.0.1:${1}`, 'file://'])(
    'refuses Origin %s and changes nothing',
    async (origin) => {
      const body = JSON.stringify({
        name: 'csrf',
        machine_id: 'local',
        command: 'rm -rf ~',
        cron: '* * * * *',
      });
      const res = await raw(
        '/v1/schedules',
        { ...auth(), host: `127.0.0.1:${port}`, origin, 'content-type': 'application/json' },
        'POST',
        body,
      );
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const list = await srv.call('GET', '/v1/schedules');
      expect(list.json.meta.total).toBe(0);
    },
  );
});

describe('static UI', () => {
  it('serves the page at / without a token, with a strict CSP', async () => {
    const res = await raw('/', { host: `127.0.0.1:${port}` });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Cmdop Scheduler');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('still requires the token for the API', async () => {
    const res = await raw('/v1/schedules', { host: `127.0.0.1:${port}` });
    expect(res.status).toBe(401);
  });
});

describe('rate limit (1000 requests per minute per token)', () => {
  it('the 1001st request in a minute gets 429 with retry_after in the body and Retry-After', async () => {
    const clock = new FakeClock(Date.parse('2026-03-01T10:00:30Z'));
    const limited = await startTestServer({ clock });
    try {
      for (let i = 0; i < 1000; i++) {
        const ok = await limited.call('GET', '/v1/machines');
        expect(ok.status).toBe(200);
      }
      const res = await limited.call('GET', '/v1/machines');
      expect(res.status).toBe(429);
      // The window ends at 10:01:00, 30 s from now.
      expect(res.json.error).toEqual({
        code: 'rate_limited',
        message: expect.stringContaining('1000 requests per minute'),
        details: {},
        retry_after: 30,
      });
      expect(res.headers.get('retry-after')).toBe('30');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      clock.advance(30_000);
      expect((await limited.call('GET', '/v1/machines')).status).toBe(200);
    } finally {
      await limited.stop();
      removeDir(limited.dataDir);
    }
  });
});
