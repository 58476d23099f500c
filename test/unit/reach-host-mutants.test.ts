// The composed host, for what its wiring decides: openHost on a temp data dir with a fixed
// clock (or FakeTime's timers) and a recording notifier. What the user would see: notices on
// the desktop, the decision log on disk and on the schedule, backups, the remote connection
// and its status, the router's answers.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openHost, type Host } from '../../src/core/host';
import { DECISIONS_DIR } from '../../src/core/decisions/store';
import { HEARTBEAT_FILE } from '../../src/core/heartbeat';
import type { SecretStore } from '../../src/core/secrets';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { SchedulesApi } from '../../src/shared/api';
import type { ApiEvent } from '../../src/shared/events';
import type { FireDecision } from '../../src/core/fire-decisions';
import type { Run, Schedule } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { finished, hostRig, T0 } from '../helpers/host-rig';
import { captureLog, recordingNotifier } from '../helpers/server';

const { open, newDir, hosts } = hostRig(afterEach);
const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop() as Server;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const BASE = { name: 'Daily Backup', machine_id: 'local', command: 'true', cron: '0 3 * * *' };

/** The next event the predicate picks. */
function next(host: Host, pick: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const stop = host.events.subscribe((e) => {
      if (pick(e)) {
        stop();
        resolve(e);
      }
    });
  });
}

async function runNowToEnd(host: Host, id: string): Promise<Run> {
  let commandId: string | null = null;
  const done = finished(host, () => commandId);
  commandId = (await host.router.runNow(id)).command_id;
  return done;
}

/** One turn of the event loop: notices are handed to the notifier a microtask later. */
const settle = () => new Promise<void>((r) => setImmediate(r));

const enospc = () => Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });

function mute(host: Host, muted: boolean) {
  const settings = host.repo.settings();
  host.repo.updateSettings({ ...settings, notifications: { muted } });
}

describe('storage problems', () => {
  it('are said on the bus, and told to the desktop once per episode unless muted', async () => {
    const { host, events, notifier } = open();
    host.storage.failed('store', '/nowhere', enospc());
    const problem = host.storage.status().problem;
    expect(problem).toMatchObject({ scope: 'store', path: '/nowhere', code: 'ENOSPC' });
    expect(events.filter((e) => e.type === 'storage.changed')).toEqual([
      { type: 'storage.changed', storage: { ok: false, problem } },
    ]);
    await settle();
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      title: 'Cmdop Scheduler cannot save',
      body: problem?.message,
    });
    host.storage.succeeded('store');
    expect(events.at(-1)).toEqual({
      type: 'storage.changed',
      storage: { ok: true, problem: null },
    });
    mute(host, true);
    host.storage.failed('store', '/muted', enospc());
    host.storage.succeeded('store');
    mute(host, false);
    host.storage.failed('store', '/again', enospc());
    await settle();
    expect(notifier.sent.map((n) => n.body)).toEqual([
      problem?.message,
      host.storage.status().problem?.message,
    ]);
    expect(notifier.sent[1]?.body).toContain('/again');
  });
});

describe('desktop notices of runs', () => {
  it('a failed run is told after the window; muted, none; closing drops one still waiting', async () => {
    const ft = new FakeTime('2026-05-04T12:00:00.250Z');
    const { host, notifier } = open({ timers: ft, clock: ft.clock });
    const s = await host.router.create({ ...BASE, name: 'Nightly', command: 'exit 4' });
    await runNowToEnd(host, s.id);
    expect(notifier.sent).toHaveLength(0);
    ft.advanceBy(2000);
    await settle();
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({ scheduleId: s.id, kind: 'failure' });
    expect(notifier.sent[0]?.title).toContain('Nightly');

    // An ad-hoc command's caller has its answer: no notice.
    const adhoc = await host.router.runCommand({ machine_id: 'local', command: 'exit 3' });
    expect(adhoc.status).toBe('failed');
    ft.advanceBy(2000);
    await settle();
    expect(notifier.sent).toHaveLength(1);

    mute(host, true);
    await runNowToEnd(host, s.id);
    ft.advanceBy(2000);
    await settle();
    expect(notifier.sent).toHaveLength(1);

    mute(host, false);
    await runNowToEnd(host, s.id);
    await host.close();
    ft.advanceBy(5000);
    await settle();
    expect(notifier.sent).toHaveLength(1);
  });
});

