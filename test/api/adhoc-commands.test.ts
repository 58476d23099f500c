// Ad-hoc commands (POST /v1/commands, /async) with real processes: the same runner as a
// schedule's run — timeout killing the whole group, output caps, history that outlives a
// restart — recorded under "adhoc", never in schedule lists, and refused clearly.
import { afterEach, describe, expect, it } from 'vitest';
import { userInfo } from 'node:os';
import type { ApiEvent } from '../../src/shared/events';
import { groupAlive } from '../helpers/serve-process';
import { startTestServer, tempDirs, type TestServer } from '../helpers/server';

const newDir = tempDirs(afterEach);
const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

async function server(dataDir = newDir()) {
  const srv = await startTestServer({ dataDir, killGraceMs: 300 });
  servers.push(srv);
  return srv;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /v1/commands (waits for the end)', () => {
  it('runs in the shell with cwd and env, answers the finished command, keeps it out of schedule lists', async () => {
    const srv = await server();
    const events: ApiEvent[] = [];
    srv.headless.host.events.subscribe((e) => events.push(e));
    const res = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: 'echo "in $(pwd) as $WHO"; echo warn >&2; exit 4',
      cwd: '/tmp',
      env: { WHO: 'tester' },
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({
      status: 'failed',
      run_status: 'failure',
      exit_code: 4,
      stdout: 'in /tmp as tester\n',
      stderr: 'warn\n',
      schedule_id: 'adhoc',
      trigger: 'manual',
      command: 'echo "in $(pwd) as $WHO"; echo warn >&2; exit 4',
    });
    expect(events.find((e) => e.type === 'run.started')).toMatchObject({
      run: { schedule_id: 'adhoc', command_id: res.json.data.id },
    });
    expect((await srv.call('GET', '/v1/schedules')).json.meta.total).toBe(0);
  });

  it('does not notify: whoever ran it has the answer (a failing schedule still does)', async () => {
    const srv = await server();
    const adhoc = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: 'exit 5',
    });
    expect(adhoc.json.data.status).toBe('failed');
    const s = await srv.call('POST', '/v1/schedules', {
      name: 'Fails',
      machine_id: 'local',
      command: 'exit 6',
      cron: '0 0 1 1 *',
    });
    const started = await srv.call('POST', `/v1/schedules/${s.json.data.id}/run`);
    // Notices go out in batches: once the schedule's is out, an ad-hoc one would be too.
    for (let i = 0; i < 400 && srv.notices.length === 0; i++) await sleep(25);
    expect(srv.notices.map((n) => n.commandId)).toEqual([started.json.data.command_id]);
  });

  it('ends a command at its timeout, with everything it started (failed, run_status timeout)', async () => {
    const srv = await server();
    const pidFile = `${srv.dataDir}/child.pid`;
    const res = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: `sleep 60 & echo $! > '${pidFile}'; wait`,
      timeout: 1000,
    });
    expect(res.json.data).toMatchObject({
      status: 'failed',
      run_status: 'timeout',
      exit_code: null,
    });
    const { readFileSync } = await import('node:fs');
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(groupAlive(child)).toBe(false);
  });

  it('keeps the first and last 128 KiB of a big output, as a schedule run does', async () => {
    const srv = await server();
    const res = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: "echo START; head -c 600000 /dev/zero | tr '\\0' x; echo; echo END",
    });
    const { stdout, truncated } = res.json.data;
    expect(truncated).toBe(true);
    expect(stdout.startsWith('START\nxxx')).toBe(true);
    expect(stdout.endsWith('xxx\nEND\n')).toBe(true);
    expect(stdout).toMatch(/\[… \d+ bytes dropped …\]/);
    expect(stdout.length).toBeLessThan(270_000);
  });

  it('refuses clearly: unknown fields, a timeout a request cannot wait for, another user, an unknown machine', async () => {
    const srv = await server();
    const bad = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: ' ',
      timeout: 7_200_000,
      shell: 'zsh',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.fields).toEqual({
      command: 'must not be blank',
      timeout: 'must be 1000..3600000 ms (longer: POST /v1/commands/async)',
      shell: 'is not a known field',
    });
    const other = userInfo().username === 'nobody' ? 'root' : 'nobody';
    const user = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: 'id',
      user: other,
    });
    expect(user.status).toBe(400);
    expect(user.json.error.details.fields.user).toContain(`running as '${other}' is not supported`);
    const me = await srv.call('POST', '/v1/commands', {
      machine_id: 'local',
      command: 'echo me',
      user: userInfo().username,
    });
    expect(me.json.data.stdout).toBe('me\n');
    const elsewhere = await srv.call('POST', '/v1/commands/async', {
      machine_id: 'mach_nope',
      command: 'id',
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json.error.message).toContain('Machine mach_nope not found');
    expect((await srv.call('GET', '/v1/machines/mach_nope/commands')).status).toBe(404);
  });
});

describe('POST /v1/commands/async and the history', () => {
  it('lists commands newest first with Cmdop status filters; they survive a restart, an interrupted one as failed', async () => {
    const dataDir = newDir();
    const first = await server(dataDir);
    const ok = (await first.call('POST', '/v1/commands', { machine_id: 'local', command: 'true' }))
      .json.data;
    const long = (
      await first.call('POST', '/v1/commands/async', { machine_id: 'local', command: 'sleep 30' })
    ).json.data;
    expect(long).toEqual({
      id: long.command_id,
      status: 'running',
      command_id: long.command_id,
      run_id: long.run_id,
    });
    const list = await first.call('GET', '/v1/machines/local/commands');
    expect(list.json.data.map((c: any) => c.id)).toEqual([long.id, ok.id]);
    expect(
      (await first.call('GET', '/v1/machines/local/commands?status=running')).json.meta.total,
    ).toBe(1);
    await first.stop();
    servers.pop();

    const second = await server(dataDir);
    const again = await second.call('GET', `/v1/commands/${long.id}`);
    expect(again.json.data).toMatchObject({
      status: 'failed',
      run_status: 'interrupted',
      command: 'sleep 30',
    });
    const failed = await second.call('GET', '/v1/machines/local/commands?status=failed');
    expect(failed.json.data.map((c: any) => c.id)).toEqual([long.id]);
    const completed = await second.call('GET', '/v1/machines/local/commands?status=completed');
    expect(completed.json.data.map((c: any) => c.id)).toEqual([ok.id]);
    expect(completed.json.data[0].command).toBe('true');
  });

  it('a client that goes away does not stop the command; it can be read and cancelled by id', async () => {
    const srv = await server();
    const controller = new AbortController();
    const pending = fetch(`${srv.url}/v1/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ machine_id: 'local', command: 'sleep 20', timeout: 30000 }),
      signal: controller.signal,
    }).catch(() => null);
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      await sleep(20);
      id = (await srv.call('GET', '/v1/machines/local/commands?status=running')).json.data[0]?.id;
    }
    controller.abort();
    await pending;
    expect((await srv.call('GET', `/v1/commands/${id}`)).json.data.status).toBe('running');
    expect((await srv.call('DELETE', `/v1/commands/${id}`)).json.data).toEqual({ cancelled: true });
    for (let i = 0; i < 100; i++) {
      if ((await srv.call('GET', `/v1/commands/${id}`)).json.data.status !== 'running') break;
      await sleep(25);
    }
    expect((await srv.call('GET', `/v1/commands/${id}`)).json.data.status).toBe('cancelled');
  });
});
