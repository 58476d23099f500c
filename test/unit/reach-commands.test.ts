// Ad-hoc commands (Cmdop's Commands API) on the composed host: openHost on a temp data dir
// with a fixed clock, real child processes, and what a client of POST /v1/commands,
// /v1/commands/async and GET /v1/machines/:id/commands sees.
import { afterEach, describe, expect, it } from 'vitest';
import { realpathSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ADHOC_RUNNING_MAX } from '../../src/core/commands';
import { finished, hostRig } from '../helpers/host-rig';

const { open, newDir } = hostRig(afterEach);

describe('an ad-hoc command', () => {
  it('runs in the directory and with the environment it names', async () => {
    const { host } = open();
    const dir = newDir();
    const c = await host.router.runCommand({
      machine_id: 'local',
      command: 'pwd; echo "v=$CMDOP_T_VAR"',
      cwd: dir,
      env: { CMDOP_T_VAR: 'from-the-request' },
    });
    expect(c).toMatchObject({ status: 'completed', exit_code: 0 });
    expect(c.stdout).toBe(`${realpathSync(dir)}\nv=from-the-request\n`);
  });

  it('runs when the user named is the app`s own', async () => {
    const { host } = open();
    const me = userInfo().username;
    const c = await host.router.runCommand({ machine_id: 'local', command: 'echo ok', user: me });
    expect(c).toMatchObject({ status: 'completed', stdout: 'ok\n' });
  });

  it('answers with its own end, not another command`s that ends meanwhile', async () => {
    const { host, dataDir } = open();
    const go = join(dataDir, 'go');
    const slow = host.router.runCommand({
      machine_id: 'local',
      command: `while [ ! -e '${go}' ]; do sleep 0.02; done; echo slow`,
    });
    const quick = await host.router.runCommand({ machine_id: 'local', command: 'echo quick' });
    expect(quick.stdout).toBe('quick\n');
    writeFileSync(go, '');
    const c = await slow;
    expect(c).toMatchObject({ status: 'completed', stdout: 'slow\n' });
    expect(c.id).not.toBe(quick.id);
  });

  it('refuses bodies and queries that break the rules, naming what is wrong', async () => {
    const { host } = open();
    await expect(host.router.runCommand({ machine_id: 'local' } as never)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid command: command: /),
    });
    await expect(
      host.router.startCommand({ machine_id: 'local', command: 'true', timeout: -1 } as never),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid command: timeout: /),
    });
    await expect(
      host.router.listCommands('local', { limit: 'many' } as never),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Invalid query: limit: /),
    });
  });

  it(`refuses more than ${ADHOC_RUNNING_MAX} at once with 409, naming the limit`, async () => {
    const { host, dataDir } = open();
    const go = join(dataDir, 'release');
    const wait = `while [ ! -e '${go}' ]; do sleep 0.2; done`;
    const ids: string[] = [];
    for (let i = 0; i < ADHOC_RUNNING_MAX; i++) {
      ids.push((await host.router.startCommand({ machine_id: 'local', command: wait })).id);
    }
    expect(host.engine.adhocRunning()).toBe(ADHOC_RUNNING_MAX);
    let err: unknown = null;
    try {
      await host.router.startCommand({ machine_id: 'local', command: 'true' });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      status: 409,
      code: 'conflict',
      message: `${ADHOC_RUNNING_MAX} ad-hoc commands are running, the most allowed at once; wait for one to end or cancel one`,
      details: { running: ADHOC_RUNNING_MAX, limit: ADHOC_RUNNING_MAX },
    });
    const last = ids.at(-1) as string;
    const done = finished(host, () => last);
    writeFileSync(go, '');
    expect((await done).status).toBe('success');
  }, 60_000);
});

describe('the list of ad-hoc commands by status', () => {
  it('pages over what matches, counts all of it, and keeps the start instant given', async () => {
    const { host, clock } = open();
    const ran: string[] = [];
    for (const at of ['12:00:00', '12:01:00', '12:02:00']) {
      clock.ms = Date.parse(`2026-05-04T${at}Z`);
      ran.push((await host.router.runCommand({ machine_id: 'local', command: 'true' })).id);
    }
    await host.router.runCommand({ machine_id: 'local', command: 'false' });
    const [a, b, c] = ran;
    const page = await host.router.listCommands('local', { status: 'completed', limit: 1 });
    expect(page.data.map((x) => x.id)).toEqual([c]);
    expect(page.meta).toEqual({ total: 3, limit: 1, offset: 0 });
    const second = await host.router.listCommands('local', {
      status: 'completed',
      limit: 1,
      offset: 1,
    });
    expect(second.data.map((x) => x.id)).toEqual([b]);
    expect(second.meta.total).toBe(3);
    const since = await host.router.listCommands('local', {
      status: 'completed',
      since: '2026-05-04T12:01:00Z',
    } as never);
    expect(since.data.map((x) => x.id)).toEqual([c, b]);
    expect(since.meta.total).toBe(2);
    const all = await host.router.listCommands('local', { status: 'completed' });
    expect(all.data.map((x) => x.id)).toEqual([c, b, a]);
  });
});
