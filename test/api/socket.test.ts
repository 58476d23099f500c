// The owner's Unix socket: the same routes with no token, because only the owner can open
// it (mode 0600 in a 0700 folder) — and the TCP API beside it still demands the token for
// everything, whatever a client sends.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { socketPath } from '../../src/server/local-socket';
import { startTestServer, tempDirs, type TestServer } from '../helpers/server';
import { socketRequest } from '../helpers/socket-http';
import { buildRequest, rawRequest } from '../helpers/raw-http';

const newDir = tempDirs(afterEach);
let srv: TestServer | null = null;

afterEach(async () => {
  await srv?.stop();
  srv = null;
});

const schedule = { name: 'hi', machine_id: 'local', command: 'echo hi', cron: '0 3 * * *' };

describe('the Unix socket', () => {
  it('is a 0600 socket in the 0700 data directory', async () => {
    srv = await startTestServer({ dataDir: newDir() });
    const path = socketPath(srv.dataDir);
    expect(path).toBe(join(srv.dataDir, 'api.sock'));
    const stat = lstatSync(path);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(lstatSync(srv.dataDir).mode & 0o777).toBe(0o700);
  });

  it('serves every route without a token: create, list, settings, batch, backups', async () => {
    srv = await startTestServer({ dataDir: newDir() });
    const path = socketPath(srv.dataDir);
    const created = await socketRequest(path, 'POST', '/v1/schedules', schedule);
    expect(created.status).toBe(201);
    const list = await socketRequest(path, 'GET', '/v1/schedules');
    expect(list.json.data.map((s: any) => s.id)).toEqual([created.json.data.id]);
    expect((await socketRequest(path, 'GET', '/v1/settings')).status).toBe(200);
    const batch = await socketRequest(path, 'POST', '/v1/schedules/batch', { items: [schedule] });
    expect(batch.status).toBe(201);
    expect((await socketRequest(path, 'GET', '/v1/backups')).status).toBe(200);
    // auth/me says how the request came in: the socket, not a token.
    const me = await socketRequest(path, 'GET', '/v1/auth/me');
    expect(me.json.data).toMatchObject({ id: 'local', auth: 'socket' });
    expect((await srv.call('GET', '/v1/auth/me')).json.data.auth).toBe('token');
  });

  it('refuses a request that carries a web Origin', async () => {
    srv = await startTestServer({ dataDir: newDir() });
    const res = await socketRequest(socketPath(srv.dataDir), 'GET', '/v1/schedules', undefined, {
      origin: 'http://evil.example',
    });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
  });

  it('does not open the TCP API: without the token, TCP answers 401 and runs nothing', async () => {
    srv = await startTestServer({ dataDir: newDir() });
    const port = srv.headless.server.port;
    const marker = join(srv.dataDir, 'ran');
    const body = JSON.stringify({ ...schedule, command: `touch '${marker}'` });
    const variants: Record<string, string>[] = [
      {},
      { authorization: '' },
      { authorization: 'Bearer ' },
      { 'x-forwarded-for': 'unix:' },
      { host: `localhost:${port}` },
    ];
    for (const headers of variants) {
      for (const [method, path] of [
        ['GET', '/v1/schedules'],
        ['POST', '/v1/schedules'],
        ['POST', '/v1/schedules/batch'],
        ['GET', '/v1/backups'],
      ] as const) {
        const res = await rawRequest(
          port,
          buildRequest(port, path, {
            method,
            headers: { 'content-type': 'application/json', ...headers },
            body: method === 'POST' ? body : undefined,
          }),
        );
        expect(`${method} ${path} ${JSON.stringify(headers)} -> ${res.status}`).toBe(
          `${method} ${path} ${JSON.stringify(headers)} -> 401`,
        );
      }
    }
    const list = await socketRequest(socketPath(srv.dataDir), 'GET', '/v1/schedules');
    expect(list.json.meta.total).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('replaces a socket left by an owner that died, and is gone after a clean stop', async () => {
    const dir = newDir();
    const path = socketPath(dir);
    // A dead owner's socket: a process killed while listening leaves its file behind.
    const killed = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(killed.signal).toBe('SIGKILL');
    expect(lstatSync(path).isSocket()).toBe(true);
    writeFileSync(join(dir, 'marker'), '');
    srv = await startTestServer({ dataDir: dir });
    expect((await socketRequest(path, 'GET', '/v1/schedules')).status).toBe(200);
    await srv.stop();
    srv = null;
    expect(existsSync(path)).toBe(false);
    // Nothing listens now: a client gets a refusal it can explain, not a hang.
    await expect(
      new Promise((resolve, reject) => connect(path).on('connect', resolve).on('error', reject)),
    ).rejects.toMatchObject({ code: expect.stringMatching(/ENOENT|ECONNREFUSED/) });
    expect(readFileSync(join(dir, 'marker'), 'utf8')).toBe('');
  });
});
