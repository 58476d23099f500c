// The user's environment: a login shell reads the profile of the user's HOME (a temp one
// here, with a variable exported only there), an env file is read at each run, and a
// missing one fails the run with the reason. Real shells, real files.
import { chmodSync, existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, type PolicyServer } from '../helpers/policies';
import { removeDir, tempDir } from '../helpers/server';

let home: string;
let p: PolicyServer;

beforeAll(async () => {
  home = tempDir('cmdop-home-');
  // sh and dash read ~/.profile as a login shell; bash does too when it has no .bash_profile.
  writeFileSync(join(home, '.profile'), 'export CMDOP_FROM_PROFILE="profile of $HOME"\n');
  p = await policyServer({
    time: new FakeTime('2026-06-01T10:00:00Z'),
    env: { PATH: process.env.PATH, HOME: home, SHELL: '/bin/sh', LANG: 'C', CMDOP_APP: 'app' },
  });
});

afterAll(async () => {
  await p.stop();
  removeDir(p.srv.dataDir);
  removeDir(home);
});

async function runOnce(body: Record<string, unknown>) {
  const s = await p.create(body);
  await p.runNow(s.id);
  return (await p.settled(s.id, 1))[0] as NonNullable<Awaited<ReturnType<typeof p.runs>>[0]>;
}

// README, "How schedules run", "Runs": "in `cwd` (default: home), with `env` over the app's
// environment".
describe('where and with what a command runs', () => {
  it('runs in the home directory when the schedule names no cwd', async () => {
    const run = await runOnce({ command: 'pwd -P', shell: 'plain' });
    expect(run).toMatchObject({ status: 'success', stdout: `${realpathSync(homedir())}\n` });
  });

  it("env overrides a variable of the app's environment; the others pass through", async () => {
    const echo = 'echo "$CMDOP_APP $LANG"';
    const over = await runOnce({ command: echo, shell: 'plain', env: { CMDOP_APP: 'mine' } });
    expect(over.stdout).toBe('mine C\n');
    const plain = await runOnce({ command: echo, shell: 'plain' });
    expect(plain.stdout).toBe('app C\n');
  });
});

describe('shell: login or plain', () => {
  it.each(['/bin/sh', '/bin/bash'])(
    'with %s, a variable exported only in the profile reaches a login command',
    async (shell) => {
      const echo = 'echo "[$CMDOP_FROM_PROFILE]"';
      const login = await runOnce({ command: echo, shell: 'login', env: { SHELL: shell } });
      expect(login).toMatchObject({ status: 'success', stdout: `[profile of ${home}]\n` });
      expect(login.shell).toBe(`${shell} -l -c`);
      const plain = await runOnce({ command: echo, shell: 'plain', env: { SHELL: shell } });
      expect(plain).toMatchObject({ status: 'success', stdout: '[]\n', shell: `${shell} -c` });
    },
  );

  it('defaults to plain through the API (what schedules did before)', async () => {
    const s = await p.create({ command: 'true' });
    expect(s.shell).toBe('plain');
  });
});

describe('env_file', () => {
  it('is read at each run: its values over the schedule env, quotes and export understood', async () => {
    const file = join(home, 'job.env');
    writeFileSync(
      file,
      ['# secrets', 'A=from-file', 'export B="two words"', "C='single'", 'EMPTY='].join('\n'),
      { mode: 0o600 },
    );
    const s = await p.create({
      command: 'echo "$A|$B|$C|$D|${EMPTY-unset}"',
      env: { A: 'from-schedule', D: 'only-schedule' },
      env_file: file,
    });
    await p.runNow(s.id);
    const [first] = await p.settled(s.id, 1);
    expect(first).toMatchObject({
      status: 'success',
      stdout: 'from-file|two words|single|only-schedule|\n',
      env_file: file,
    });
    writeFileSync(file, 'A=changed\n');
    await p.runNow(s.id);
    const [, second] = await p.settled(s.id, 2);
    expect(second?.stdout).toBe('changed|||only-schedule|unset\n');
  });

  it('missing or unreadable: the run fails with the reason and the command never starts', async () => {
    const marker = join(home, 'ran');
    const missing = join(home, 'nope.env');
    const run = await runOnce({ command: `touch ${marker}`, env_file: missing });
    expect(run).toMatchObject({
      status: 'failure',
      exit_code: null,
      stderr: `cmdop-scheduler: env_file ${missing} does not exist\n`,
      env_file: missing,
    });
    const folder = join(home, 'a-folder');
    mkdirSync(folder);
    const dirRun = await runOnce({ command: `touch ${marker}`, env_file: folder });
    expect(dirRun.stderr).toBe(`cmdop-scheduler: env_file ${folder} is a directory\n`);
    if (process.getuid?.() !== 0) {
      const locked = join(home, 'locked.env');
      writeFileSync(locked, 'A=1\n');
      chmodSync(locked, 0o000);
      const lockedRun = await runOnce({ command: `touch ${marker}`, env_file: locked });
      expect(lockedRun.stderr).toContain('is not readable (permission denied)');
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('must be an absolute path: a 400 naming the field and the rule', async () => {
    const res = await p.srv.call('POST', '/v1/schedules', {
      name: 'x',
      machine_id: 'local',
      command: 'true',
      cron: '@daily',
      env_file: 'relative/.env',
      shell: 'bash',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.fields).toEqual({
      env_file: 'must be an absolute path',
      shell: "must be 'login' or 'plain'",
    });
  });
});