describe('the decision log', () => {
  it('records the fires of a disabled spell: on disk, on the schedule, said on the bus', async () => {
    const { host, clock, dataDir, events } = open();
    const s = await host.router.create({ ...BASE, cron: '0 * * * *', enabled: false });
    clock.ms += 3 * 3_600_000;
    const told = next(
      host,
      (e) => e.type === 'schedule.updated' && e.schedule.last_decision !== undefined,
    );
    const u = await host.router.update(s.id, { enabled: true });
    expect(u.enabled).toBe(true);
    const said = (await told) as Extract<ApiEvent, { type: 'schedule.updated' }>;
    const expected = {
      kind: 'skipped_disabled',
      ran: false,
      scheduled_for: '2026-05-04T13:00:00Z',
      last_scheduled_for: '2026-05-04T15:00:00Z',
      count: 3,
      message: 'the schedule was disabled',
    };
    expect(said.schedule).toMatchObject({ id: s.id, last_decision: expected });
    expect(events.filter((e) => e.type === 'schedule.updated')).toHaveLength(2);
    expect((await host.router.get(s.id)).last_decision).toMatchObject(expected);
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data.map((d) => d.kind)).toEqual(['skipped_disabled']);
    const file = join(dataDir, DECISIONS_DIR, `${s.id}.jsonl`);
    expect(readFileSync(file, 'utf8')).toContain('"kind":"skipped_disabled"');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    await host.router.remove(s.id);
    expect(existsSync(file)).toBe(false);
    await expect(host.decisionQueries.decisions(s.id)).rejects.toMatchObject({ status: 404 });
  });

  it('a planned fire that ran is recorded and handed to onDecision', async () => {
    const ft = new FakeTime('2026-05-04T12:59:59.000Z');
    const decided: FireDecision[] = [];
    const { host } = open({ timers: ft, clock: ft.clock, onDecision: (d) => decided.push(d) });
    const s = await host.router.create({ ...BASE, cron: '0 13 * * *', command: 'echo fired' });
    const done = next(host, (e) => e.type === 'run.finished');
    ft.advanceTo('2026-05-04T13:00:00.000Z');
    const ended = (await done) as Extract<ApiEvent, { type: 'run.finished' }>;
    expect(ended.run).toMatchObject({ schedule_id: s.id, stdout: 'fired\n' });
    expect(decided).toEqual([
      expect.objectContaining({
        schedule_id: s.id,
        outcome: 'run',
        scheduled_for: '2026-05-04T13:00:00Z',
      }),
    ]);
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data).toEqual([
      expect.objectContaining({ kind: 'ran', ran: true, command_id: ended.run.command_id }),
    ]);
  });

  it('a host given no onDecision still fires and records', async () => {
    const ft = new FakeTime('2026-05-04T12:59:59.000Z');
    const { host, log } = open({ timers: ft, clock: ft.clock });
    const s = await host.router.create({ ...BASE, cron: '0 13 * * *', command: 'echo fired' });
    const done = next(host, (e) => e.type === 'run.finished');
    ft.advanceTo('2026-05-04T13:00:00.000Z');
    const ended = (await done) as Extract<ApiEvent, { type: 'run.finished' }>;
    expect(ended.run).toMatchObject({ schedule_id: s.id, status: 'success' });
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data.map((d) => d.kind)).toEqual(['ran']);
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('at start, the fires of the time the app was off are missed; a broken schedule is left out', async () => {
    const first = open();
    const s = await first.host.router.create({ ...BASE, cron: '0 * * * *' });
    const broken = await first.host.router.create({ ...BASE, name: 'broken', cron: '0 * * * *' });
    await first.host.close();
    hosts.splice(hosts.indexOf(first.host), 1);
    const store = readFileSync(join(first.dataDir, 'config.json'), 'utf8');
    const edited = store.replace(
      new RegExp(`("id":\\s*"${broken.id}"[^}]*?"cron":\\s*)"0 \\* \\* \\* \\*"`),
      '$1"61 * * * *"',
    );
    expect(edited).not.toBe(store);
    writeFileSync(join(first.dataDir, 'config.json'), edited);
    writeFileSync(
      join(first.dataDir, HEARTBEAT_FILE),
      JSON.stringify({ last_alive: '2026-05-04T12:00:00.250Z' }),
    );
    const later = T0 + 3 * 3_600_000;
    const again = open({ clock: { now: () => later }, dataDir: first.dataDir });
    expect(again.host.repo.error(broken.id)).not.toBeNull();
    const page = await again.host.decisionQueries.decisions(s.id);
    expect(page.data[0]).toMatchObject({
      kind: 'missed',
      reason: 'app_stopped',
      scheduled_for: '2026-05-04T13:00:00Z',
      last_scheduled_for: '2026-05-04T15:00:00Z',
      count: 3,
    });
    expect(again.log.lines.filter((l) => l.includes('at start'))).toEqual([]);
  });
});

