// LocalService as the composed host serves it (no HTTP server): a schedule stored broken on
// disk and what each verb says about it, the wire shape's derived fields, batches that are
// fine, patches that leave fields out, and the name every validation error gives its input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRejection } from '../helpers/api-error';
import { hostRig, type Rig } from '../helpers/host-rig';
import { storedSchedule } from '../helpers/stored-schedule';

const { open, newDir } = hostRig(afterEach);

const BASE = { name: 'Nightly', machine_id: 'local', command: 'true', cron: '0 3 * * *' };

/** A host over a data dir whose store holds sched_broken with an invalid cron. */
function withBrokenSchedule(): Rig {
  const dataDir = newDir();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      schemaVersion: 1,
      schedules: { sched_broken: storedSchedule('sched_broken', { cron: 'bad' }) },
    }),
  );
  return open({ dataDir });
}

describe('a schedule stored broken', () => {
  it('is listed with its error, cannot run, and says why', async () => {
    const { host } = withBrokenSchedule();
    const s = await host.router.get('sched_broken');
    expect(s.error).toMatch(/cron/);
    const e = await apiRejection(host.router.runNow('sched_broken'));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(`Schedule sched_broken cannot run until it is fixed: ${s.error}`);
    expect(e.details).toEqual({ error: s.error });
  });

  it('a patch that leaves the broken field out names it and changes nothing', async () => {
    const { host } = withBrokenSchedule();
    const e = await apiRejection(host.router.update('sched_broken', { name: 'renamed' }));
    expect(e.code).toBe('validation_error');
    expect(e.message).toMatch(/^Invalid schedule: cron: /);
    expect(Object.keys(e.details.fields as object)).toEqual(['cron']);
    expect((e.details.fields as Record<string, string>).cron).toMatch(
      /in the stored schedule; set a valid value$/,
    );
    expect((await host.router.get('sched_broken')).name).toBe('job sched_broken');
  });

  it('a patch that sets the broken field fixes it: no error, and it can run', async () => {
    const { host } = withBrokenSchedule();
    const fixed = await host.router.update('sched_broken', { cron: '0 4 * * *' });
    expect(fixed.cron).toBe('0 4 * * *');
    expect(fixed.error).toBeUndefined();
    expect(fixed.next_run).toBe('2026-05-05T04:00:00Z');
    const started = await host.router.runNow('sched_broken');
    expect(started.command_id).toEqual(expect.any(String));
  });
});

describe('the wire shape of a schedule', () => {
  it('a disabled schedule has no next run; its env is its own copy', async () => {
    const { host } = open();
    const s = await host.router.create({ ...BASE, enabled: false, env: { GREETING: 'hi' } });
    expect(s.next_run).toBeNull();
    expect(s.env).toEqual({ GREETING: 'hi' });
    s.env.GREETING = 'changed by the caller';
    expect((await host.router.get(s.id)).env).toEqual({ GREETING: 'hi' });
  });

  it('says running while its run is under way, and not after', async () => {
    const { host } = open();
    const s = await host.router.create({ ...BASE, command: 'sleep 30' });
    expect(s.running).toBe(false);
    const { command_id } = await host.router.runNow(s.id);
    expect((await host.router.get(s.id)).running).toBe(true);
    const ended = new Promise<void>((resolve) => {
      const stop = host.events.subscribe((e) => {
        if (e.type === 'run.finished' && e.run.command_id === command_id) {
          stop();
          resolve();
        }
      });
    });
    await host.router.cancelCommand(command_id);
    await ended;
    expect((await host.router.get(s.id)).running).toBe(false);
  });

  it('a patch naming a field as undefined leaves that field as it was', async () => {
    const { host } = open();
    const s = await host.router.create({ ...BASE, description: 'keeps this' });
    const patched = await host.router.update(s.id, { name: 'Renamed', description: undefined });
    expect(patched).toMatchObject({ name: 'Renamed', description: 'keeps this' });
  });
});

describe('batches', () => {
  it('items on this machine without ids are created, each with an id of its own', async () => {
    const { host } = open();
    const made = await host.service.createBatch({
      items: [
        { ...BASE, name: 'one' },
        { ...BASE, name: 'two' },
      ],
    });
    expect(made.map((s) => s.name)).toEqual(['one', 'two']);
    expect(new Set(made.map((s) => s.id)).size).toBe(2);
  });

  it('no body at all names the missing items', async () => {
    const { host } = open();
    const e = await apiRejection(host.service.createBatch(undefined as never));
    expect(e.message).toMatch(/^Invalid batch: items: /);
  });
});

describe('each validation error names its input', () => {
  it('query, schedule', async () => {
    const { host } = open();
    const s = await host.router.create(BASE);
    const cases: [Promise<unknown>, RegExp][] = [
      [host.router.list({ limit: 0 }), /^Invalid query: limit: /],
      [host.router.history(s.id, { limit: 0 }), /^Invalid query: limit: /],
      [host.service.listMachines({ limit: 0 }), /^Invalid query: limit: /],
      [host.router.create({ ...BASE, cron: 'x' }), /^Invalid schedule: cron: /],
      [host.router.update(s.id, { cron: 'x' }), /^Invalid schedule: cron: /],
    ];
    for (const [p, message] of cases) {
      const e = await apiRejection(p);
      expect(e.code).toBe('validation_error');
      expect(e.message).toMatch(message);
    }
  });
});

describe('machines', () => {
  it('this machine is the only one: a page past it is empty but counts it', async () => {
    const { host } = open();
    const first = await host.service.listMachines({ limit: 1 });
    expect(first.data.map((m) => m.id)).toEqual([host.service.machineId]);
    const past = await host.service.listMachines({ offset: 1 });
    expect(past).toMatchObject({ data: [], meta: { total: 1, offset: 1 } });
  });
});
