// The host's other services as it wires them: opening and closing, the fire preview, backups,
// the API token, the remote connection and its test, the router's answers, test alerts.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openHost } from '../../src/core/host';
import type { SecretStore } from '../../src/core/secrets';
import type { SchedulesApi } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/types';
import { BASE, finished, hostOptions } from '../helpers/host-rig';
import { enospc, hostMutantsRig } from '../helpers/host-mutants-rig';

const { open, newDir, hosts, servers } = hostMutantsRig(afterEach);

describe('opening and closing', () => {
  it('closing cancels a command still running, by default', async () => {
    const { host } = open();
    const started = await host.router.startCommand({ machine_id: 'local', command: 'sleep 60' });
    const ended = finished(host, () => started.id);
    await host.close();
    expect(await ended).toMatchObject({ status: 'interrupted', exit_code: null });
  });

  it('an open that fails frees the data directory', () => {
    const dataDir = newDir();
    mkdirSync(join(dataDir, 'api-token'));
    const options = hostOptions(dataDir);
    expect(() => hosts.push(openHost(options))).toThrow();
    rmSync(join(dataDir, 'api-token'), { recursive: true });
    hosts.push(openHost(options));
    expect(hosts.at(-1)?.dataDir).toBe(dataDir);
  });
});

describe('fire preview', () => {
  it('shows a schedule paused until a time as paused', async () => {
    const { host } = open();
    const s = await host.router.create({ ...BASE, cron: '0 * * * *' });
    await host.router.update(s.id, { paused_until: '2026-05-04T18:00:00Z' } as never);
    const r = await host.fires.scheduleFires(s.id, { count: 2 } as never);
    expect(r.meta).toMatchObject({ paused: true, paused_until: '2026-05-04T18:00:00Z' });
  });
});

describe('backups', () => {
  it('a backup made now brings a deleted schedule back', async () => {
    const { host } = open();
    const s = await host.router.create({ ...BASE, name: 'keep me' });
    const b = await host.backups.createBackup();
    await host.router.remove(s.id);
    expect((await host.router.list()).meta.total).toBe(0);
    await host.backups.restoreBackup(b.id);
    expect((await host.router.list()).data.map((x) => [x.id, x.name])).toEqual([[s.id, 'keep me']]);
  });
});

describe('the API token', () => {
  it('a rotation the disk refuses is 507, the old token keeps working', () => {
    const { host } = open();
    const path = host.token.path as string;
    const before = host.token.token;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    rmSync(path);
    mkdirSync(path);
    expect(() => host.rotateToken?.()).toThrow(expect.objectContaining({ status: 507 }));
    expect(host.token.token).toBe(before);
    expect(host.storage.status().problem).toMatchObject({ scope: 'store', path });
  });
});