describe('what the engine decides, as the host wires it', () => {
  it('fires found long past after a clock jump are recorded as missed', async () => {
    const ft = new FakeTime('2026-05-04T12:30:00.000Z');
    const { host, log } = open({ timers: ft, clock: ft.clock });
    const s = await host.router.create({ ...BASE, cron: '0 * * * *' });
    ft.jump(3 * 3_600_000);
    ft.advanceBy(3_600_000);
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data).toContainEqual(
      expect.objectContaining({ kind: 'missed', reason: 'clock_jump', ran: false }),
    );
    expect(log.lines.filter((l) => l.includes('missed fires'))).toEqual([]);
  });

  it('on battery, a schedule that must not run on battery does not fire', async () => {
    const ft = new FakeTime('2026-05-04T12:59:59.000Z');
    const decided: FireDecision[] = [];
    const { host, events, dataDir } = open({
      timers: ft,
      clock: ft.clock,
      power: { onBattery: () => true },
      onDecision: (d) => decided.push(d),
    });
    const s = await host.router.create({ ...BASE, cron: '0 * * * *', run_on_battery: false });
    ft.advanceTo('2026-05-04T13:00:00.000Z');
    expect(decided).toEqual([expect.objectContaining({ schedule_id: s.id })]);
    expect(decided[0]?.outcome).not.toBe('run');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
    // The next skip grows the same entry: on disk within a minute (the host's timers).
    const file = join(dataDir, DECISIONS_DIR, `${s.id}.jsonl`);
    const onDisk = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; count: number });
    expect(onDisk()).toEqual([expect.objectContaining({ kind: 'skipped_battery', count: 1 })]);
    ft.advanceTo('2026-05-04T14:00:00.000Z');
    expect(onDisk()).toHaveLength(1);
    ft.advanceBy(60_000);
    expect(onDisk().at(-1)).toMatchObject({ kind: 'skipped_battery', count: 2 });
    // And closing writes a span grown since.
    ft.advanceTo('2026-05-04T15:00:00.000Z');
    await host.close();
    expect(onDisk().at(-1)).toMatchObject({ kind: 'skipped_battery', count: 3 });
  });
});

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
    const options = {
      dataDir,
      storeFactory: confStoreFactory,
      clock: { now: () => T0 },
      log: captureLog(),
      notifier: recordingNotifier(),
      powerSupplyRoot: join(dataDir, 'no-power'),
    };
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
