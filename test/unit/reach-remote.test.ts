// This machine as Cmdop describes machines (identity file in a temp dir, filters, the 404),
// its status as the OS reports it, and "Test connection" against clients that answer the
// way Cmdop servers do.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  describeLocalMachine,
  loadMachineIdentity,
  machineMatches,
  scheduleMatches,
  unknownMachine,
} from '../../src/core/machine';
import { cpuUsage, diskUsage, machineStatus } from '../../src/core/machine-status';
import { probeRemote } from '../../src/core/remote-probe';
import { RemoteService } from '../../src/core/remote';
import { startStubApi } from '../helpers/stub-api';
import { APP_VERSION } from '../../src/core/app-version';
import { ApiError } from '../../src/shared/errors';
import type { Identity } from '../../src/shared/identity';
import type { Machine } from '../../src/shared/types';
import { captureLog, tempDirs } from '../helpers/server';

const newDir = tempDirs(afterEach);
const clock = { now: () => Date.parse('2026-04-02T08:30:00.500Z') };

describe('the machine identity file', () => {
  it('is made once, kept private, and read back the same', () => {
    const dir = newDir();
    const log = captureLog();
    const first = loadMachineIdentity(dir, clock, log);
    expect(first.id).toMatch(/^mach_[0-9A-Za-z]+$/);
    expect(first.created_at).toBe('2026-04-02T08:30:00Z');
    expect(statSync(join(dir, 'machine.json')).mode & 0o777).toBe(0o600);
    const later = { now: () => Date.parse('2027-01-01T00:00:00Z') };
    expect(loadMachineIdentity(dir, later, log)).toEqual(first);
    expect(log.lines).toEqual([]);
  });

  it('an id without created_at gets the time it was read', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'machine.json'), JSON.stringify({ id: 'mach_abc123' }));
    expect(loadMachineIdentity(dir, clock, captureLog())).toEqual({
      id: 'mach_abc123',
      created_at: '2026-04-02T08:30:00Z',
    });
  });

  it.each([
    ['not JSON', '{oops'],
    ['a bad id', JSON.stringify({ id: 'mach_a-b', created_at: 'x' })],
    ['an id of another kind', JSON.stringify({ id: 'sch_abc' })],
    ['an id that only ends like one', JSON.stringify({ id: 'xmach_abc1' })],
    ['no id', JSON.stringify({ created_at: 'x' })],
  ])('a file with %s is kept aside and replaced', (_what, text) => {
    const dir = newDir();
    const log = captureLog();
    writeFileSync(join(dir, 'machine.json'), text);
    const made = loadMachineIdentity(dir, clock, log);
    expect(made.id).toMatch(/^mach_/);
    const backup = join(dir, `machine.json.corrupt-${clock.now()}.bak`);
    expect(readFileSync(backup, 'utf8')).toBe(text);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(log.lines).toEqual([
      `warn machine identity file was unreadable; moved it to ${backup} and made a new one`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'machine.json'), 'utf8'))).toEqual(made);
    expect(readFileSync(join(dir, 'machine.json'), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('a missing file is simply made, nothing kept aside', () => {
    const dir = newDir();
    loadMachineIdentity(dir, clock, captureLog());
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});

describe('this machine in Cmdop words', () => {
  it('describes itself: host name, online, the local tag, the app version', () => {
    const m = describeLocalMachine({ id: 'mach_x1', created_at: '2026-01-01T00:00:00Z' }, clock);
    expect(m).toMatchObject({
      id: 'mach_x1',
      name: hostname(),
      hostname: hostname(),
      status: 'online',
      tags: ['local'],
      agent_version: APP_VERSION,
      created_at: '2026-01-01T00:00:00Z',
      last_seen: '2026-04-02T08:30:00Z',
    });
    expect(m.os).toBe(process.platform === 'linux' ? 'linux' : m.os);
    expect(m.arch).toBe(process.arch === 'x64' ? 'amd64' : m.arch);
  });

  const machine = (over: Partial<Machine> = {}): Machine =>
    ({
      name: 'Build-Box',
      hostname: 'build.lan',
      status: 'online',
      tags: ['GPU', 'ci'],
      ...over,
    }) as Machine;

  it('filters by status, every tag asked for (any case, spaces, empties), and text', () => {
    expect(machineMatches(machine(), {})).toBe(true);
    expect(machineMatches(machine(), { status: 'online' })).toBe(true);
    expect(machineMatches(machine(), { status: 'offline' })).toBe(false);
    expect(machineMatches(machine(), { tags: ' gpu , CI ,' })).toBe(true);
    expect(machineMatches(machine(), { tags: 'gpu,arm' })).toBe(false);
    expect(machineMatches(machine(), { tags: ',' })).toBe(true);
    expect(machineMatches(machine(), { search: 'BOX' })).toBe(true);
    expect(machineMatches(machine(), { search: 'LAN' })).toBe(true);
    expect(machineMatches(machine(), { search: 'nope' })).toBe(false);
    expect(machineMatches(machine(), { search: '' })).toBe(true);
  });

  it('finds schedules by name or command, in any case', () => {
    const s = { name: 'Nightly Backup', command: 'rsync -a /home /mnt' };
    expect(scheduleMatches(s)).toBe(true);
    expect(scheduleMatches(s, 'backup')).toBe(true);
    expect(scheduleMatches(s, 'RSYNC')).toBe(true);
    expect(scheduleMatches(s, 'tar')).toBe(false);
  });

  it('an unknown machine is a 404 naming the machines there are', () => {
    const e = unknownMachine('mach_zz', ['mach_a1', 'mach_b2']);
    expect(e.status).toBe(404);
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(
      "Machine mach_zz not found; the machines here are mach_a1, mach_b2 (this machine, also 'local')",
    );
    expect(e.details).toEqual({ machine_id: 'mach_zz', machines: ['mach_a1', 'mach_b2', 'local'] });
  });
});

describe('machine status', () => {
  it('cpu usage is a percentage with one decimal', async () => {
    const u = await cpuUsage(50);
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThanOrEqual(100);
    expect(Math.round(u * 10)).toBe(u * 10);
  });

  it('disk usage is what statfs says, free as unprivileged users see it', async () => {
    const dir = newDir();
    const s = await statfs(dir);
    const d = await diskUsage(dir);
    // Others write meanwhile: the free blocks may move a little between the two reads.
    const near = (a: number, b: number) => Math.abs(a - b) < 256 * 1024 * 1024;
    expect(d.total).toBe(s.blocks * s.bsize);
    expect(near(d.free, s.bavail * s.bsize)).toBe(true);
    expect(near(d.used, s.blocks * s.bsize - s.bfree * s.bsize)).toBe(true);
    expect(d.free).toBeLessThan(d.total);
  });

  it('the root file system by default', async () => {
    const s = await statfs('/');
    expect((await diskUsage()).total).toBe(s.blocks * s.bsize);
  });

  it('the status: connected, uptime in whole seconds, the clock, cores and memory', async () => {
    const st = await machineStatus(clock);
    expect(st.connected).toBe(true);
    expect(Number.isInteger(st.uptime)).toBe(true);
    expect(st.uptime).toBeGreaterThan(0);
    expect(st.last_ping).toBe('2026-04-02T08:30:00Z');
    expect(st.cpu.cores).toBe(cpus().length);
    expect(st.memory.total).toBe(totalmem());
    expect(st.memory.used + st.memory.free).toBe(st.memory.total);
    expect(st.memory.used).toBeGreaterThan(0);
    expect(st.disk.total).toBeGreaterThan(0);
  });
});

describe('Test connection', () => {
  type Answer = Identity | number | Error;
  /** A client whose auth/me and machine list answer as given. */
  function clients(answers: Record<string, { me: Answer; machines: Answer }>) {
    const asked: string[] = [];
    const make = (url: string) => {
      asked.push(url);
      const a = answers[url] ?? { me: notFound(), machines: notFound() };
      const settle = <T>(v: Answer, ok: (v: never) => T): Promise<T> =>
        v instanceof Error ? Promise.reject(v) : Promise.resolve(ok(v as never));
      return {
        whoami: () => settle(a.me, (v) => v),
        listMachines: () => settle(a.machines, (n: number) => ({ data: [], meta: { total: n } })),
      } as unknown as RemoteService;
    };
    return { make, asked };
  }
  const notFound = () => new ApiError('not_found', 'Not found');

  it('a bare address reaches a self-hosted Cmdop at /api/v1, naming who the token is', async () => {
    const { make, asked } = clients({
      'https://cmdop.example/api/v1': {
        me: { id: 'u1', email: 'ann@example.com' } as Identity,
        machines: 3,
      },
    });
    expect(await probeRemote('https://cmdop.example', make)).toEqual({
      ok: true,
      message:
        'Connected to a self-hosted Cmdop at https://cmdop.example/api/v1 as ann@example.com: 3 machines',
      machines: 3,
      kind: 'self-hosted',
      url: 'https://cmdop.example/api/v1',
    });
    expect(asked).toEqual(['https://cmdop.example/api/v1']);
  });

  it('falls through to /v1 and counts one machine in the singular', async () => {
    const { make, asked } = clients({
      'https://api.cmdop.com/v1': { me: { id: 'u1' } as Identity, machines: 1 },
    });
    const r = await probeRemote('https://api.cmdop.com/', make);
    expect(r).toMatchObject({ ok: true, kind: 'cloud', machines: 1 });
    expect(r.message).toBe("Connected to Cmdop's cloud at https://api.cmdop.com/v1: 1 machine");
    expect(asked).toEqual(['https://api.cmdop.com/api/v1', 'https://api.cmdop.com/v1']);
  });

  it('an older API without auth/me still connects when it lists machines', async () => {
    const { make } = clients({
      'https://old.example/x': { me: new ApiError('internal', 'reply was not JSON'), machines: 0 },
    });
    expect(await probeRemote('https://old.example/x', make)).toMatchObject({
      ok: true,
      kind: 'unknown',
      message: 'Connected to a Cmdop-compatible API at https://old.example/x: 0 machines',
    });
  });

  it('405 and a reply without an envelope also mean "not here"', async () => {
    for (const e of [
      new ApiError('internal', 'x', {}, 405),
      new ApiError('internal', 'no envelope in reply'),
      new ApiError('internal', 'answered 502 without an error body'),
    ]) {
      const { make } = clients({ 'https://h.example/y': { me: e, machines: 2 } });
      expect((await probeRemote('https://h.example/y', make)).ok).toBe(true);
    }
  });

  it('another Cmdop Scheduler says so', async () => {
    const { make } = clients({
      'http://127.0.0.1:7000/v1': { me: { id: 'local', plan: 'local' } as Identity, machines: 1 },
    });
    expect((await probeRemote('http://127.0.0.1:7000/v1', make)).kind).toBe('cmdop-scheduler');
  });

  it.each(['unauthorized', 'forbidden'] as const)(
    'a %s token is refused, by name',
    async (code) => {
      const { make, asked } = clients({
        'https://api.cmdop.com/v1': { me: new ApiError(code, 'token expired'), machines: 1 },
      });
      expect(await probeRemote('https://api.cmdop.com/v1', make)).toEqual({
        ok: false,
        message: "Cmdop's cloud at https://api.cmdop.com/v1 refused the token: token expired",
        kind: 'cloud',
        url: 'https://api.cmdop.com/v1',
      });
      expect(asked).toHaveLength(1);
    },
  );

  it('any other failure of auth/me or the list is the answer, with no further tries', async () => {
    const down = clients({
      'https://h.example/api/v1': { me: new Error('ECONNREFUSED'), machines: 1 },
    });
    expect(await probeRemote('https://h.example', down.make)).toEqual({
      ok: false,
      message: 'ECONNREFUSED',
    });
    expect(down.asked).toHaveLength(1);
    const broken = clients({
      'https://h.example/api/v1': {
        me: { id: 'u' } as Identity,
        machines: new ApiError('internal', 'boom'),
      },
    });
    expect(await probeRemote('https://h.example', broken.make)).toEqual({
      ok: false,
      message: 'boom',
    });
    expect(broken.asked).toHaveLength(1);
    const plain = clients({
      'https://h.example/z': { me: notFound(), machines: new Error('socket hang up') },
    });
    expect(await probeRemote('https://h.example/z', plain.make)).toEqual({
      ok: false,
      message: 'socket hang up',
    });
  });

  it('nothing answering anywhere lists where it looked and the last reason', async () => {
    const { make } = clients({});
    expect(await probeRemote('https://nothing.example', make)).toEqual({
      ok: false,
      message:
        'No Cmdop API answered at https://nothing.example/api/v1 or https://nothing.example/v1 (Not found)',
    });
  });

  it('a list that is "not there" for a reason other than an Error says no reason', async () => {
    const { make } = clients({
      'https://n.example/q': { me: notFound(), machines: new ApiError('not_found', 'gone') },
    });
    expect((await probeRemote('https://n.example/q', make)).message).toBe(
      'No Cmdop API answered at https://n.example/q (gone)',
    );
  });
});

it('the identity file is JSON with two fields', () => {
  const dir = newDir();
  loadMachineIdentity(dir, clock, captureLog());
  expect(existsSync(join(dir, 'machine.json'))).toBe(true);
  expect(Object.keys(JSON.parse(readFileSync(join(dir, 'machine.json'), 'utf8')))).toEqual([
    'id',
    'created_at',
  ]);
});

describe('the remote client', () => {
  it('sends its token as a Bearer and waits at most 10 s for a retry by default', async () => {
    const waits: number[] = [];
    let n = 0;
    const stub = await startStubApi(() =>
      ++n === 1
        ? {
            status: 503,
            headers: { 'retry-after': '3600' },
            body: '{"error":{"code":"busy","message":"x","details":{}}}',
          }
        : {
            status: 200,
            body: JSON.stringify({ data: [], meta: { total: 0, limit: 20, offset: 0 } }),
          },
    );
    try {
      const service = new RemoteService(
        { url: stub.url, token: 'remote-token' },
        { sleep: async (ms) => void waits.push(ms), now: () => 0 },
      );
      await service.list({});
      expect(stub.requests.map((r) => r.authorization)).toEqual([
        'Bearer remote-token',
        'Bearer remote-token',
      ]);
      expect(waits).toEqual([10_000]);
    } finally {
      await stub.close();
    }
  });
});
