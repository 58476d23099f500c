// The router with a remote Cmdop API connected (what it merges, where it sends each call),
// and the host itself: its token, its remote connection, a failing disk, closing.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openHost } from '../../src/core/host';
import type { SchedulesApi } from '../../src/shared/api';
import { ApiError } from '../../src/shared/errors';
import type { Schedule } from '../../src/shared/types';
import { BASE, hostOptions, hostRig } from '../helpers/host-rig';
import { recordingNotifier } from '../helpers/server';

const { open, hosts } = hostRig(afterEach);

/** A remote Cmdop API standing in for the real one: records calls, answers as set. */
function fakeRemote(over: Partial<SchedulesApi> = {}) {
  const calls: string[] = [];
  const remoteSchedule = (n: number) => ({ id: `rsch_${n}`, name: `remote ${n}` }) as Schedule;
  const api = new Proxy({} as SchedulesApi, {
    get(_t, name: string) {
      if (name === 'then') return undefined;
      return async (...args: unknown[]) => {
        calls.push(`${name} ${JSON.stringify(args)}`);
        const own = (over as Record<string, (...a: unknown[]) => unknown>)[name];
        if (own) return own(...args);
        if (name === 'list' || name === 'listMachines') {
          const q = args[0] as { limit: number; offset: number };
          return {
            data: [1, 2, 3].slice(q.offset, q.offset + q.limit).map(remoteSchedule),
            meta: { total: 3, limit: q.limit, offset: q.offset },
          };
        }
        return { remote: name };
      };
    },
  });
  return { api, calls };
}

describe('the router with a remote connected', () => {
  it('lists local first, then remote, one total; pages run over both', async () => {
    const { host } = open();
    const a = await host.router.create(BASE);
    const { api, calls } = fakeRemote();
    host.router.setRemote(api, 'api.example');
    expect(host.router.remoteConnected).toBe(true);
    const all = await host.router.list();
    expect(all.data.map((s) => s.id)).toEqual([a.id, 'rsch_1', 'rsch_2', 'rsch_3']);
    expect(all.meta).toEqual({ total: 4, limit: 20, offset: 0 });
    expect(calls).toEqual(['list [{"limit":19,"offset":0}]']);
    const p2 = await host.router.list({ limit: 2, offset: 2 });
    expect(p2.data.map((s) => s.id)).toEqual(['rsch_2', 'rsch_3']);
    expect(calls.at(-1)).toBe('list [{"limit":2,"offset":1}]');
    const first = await host.router.list({ limit: 1 });
    expect(first.data.map((s) => s.id)).toEqual([a.id]);
    expect(first.meta.total).toBe(4);
    expect(calls.at(-1)).toBe('list [{"limit":1,"offset":0}]');
    await host.router.list({ enabled: true, search: 'x' });
    expect(calls.at(-1)).toBe('list [{"enabled":true,"search":"x","limit":20,"offset":0}]');
    host.router.setRemote(null);
    expect(host.router.remoteConnected).toBe(false);
    expect((await host.router.list()).meta.total).toBe(1);
  });

  it('passes the remote list warnings on, and a remote that fails costs a warning only', async () => {
    const { host } = open();
    await host.router.create(BASE);
    const warned = fakeRemote({
      list: async () => ({ data: [], meta: { total: 0, limit: 1, offset: 0, warnings: ['w1'] } }),
    });
    host.router.setRemote(warned.api, 'api.example');
    expect((await host.router.list()).meta.warnings).toEqual(['w1']);
    const down = fakeRemote({
      list: async () => {
        throw new ApiError('unavailable' as never, 'connect ECONNREFUSED');
      },
      listMachines: async () => {
        throw new Error('socket hang up');
      },
    });
    host.router.setRemote(down.api, 'api.example');
    const r = await host.router.list();
    expect(r.meta).toMatchObject({
      total: 1,
      warnings: [
        'The Cmdop API at api.example could not be reached, so only this machine is shown (connect ECONNREFUSED)',
      ],
    });
    expect(r.data).toHaveLength(1);
    const m = await host.router.listMachines();
    expect(m.meta.warnings).toEqual([
      'The Cmdop API at api.example could not be reached, so only this machine is shown (Error: socket hang up)',
    ]);
  });

  it('sends other machines and unknown ids to the remote, this machine`s to the service', async () => {
    const { host } = open();
    const mine = await host.router.create(BASE);
    const { api, calls } = fakeRemote();
    host.router.setRemote(api, 'api.example');
    expect(await host.router.get(mine.id)).toMatchObject({ id: mine.id });
    expect(await host.router.get('rsch_9')).toEqual({ remote: 'get' });
    expect(await host.router.update('rsch_9', { name: 'x' })).toEqual({ remote: 'update' });
    expect(await host.router.remove('rsch_9')).toEqual({ remote: 'remove' });
    expect(await host.router.runNow('rsch_9')).toEqual({ remote: 'runNow' });
    expect(await host.router.history('rsch_9')).toEqual({ remote: 'history' });
    expect(await host.router.create({ ...BASE, machine_id: ' mach_far ' })).toEqual({
      remote: 'create',
    });
    expect(await host.router.create({ ...BASE, machine_id: ' local ' })).toMatchObject({
      machine_id: host.service.machineId,
    });
    expect(await host.router.runCommand({ machine_id: 'mach_far', command: 'x' })).toEqual({
      remote: 'runCommand',
    });
    expect(await host.router.startCommand({ machine_id: 'mach_far', command: 'x' })).toEqual({
      remote: 'startCommand',
    });
    expect(await host.router.listCommands('mach_far')).toEqual({ remote: 'listCommands' });
    expect(await host.router.getMachine('mach_far')).toEqual({ remote: 'getMachine' });
    expect(await host.router.getMachineStatus('mach_far')).toEqual({ remote: 'getMachineStatus' });
    expect(await host.router.getMachine('local')).toMatchObject({ id: host.service.machineId });
    expect(await host.router.list({ machine_id: 'mach_far' })).toMatchObject({
      meta: { total: 3 },
    });
    expect(calls.at(-1)).toBe('list [{"machine_id":"mach_far"}]');
    expect((await host.router.list({ machine_id: 'local' })).meta.total).toBe(2);
  });

  it('commands this engine does not know are asked of the remote; other errors are not', async () => {
    const { host } = open();
    const { api, calls } = fakeRemote();
    host.router.setRemote(api, 'api.example');
    expect(await host.router.getCommand('cmd_far')).toEqual({ remote: 'getCommand' });
    expect(await host.router.cancelCommand('cmd_far')).toEqual({ remote: 'cancelCommand' });
    expect(calls).toEqual(['getCommand ["cmd_far"]', 'cancelCommand ["cmd_far"]']);
    const c = await host.router.runCommand({ machine_id: 'local', command: 'true' });
    await expect(host.router.cancelCommand(c.id)).rejects.toMatchObject({ status: 409 });
    expect(calls).toHaveLength(2);
  });

  it('merges machines: this one first, the remote`s after, filters passed on', async () => {
    const { host } = open();
    const { api, calls } = fakeRemote();
    host.router.setRemote(api, 'api.example');
    const m = await host.router.listMachines({ status: 'online', limit: 2 });
    expect(m.data.map((x) => x.id)).toEqual([host.service.machineId, 'rsch_1']);
    expect(m.meta).toEqual({ total: 4, limit: 2, offset: 0 });
    expect(calls).toEqual(['listMachines [{"status":"online","limit":1,"offset":0}]']);
  });
});