/** A stand-in Cmdop API on 127.0.0.1 that refuses every token, recording what it was sent. */
async function refusingApi(): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'bad token' } }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v1`, seen };
}

function memorySecrets(over: Partial<SecretStore> = {}): SecretStore {
  let value: string | null = null;
  return {
    encrypted: false,
    get: (): string | null => value,
    set: (v: string | null): void => {
      value = v;
    },
    ...over,
  };
}

describe('the remote connection', () => {
  it('with nothing set, nothing is said; a URL alone connects nothing and warns of nothing', () => {
    const { host, log } = open();
    host.remote.configure({ url: 'https://cmdop.example/api/v1' });
    expect(host.remote.status()).toMatchObject({ token_set: false, connected: false });
    expect(log.lines.filter((l) => l.includes('Cmdop'))).toEqual([]);
  });

  it('setting the URL keeps the saved token, and connects', () => {
    const { host } = open();
    host.remote.configure({ token: 'tok_saved' });
    host.remote.configure({ url: 'https://cmdop.example/api/v1' });
    expect(host.remote.status()).toMatchObject({
      token_set: true,
      connected: true,
      url: 'https://cmdop.example/api/v1',
    });
  });

  it('a URL from the command line is the command line`s', () => {
    const { host } = open({ remoteOverride: { url: 'https://cmdop.example/api/v1' } });
    expect(host.remote.status()).toMatchObject({
      source: 'cli',
      url: 'https://cmdop.example/api/v1',
      connected: false,
    });
  });

  it('shows how the saved token is kept, and why it cannot be read', () => {
    const secrets = memorySecrets({ encrypted: true, unreadable: () => 'keychain gone' });
    const { host } = open({ secrets });
    expect(host.remote.status()).toMatchObject({
      token_encrypted: true,
      token_unreadable: 'keychain gone',
    });
    const plain = open({ secrets: memorySecrets() });
    expect(plain.host.remote.status()).toMatchObject({
      token_encrypted: false,
      token_unreadable: null,
    });
  });

  it('a token the disk refuses is 507 naming the data directory', () => {
    const secrets = memorySecrets({
      set: () => {
        throw enospc();
      },
    });
    const { host, dataDir } = open({ secrets });
    expect(() => host.remote.configure({ token: 'tok_x' })).toThrow(
      expect.objectContaining({ status: 507 }),
    );
    expect(host.storage.status().problem).toMatchObject({ scope: 'store', path: dataDir });
  });

  it('a test with only a URL uses the saved token, and says the API refused it', async () => {
    const api = await refusingApi();
    const { host } = open();
    host.remote.configure({ token: 'tok_saved' });
    const r = await host.remote.test({ url: api.url });
    expect(r.ok).toBe(false);
    expect(r.message).toContain('refused the token');
    expect(api.seen.length).toBeGreaterThan(0);
    expect(api.seen[0]?.headers.authorization).toBe('Bearer tok_saved');
  });
});

describe('the remote connection test', () => {
  it('gives up on an API that never answers after the timeout the host was given', async () => {
    const server = createServer(() => undefined);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const { host } = open({ remoteTimeoutMs: 150 });
    const r = await host.remote.test({ url: `http://127.0.0.1:${port}/api/v1`, token: 'tok_t' });
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toBe(`127.0.0.1:${port} is unreachable: no answer within 0.15 s`);
  });
});

describe('the router', () => {
  it('names the query in its errors, and judges a body without a machine here', async () => {
    const { host } = open();
    await expect(host.router.list({ limit: 'many' } as never)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid query: limit: /),
    });
    await expect(host.router.listMachines({ limit: 'many' } as never)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid query: limit: /),
    });
    const calls: string[] = [];
    const remote = new Proxy({} as SchedulesApi, {
      get(_t, name: string) {
        if (name === 'then') return undefined;
        return async () => {
          calls.push(name);
          return { remote: name };
        };
      },
    });
    host.router.setRemote(remote, 'api.example');
    await expect(host.router.create(null as never)).rejects.toMatchObject({ status: 400 });
    const { machine_id: _m, ...noMachine } = BASE;
    await expect(host.router.create(noMachine as never)).rejects.toMatchObject({ status: 400 });
    expect(calls).toEqual([]);
  });

  it('a remote that sends more than asked still fills only the page', async () => {
    const { host } = open();
    await host.router.create(BASE);
    const many = (n: number) => ({ id: `rsch_${n}`, name: `remote ${n}` }) as Schedule;
    const remote = {
      list: async () => ({
        data: [1, 2, 3, 4, 5].map(many),
        meta: { total: 5, limit: 20, offset: 0 },
      }),
    } as unknown as SchedulesApi;
    host.router.setRemote(remote, 'api.example');
    const page = await host.router.list({ limit: 3 });
    expect(page.data.map((s) => s.id)).toHaveLength(3);
    expect(page.meta.total).toBe(6);
  });
});

describe('alerts', () => {
  it('a test webhook names this machine', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const { host } = open();
    const s = await host.router.create(BASE);
    const r = await host.alerts.testNotify(s.id, {
      notify: { webhook_url: `http://127.0.0.1:${port}/hook`, allow_http: true },
    });
    expect(r.results?.[0] ?? r).toMatchObject({ ok: true });
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({
      schedule: { machine: { id: host.service.machineId, name: hostname() } },
    });
  });
});
