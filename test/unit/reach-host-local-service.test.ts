// LocalService through the router on this machine: schedules created, listed, updated,
// removed, run, batched and restored, and ad-hoc commands run to their end or started.
import { afterEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/shared/types';
import { BASE, finished, hostRig } from '../helpers/host-rig';

const { open } = hostRig(afterEach);

describe('LocalService through the router', () => {
  it('creates a schedule on this machine, in the wire shape, and says so', async () => {
    const { host, events } = open();
    const s = await host.router.create({ ...BASE, timezone: 'UTC', notify: { on_failure: true } });
    expect(s).toMatchObject({
      name: 'Daily Backup',
      machine_id: host.service.machineId,
      command: 'true',
      cron: '0 3 * * *',
      enabled: true,
      timezone: 'UTC',
      notify: { on_success: false, on_failure: true },
      next_run: '2026-05-05T03:00:00Z',
      last_run: null,
      created_at: '2026-05-04T12:00:00Z',
      updated_at: '2026-05-04T12:00:00Z',
      running: false,
      next_retry_at: null,
      retry_command_id: null,
    });
    expect(s.id).toMatch(/^sched_/);
    expect(s).not.toHaveProperty('error');
    expect(s).not.toHaveProperty('running_long');
    expect(events.filter((e) => e.type === 'schedule.created')).toEqual([
      { type: 'schedule.created', schedule: s },
    ]);
    expect(await host.router.get(s.id)).toEqual(s);
    expect(host.service.owns(s.id)).toBe(true);
    expect(host.service.owns('sched_nope')).toBe(false);
  });

  it('refuses another machine, naming this one', async () => {
    const { host } = open();
    const id = host.service.machineId;
    await expect(host.router.create({ ...BASE, machine_id: 'mach_other' })).rejects.toMatchObject({
      status: 404,
      message: `Machine mach_other not found; the machines here are ${id} (this machine, also 'local')`,
    });
    await expect(host.router.create({ ...BASE, machine_id: id })).resolves.toMatchObject({
      machine_id: id,
    });
  });

  it('lists with filters and pages, total over all that match', async () => {
    const { host } = open();
    const a = await host.router.create({ ...BASE, name: 'alpha backup' });
    const b = await host.router.create({ ...BASE, name: 'beta', enabled: false });
    const c = await host.router.create({ ...BASE, name: 'gamma', command: 'echo BACKUP' });
    const ids = (r: { data: Schedule[] }) => r.data.map((s) => s.id);
    expect(ids(await host.router.list())).toEqual([a.id, b.id, c.id]);
    const page = await host.router.list({ limit: 1, offset: 1 });
    expect(ids(page)).toEqual([b.id]);
    expect(page.meta).toEqual({ total: 3, limit: 1, offset: 1 });
    expect(ids(await host.router.list({ enabled: false }))).toEqual([b.id]);
    expect(ids(await host.router.list({ enabled: true }))).toEqual([a.id, c.id]);
    expect(ids(await host.router.list({ search: 'backup' }))).toEqual([a.id, c.id]);
    const both = await host.router.list({ search: 'backup', enabled: true, limit: 1 });
    expect(both.meta.total).toBe(2);
    expect(ids(await host.router.list({ machine_id: 'local' }))).toHaveLength(3);
    const other = await host.router.list({ machine_id: 'mach_other' });
    expect(other).toEqual({ data: [], meta: { total: 0, limit: 20, offset: 0 } });
    expect((await host.service.listAll(false)).map((s) => s.id)).toEqual([b.id]);
    expect((await host.service.listAll(undefined, 'GAMMA')).map((s) => s.id)).toEqual([c.id]);
  });

  it('names a schedule that is not there', async () => {
    const { host } = open();
    await expect(host.router.get('sched_none')).rejects.toThrow('Schedule sched_none not found');
    await expect(host.router.update('sched_none', { name: 'x' })).rejects.toThrow(
      'Schedule sched_none not found',
    );
    await expect(host.router.remove('sched_none')).rejects.toThrow('not found');
    await expect(host.router.runNow('sched_none')).rejects.toThrow('not found');
    await expect(host.router.history('sched_none')).rejects.toThrow('not found');
  });

  it('updates what the patch sets, with a new updated_at; an empty change changes nothing', async () => {
    const { host, events, clock } = open();
    const s = await host.router.create({ ...BASE, description: 'keep me' });
    clock.ms += 60_000;
    const same = await host.router.update(s.id, { name: 'Daily Backup' });
    expect(same.updated_at).toBe('2026-05-04T12:00:00Z');
    expect(events.filter((e) => e.type === 'schedule.updated')).toHaveLength(0);
    const u = await host.router.update(s.id, { name: 'Renamed', machine_id: 'local' });
    expect(u).toMatchObject({
      name: 'Renamed',
      description: 'keep me',
      updated_at: '2026-05-04T12:01:00Z',
      created_at: '2026-05-04T12:00:00Z',
    });
    expect(events.filter((e) => e.type === 'schedule.updated')).toEqual([
      { type: 'schedule.updated', schedule: u },
    ]);
    await expect(host.router.update(s.id, { machine_id: 'mach_zz' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('judges notify as a whole: a plain-http URL needs allow_http, even from two patches', async () => {
    const { host } = open();
    const s = await host.router.create(BASE);
    await expect(
      host.router.update(s.id, { notify: { webhook_url: 'http://hooks.example.com/x' } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid schedule: notify\.webhook_url: /),
      details: { fields: { 'notify.webhook_url': expect.any(String) } },
    });
    await host.router.update(s.id, { notify: { allow_http: true } });
    const u = await host.router.update(s.id, {
      notify: { webhook_url: 'http://hooks.example.com/x' },
    });
    expect(u.notify).toMatchObject({ webhook_url: 'http://hooks.example.com/x', allow_http: true });
  });

  it('removes a schedule: gone from the list, schedule.deleted said', async () => {
    const { host, events } = open();
    const s = await host.router.create(BASE);
    expect(await host.router.remove(s.id)).toEqual({ deleted: true });
    expect(events.at(-1)).toEqual({ type: 'schedule.deleted', id: s.id });
    expect((await host.router.list()).meta.total).toBe(0);
  });

  it('runs now and lists the run in its history', async () => {
    const { host } = open();
    const s = await host.router.create({ ...BASE, command: 'echo ran' });
    let commandId: string | null = null;
    const done = finished(host, () => commandId);
    const started = await host.router.runNow(s.id);
    commandId = started.command_id;
    const run = await done;
    expect(run.status).toBe('success');
    const h = await host.router.history(s.id, { limit: 5 });
    expect(h.meta).toEqual({ total: 1, limit: 5, offset: 0 });
    expect(h.data[0]).toMatchObject({ command_id: started.command_id, stdout: 'ran\n' });
    const cmd = await host.router.getCommand(started.command_id);
    expect(cmd).toMatchObject({
      id: started.command_id,
      status: 'completed',
      command: 'echo ran',
      machine_id: host.service.machineId,
    });
    expect((await host.router.get(s.id)).last_run).not.toBeNull();
  });

  it('creates a batch all or none, in the order sent, naming every bad item', async () => {
    const { host, events } = open();
    const taken = await host.router.create(BASE);
    await expect(
      host.service.createBatch({
        items: [
          { ...BASE, id: taken.id },
          { ...BASE, machine_id: 'mach_other' },
          { ...BASE, id: 'sched_dup1' },
          { ...BASE, id: 'sched_dup1' },
        ],
      } as never),
    ).rejects.toMatchObject({
      details: {
        fields: {
          'items.0.id': `${taken.id} already exists`,
          'items.1.machine_id': `unknown machine 'mach_other'; a batch creates schedules on this machine (${host.service.machineId} or 'local') only`,
          'items.3.id': 'sched_dup1 already exists',
        },
      },
    });
    await expect(host.service.createBatch(undefined as never)).rejects.toThrow(/^Invalid batch/);
    expect((await host.router.list()).meta.total).toBe(1);
    const made = await host.service.createBatch({
      items: [
        { ...BASE, name: 'one' },
        { ...BASE, name: 'two', id: 'sched_two' },
      ],
    } as never);
    expect(made.map((s) => s.name)).toEqual(['one', 'two']);
    expect(made[1]?.id).toBe('sched_two');
    expect(events.filter((e) => e.type === 'schedule.created')).toHaveLength(3);
    const list = await host.router.list();
    expect(list.data.map((s) => s.name)).toEqual(['Daily Backup', 'one', 'two']);
  });

  it('keeps a batch item`s own created_at and updated_at', async () => {
    const { host } = open();
    const [s] = await host.service.createBatch({
      items: [{ ...BASE, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-02-01T00:00:00Z' }],
    } as never);
    expect(s).toMatchObject({
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-02-01T00:00:00Z',
    });
    const [t] = await host.service.createBatch({
      items: [{ ...BASE, created_at: '2025-01-01T00:00:00Z' }],
    } as never);
    expect(t?.updated_at).toBe('2025-01-01T00:00:00Z');
  });

  it('restores a backup: old ones deleted, kept ones updated, new ones created', async () => {
    const { host, events } = open();
    const old = await host.router.create({ ...BASE, name: 'old' });
    const kept = await host.router.create({ ...BASE, name: 'kept' });
    const stored = host.repo.get(kept.id);
    const fresh = {
      ...stored,
      id: 'sched_fresh',
      name: 'fresh',
      created_at: '2026-05-04T13:00:00.000Z',
    };
    events.length = 0;
    host.service.restore([stored, fresh] as never, host.repo.settings());
    expect(
      events.map((e) => `${e.type} ${'id' in e ? e.id : 'schedule' in e ? e.schedule.id : ''}`),
    ).toEqual([
      `schedule.deleted ${old.id}`,
      `schedule.updated ${kept.id}`,
      'schedule.created sched_fresh',
    ]);
    expect((await host.router.list()).data.map((s) => s.name)).toEqual(['kept', 'fresh']);
  });

  it('lists this machine, filters it, and answers its status', async () => {
    const { host } = open();
    const id = host.service.machineId;
    const all = await host.router.listMachines();
    expect(all.meta).toEqual({ total: 1, limit: 20, offset: 0 });
    expect(all.data[0]).toMatchObject({ id, status: 'online', tags: ['local'] });
    expect((await host.router.listMachines({ tags: 'gpu' })).meta.total).toBe(0);
    expect((await host.router.listMachines({ offset: 1 })).data).toEqual([]);
    expect((await host.service.listMachines({ search: 'zz-no-host' })).meta.total).toBe(0);
    expect(await host.router.getMachine('local')).toMatchObject({ id });
    expect(await host.router.getMachine(id)).toMatchObject({ id });
    await expect(host.router.getMachine('mach_zz')).rejects.toMatchObject({ status: 404 });
    await expect(host.router.getMachineStatus('mach_zz')).rejects.toMatchObject({ status: 404 });
    await expect(host.router.listCommands('mach_zz')).rejects.toMatchObject({ status: 404 });
    expect((await host.router.getMachineStatus('local')).connected).toBe(true);
    expect(host.service.isLocalMachine('local')).toBe(true);
    expect(host.service.isLocalMachine(id)).toBe(true);
    expect(host.service.isLocalMachine('mach_zz')).toBe(false);
  });
});

describe('ad-hoc commands', () => {
  it('runs one to its end and answers in the command shape', async () => {
    const { host } = open();
    const c = await host.router.runCommand({ machine_id: 'local', command: 'echo hello; exit 3' });
    expect(c).toMatchObject({
      status: 'failed',
      run_status: 'failure',
      exit_code: 3,
      stdout: 'hello\n',
      command: 'echo hello; exit 3',
      machine_id: host.service.machineId,
    });
    const list = await host.router.listCommands('local');
    expect(list.data.map((x) => x.id)).toEqual([c.id]);
    expect(list.meta).toMatchObject({ total: 1 });
    expect((await host.router.list()).meta.total).toBe(0);
  });

  it('starts one without waiting, and filters the list by Cmdop status', async () => {
    const { host } = open();
    let id: string | null = null;
    const done = finished(host, () => id);
    const started = await host.router.startCommand({ machine_id: 'local', command: 'true' });
    id = started.command_id;
    expect(started).toEqual({
      id: started.command_id,
      status: 'running',
      command_id: started.command_id,
      run_id: expect.stringMatching(/^run_/),
    });
    await done;
    const bad = await host.router.runCommand({ machine_id: 'local', command: 'false' });
    const ok = await host.router.listCommands('local', { status: 'completed' });
    expect(ok.data.map((x) => x.id)).toEqual([started.command_id]);
    expect(ok.meta).toEqual({ total: 1, limit: 20, offset: 0 });
    const failed = await host.router.listCommands('local', { status: 'failed' });
    expect(failed.data.map((x) => x.id)).toEqual([bad.id]);
    const skipped = await host.router.listCommands('local', { status: 'failed', offset: 1 });
    expect(skipped).toMatchObject({ data: [], meta: { total: 1, offset: 1 } });
    const none = await host.router.listCommands('local', { status: 'running' });
    expect(none.meta.total).toBe(0);
    const later = await host.router.listCommands('local', {
      status: 'completed',
      since: '2030-01-01T00:00:00Z',
    } as never);
    expect(later.meta.total).toBe(0);
  });

  it('runs only as the app`s own user, on this machine', async () => {
    const { host } = open();
    await expect(
      host.router.runCommand({ machine_id: 'local', command: 'true', user: 'root-not-me' }),
    ).rejects.toThrow(
      /^Invalid command: user: commands run as the app's user .*; running as 'root-not-me' is not supported$/,
    );
    await expect(
      host.service.runCommand({ machine_id: 'mach_zz', command: 'true' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('an unknown command is 404', async () => {
    const { host } = open();
    await expect(host.router.getCommand('cmd_none')).rejects.toMatchObject({ status: 404 });
    await expect(host.router.cancelCommand('cmd_none')).rejects.toMatchObject({ status: 404 });
  });
});