describe('the host', () => {
  it('rotates its token: stored, and the old one no longer works', () => {
    const { host, log, dataDir } = open();
    const before = host.token.token;
    expect(host.token.origin).not.toBe('env');
    host.rotateToken?.();
    expect(host.token.token).not.toBe(before);
    expect(host.token.origin).toBe('generated');
    expect(readFileSync(host.token.path as string, 'utf8')).toContain(host.token.token);
    expect(host.token.path?.startsWith(dataDir)).toBe(true);
    expect(log.lines).toContain('info the API token was rotated; the old one no longer works');
  });

  it('a token from the environment cannot be rotated', () => {
    const { host } = open({ envToken: 'env-token-0123456789abcdef0123456789' });
    expect(host.token.token).toBe('env-token-0123456789abcdef0123456789');
    expect(host.rotateToken).toBeNull();
  });

  it('connects the remote once a URL and a token are set, and says what is missing', async () => {
    const { host, log } = open();
    expect(host.remote.status()).toEqual({
      url: null,
      token_set: false,
      source: 'settings',
      connected: false,
      token_encrypted: false,
      token_unreadable: null,
    });
    expect(await host.remote.test()).toEqual({
      ok: false,
      message:
        'No URL is set for the Cmdop connection: Cmdop cloud https://api.cmdop.com/v1, or a self-hosted https://HOST/api/v1',
    });
    expect(await host.remote.test({ url: 'https://cmdop.example/api/v1' })).toEqual({
      ok: false,
      message: 'No API token is set for the Cmdop connection',
    });
    host.remote.configure({ token: 'tok_123' });
    expect(host.remote.status()).toMatchObject({ token_set: true, connected: false });
    expect(log.lines.at(-1)).toMatch(
      /^warn a Cmdop API token is set but no URL, so nothing is connected: set it in Settings → Cmdop connection/,
    );
    host.remote.configure({ url: 'https://cmdop.example:8443/api/v1' });
    expect(host.remote.status()).toMatchObject({
      url: 'https://cmdop.example:8443/api/v1',
      connected: true,
    });
    expect(host.router.remoteConnected).toBe(true);
    expect(log.lines.at(-1)).toBe('info connected to the Cmdop API at cmdop.example:8443');
    host.remote.configure({ token: null });
    expect(host.remote.status()).toMatchObject({ token_set: false, connected: false });
  });

  it('a URL and token from the command line win and are shown as such', () => {
    const { host, log } = open({ remoteOverride: { token: 'tok_cli' } });
    expect(host.remote.status()).toMatchObject({
      source: 'cli',
      token_set: true,
      connected: false,
      token_encrypted: false,
      token_unreadable: null,
    });
    expect(log.lines.some((l) => l.includes('pass --remote-url'))).toBe(true);
    const both = open({
      remoteOverride: { url: 'https://api.cmdop.com/v1', token: 'tok_cli' },
    });
    expect(both.host.remote.status()).toMatchObject({
      url: 'https://api.cmdop.com/v1',
      connected: true,
    });
  });

  it('the desktop hears when the data directory cannot be saved', async () => {
    const notifier = recordingNotifier();
    const { host } = open({ notifier });
    host.storage.failed(
      'store',
      '/nowhere',
      Object.assign(new Error('no space'), { code: 'ENOSPC' }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(notifier.sent.map((n) => n.title)).toEqual(['Cmdop Scheduler cannot save']);
  });

  it('closing twice is one close; the directory can be opened again', async () => {
    const { host, dataDir } = open();
    const first = host.close();
    expect(host.close()).toBe(first);
    await first;
    hosts.pop();
    const again = openHost(hostOptions(dataDir));
    hosts.push(again);
    expect(again.service.machineId).toBe(host.service.machineId);
  });
});
