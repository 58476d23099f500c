// An attacker on this machine, without the token, over raw sockets: every route in every
// spelling the router accepts (percent-encoded, absolute-form) must answer 401 and run
// nothing; malformed and oversize requests get a 4xx in the envelope, never a 5xx or a
// stack trace in the log.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/server/app';
import { removeDir, startTestServer, tempDir, type TestServer } from '../helpers/server';
import { buildRequest, isEnvelope, rawRequest, type RawResponse } from '../helpers/raw-http';
import { storeBytes } from '../helpers/store-files';

let srv: TestServer;
let port: number;
let uiDir: string;
let marker: string;
let scheduleId: string;
let commandId: string;
let storeBefore: string;

const auth = () => ({ authorization: `Bearer ${srv.token}` });

beforeAll(async () => {
  uiDir = tempDir('cmdop-ui-');
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Cmdop Scheduler</title>');
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log("ui")');
  srv = await startTestServer({ uiDir });
  port = srv.headless.server.port;
  marker = join(srv.dataDir, 'ran-by-attacker');
  const created = await srv.call('POST', '/v1/schedules', {
    name: 'victim',
    machine_id: 'local',
    command: `touch '${marker}'`,
    cron: '0 0 1 1 *',
  });
  scheduleId = created.json.data.id;
  commandId = 'cmd_doesnotexist0000';
  storeBefore = storeBytes(srv.dataDir);
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
  removeDir(uiDir);
});

function apiRoutes(): RouteInfo[] {
  return srv.headless.server.routes.filter((r) => !r.public);
}

function concrete(route: RouteInfo): string {
  return route.url
    .replace('/schedules/:id', `/schedules/${scheduleId}`)
    .replace('/commands/:id', `/commands/${commandId}`)
    .replace('/machines/:id', '/machines/local');
}

/** Spellings of the same path that a router may decode to it. */
function variants(path: string): Record<string, string> {
  const rest = path.slice('/v1'.length);
  return {
    'encoded v': `/%761${rest}`,
    'encoded V (upper hex)': `/%76%31${rest}`,
    'encoded 1': `/v%31${rest}`,
    'encoded later char': `/v1${rest.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
    'absolute-form': `http://127.0.0.1:${port}${path}`,
    'absolute-form, encoded': `http://127.0.0.1:${port}/%761${rest}`,
    'absolute-form, foreign authority': `http://evil.example${path}`,
  };
}

function send(target: string, method: string, headers: Record<string, string> = {}) {
  const body = ['POST', 'PATCH'].includes(method)
    ? JSON.stringify({
        name: 'x',
        machine_id: 'local',
        command: `touch '${marker}'`,
        cron: '* * * * *',
      })
    : undefined;
  const contentType: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
  return rawRequest(
    port,
    buildRequest(port, target, { method, headers: { ...contentType, ...headers }, body }),
  );
}

function expectEnvelope(res: RawResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(isEnvelope(res.json), res.body).toBe(true);
  expect(res.json.error.code).toBe(code);
}

