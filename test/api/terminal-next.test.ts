// `cmdop-scheduler next` as a user runs it: the built binary against a real `serve`, over
// the socket and over TCP. Its fires are the route's, so they are the engine's: the same
// moved fire in New York's March change, the same first fire as next_run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOnce, runCli, type CliProcess } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/server';

let dataDir: string;
let serve: CliProcess;
let url: string;

const local = (...args: string[]) => cliOnce([...args, '--data-dir', dataDir]);

beforeAll(async () => {
  dataDir = tempDir('cmdop-next-');
  serve = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
  url = await serve.listening;
  const added = await local(
    'add',
    ...['--name', 'Nightly', '--command', 'true', '--cron', '30 2 * * *'],
    ...['--timezone', 'America/New_York'],
  );
  expect(added.code, added.stderr).toBe(0);
});

afterAll(async () => {
  serve.child.kill('SIGTERM');
  await serve.exited;
  removeDir(dataDir);
});

describe('cmdop-scheduler next', () => {
  it("shows the March change's moved fire in the schedule's zone, with a note", async () => {
    const res = await local('next', 'Nightly', '--from', '2026-03-07T12:00:00Z', '--count', '3');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Nightly \(sched_\w+\): 30 2 \* \* \* in America\/New_York$/);
    expect(lines[1]).toMatch(/^LOCAL TIME\s+OFFSET\s+UTC\s+NOTE$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
      [
        '2026-03-08 03:30:00',
        '-04:00',
        '2026-03-08T07:30:00Z',
        'moved from 02:30: skipped by the DST change',
      ],
      ['2026-03-09 02:30:00', '-04:00', '2026-03-09T06:30:00Z'],
      ['2026-03-10 02:30:00', '-04:00', '2026-03-10T06:30:00Z'],
    ]);
  });

  it('--json is the API answer; without --from the first fire is next_run', async () => {
    const res = await local('next', 'nightly', '--json', '--count', '2');
    const answer = JSON.parse(res.stdout);
    expect(answer.data).toHaveLength(2);
    expect(answer.meta).toMatchObject({ cron: '30 2 * * *', count: 2, fixed_time: true });
    const shown = JSON.parse((await local('show', 'Nightly', '--json')).stdout);
    expect(answer.data[0].at).toBe(shown.next_run);
    expect(answer.meta.schedule_id).toBe(shown.id);
  });

  it('the autumn repeat is explained; over TCP with the token it is the same answer', async () => {
    const early = await local(
      'add',
      ...['--name', 'Early', '--command', 'true', '--cron', '30 1 * * *'],
      ...['--timezone', 'America/New_York'],
    );
    expect(early.code, early.stderr).toBe(0);
    const args = ['next', 'Early', '--from', '2026-10-31T12:00:00Z', '--count', '2'];
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const tcp = await cliOnce(
      [...args, '--remote-url', `${url}/v1`, '--data-dir', '/nonexistent'],
      {
        env: { CMDOP_API_TOKEN: token },
      },
    );
    expect(tcp.code, tcp.stderr).toBe(0);
    expect(tcp.stdout).toBe((await local(...args)).stdout);
    expect(tcp.stdout).toContain(
      '2026-11-01 01:30:00  -04:00  2026-11-01T05:30:00Z  01:30 happens twice (DST): runs the first time only',
    );
    expect(tcp.stdout).toContain('2026-11-02 01:30:00  -05:00  2026-11-02T06:30:00Z\n');
  });

  it('count above 1000 is refused naming the rule; an unknown schedule is exit 4', async () => {
    const tooMany = await local('next', 'Nightly', '--count', '1001');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain("count: must be an integer between 1 and 1000, got '1001'");
    const missing = await local('next', 'Nobody');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("no schedule has the id or name 'Nobody'");
    expect((await local('next')).code).toBe(2);
  });

  it('has help and shell completion', async () => {
    const help = await cliOnce(['next', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cmdop-scheduler next ID|NAME [--count N]');
    expect((await cliOnce(['--help'])).stdout).toMatch(/\n {2}next +when a schedule fires next/);
    const bash = (await cliOnce(['completion', 'bash'])).stdout;
    expect(bash).toContain('next) flags="--data-dir --remote-url --json --help --count --from"');
    expect(bash).toMatch(/" show next edit /);
    execFileSync('bash', ['-n'], { input: bash });
    expect((await cliOnce(['completion', 'fish'])).stdout).toContain('next');
  });
});