describe('without the token, every route in every spelling', () => {
  it('lists the API routes it attacks (the suite covers what is registered)', () => {
    const urls = new Set(apiRoutes().map((r) => `${r.method} ${r.url}`));
    for (const expected of [
      'POST /v1/schedules',
      'POST /v1/schedules/:id/run',
      'GET /v1/settings',
      'POST /v1/settings/token/rotate',
      'DELETE /v1/commands/:id',
      'POST /v1/schedules/batch',
      'GET /v1/backups',
      'POST /v1/backups/:id/restore',
      'POST /v1/schedules/:id/notify/test',
      'GET /v1/schedules/:id/fires',
      'POST /v1/cron/fires',
    ]) {
      expect(urls).toContain(expected);
    }
  });

  it('answers 401 to the plain and every encoded or absolute-form spelling', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      const path = concrete(route);
      for (const [how, target] of Object.entries({ plain: path, ...variants(path) })) {
        const res = await send(target, route.method);
        const ok =
          res.status === 401 &&
          (route.method === 'HEAD' || res.json?.error?.code === 'unauthorized');
        if (!ok)
          failures.push(
            `${route.method} ${target} (${how}) -> ${res.status} ${res.body.slice(0, 80)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('ran nothing, created nothing, leaked nothing', async () => {
    expect(existsSync(marker)).toBe(false);
    expect(storeBytes(srv.dataDir)).toBe(storeBefore);
    const list = await srv.call('GET', '/v1/schedules');
    expect(list.json.meta.total).toBe(1);
    const history = await srv.call('GET', `/v1/schedules/${scheduleId}/history`);
    expect(history.json.meta.total).toBe(0);
  });

  it('the encoded spellings are the same routes: with the token they answer as the plain path', async () => {
    for (const route of apiRoutes()) {
      if (route.method !== 'GET' || route.url === '/v1/events') continue; // events never end
      const path = concrete(route);
      const plain = await send(path, 'GET', auth());
      for (const [how, target] of Object.entries(variants(path))) {
        const res = await send(target, 'GET', auth());
        expect(`${how} ${route.url} -> ${res.status}`).toBe(
          `${how} ${route.url} -> ${plain.status}`,
        );
      }
    }
  });
});

const MALFORMED = [
  '/v1/schedules/../',
  '//v1/schedules',
  '/v1//schedules',
  '/v1/schedules/./',
  '/../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/assets/../../../../etc/passwd',
  '/assets/%2e%2e%2f%2e%2e%2fconfig.json',
  '/index.html%00.png',
  '/%00',
  '/.env',
  '/assets/',
  '/assets',
  '/v1%2Fschedules',
  '/v1/schedules/%ff',
  '/v1/schedules/%',
  '/v1/schedules/%zz',
  '/v1/schedules?limit=%ff',
  `/v1/schedules/${'a'.repeat(10_000)}`,
  `/v1/schedules/${'a'.repeat(101)}/history`,
  '/V1/schedules',
  '/v1/Schedules',
  '/v2/schedules',
];

/** Test names stay readable: a 10 kB id is shown by its length. */
const LABELLED = MALFORMED.map((t) => [
  t.length > 60 ? `${t.slice(0, 40)}… (${t.length} chars)` : t,
  t,
]);

describe('malformed and traversal paths', () => {
  it.each(LABELLED)('%s without the token: 401 in the envelope', async (_, target) => {
    expectEnvelope(await send(target, 'GET'), 401, 'unauthorized');
  });

  it.each(LABELLED)('%s with the token: a 4xx in the envelope, never 5xx', async (_, target) => {
    const res = await send(target, 'GET', auth());
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(isEnvelope(res.json), res.body).toBe(true);
  });

  it('says which rule a bad encoding or an overlong id broke', async () => {
    expectEnvelope(await send('/v1/schedules/%ff', 'GET', auth()), 400, 'bad_request');
    expectEnvelope(
      await send(`/v1/schedules/${'a'.repeat(10_000)}`, 'GET', auth()),
      414,
      'uri_too_long',
    );
    const traversal = await send('/../../etc/passwd', 'GET', auth());
    expectEnvelope(traversal, 404, 'not_found');
    expect(traversal.body).not.toContain('root:');
  });
});

describe('oversize and broken requests', () => {
  it('a URL over 16 KiB: 431 in the envelope', async () => {
    expectEnvelope(
      await send(`/v1/schedules?x=${'a'.repeat(17 * 1024)}`, 'GET'),
      431,
      'headers_too_large',
    );
  });

  it('headers over 16 KiB: 431 in the envelope', async () => {
    const res = await send('/v1/schedules', 'GET', { ...auth(), 'x-big': 'a'.repeat(20 * 1024) });
    expectEnvelope(res, 431, 'headers_too_large');
  });

  it('a malformed request line: 400 in the envelope', async () => {
    expectEnvelope(await rawRequest(port, 'GARBAGE\r\n\r\n'), 400, 'bad_request');
    expectEnvelope(
      await rawRequest(port, 'GET /v1/schedules HTTP/9.9\r\n\r\n'),
      400,
      'bad_request',
    );
  });

  it('a body over 1 MiB with the token: 413 in the envelope, nothing created', async () => {
    const body = JSON.stringify({ name: 'big', command: 'x'.repeat(1024 * 1024 + 10) });
    const res = await rawRequest(
      port,
      buildRequest(port, '/v1/schedules', {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body,
      }),
    );
    expectEnvelope(res, 413, 'payload_too_large');
    expect(storeBytes(srv.dataDir)).toBe(storeBefore);
  });
});

describe('the UI is the only thing served without the token', () => {
  it.each(['/', '/index.html', '/assets/app.js'])('GET %s: 200 without a token', async (path) => {
    const res = await send(path, 'GET');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it.each([
    ['POST', '/'],
    ['DELETE', '/index.html'],
    ['PUT', '/assets/app.js'],
    ['GET', '/assets/missing.js'],
  ])('%s %s: 401, not a file answer', async (method, path) => {
    expectEnvelope(await send(path, method), 401, 'unauthorized');
  });
});

describe('the log', () => {
  it('holds no error lines or stack traces after all of the above (client mistakes are not errors)', () => {
    const errors = srv.log.lines.filter((l) => l.startsWith('error') || l.includes('    at '));
    expect(errors).toEqual([]);
  });
});
