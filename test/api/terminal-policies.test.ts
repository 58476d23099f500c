// The run policy flags of the terminal client, and `pause` / `resume`: the built binary as
// a child process against a real `serve`, as a user runs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOnce, runCli, type CliProcess } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/server';
import { storedSettings } from '../helpers/store-files';

let dataDir: string;
let serve: CliProcess;

const local = (...args: string[]) => cliOnce([...args, '--data-dir', dataDir]);
const json = async (...args: string[]) => {
  const res = await local(...args, '--json');
  expect(res.stderr).toBe('');
  return JSON.parse(res.stdout);
};

beforeAll(async () => {
  dataDir = tempDir('cmdop-cli-policies-');
  serve = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
  await serve.listening;
});

afterAll(async () => {
  serve.child.kill('SIGTERM');
  await serve.exited;
  removeDir(dataDir);
});

describe('run policy flags', () => {
  it('add and edit set every field; add runs in a login shell unless told otherwise', async () => {
    const s = await json(
      'add',
      ...['--name', 'Flags', '--command', 'true', '--cron', '@daily'],
      ...['--retries', '3', '--retry-delay', '90s', '--retry-backoff', '1.5'],
      ...['--random-delay', '10m', '--environment-file', '/etc/cmdop.env', '--no-run-on-battery'],
      ...['--paused-until', '2099-01-01T09:00:00+01:00'],
    );
    expect(s).toMatchObject({
      retries: 3,
      retry_delay: 90_000,
      retry_backoff: 1.5,
      random_delay: 600_000,
      shell: 'login',
      env_file: '/etc/cmdop.env',
      run_on_battery: false,
      paused_until: '2099-01-01T08:00:00Z',
    });
    // Paused until then: the first run is the first fire after it, moved by the delay.
    expect(s.next_run).toMatch(/^2099-01-02T00:/);
    const edited = await json(
      'edit',
      s.id,
      ...[
        '--shell',
        'plain',
        '--environment-file',
        'none',
        '--paused-until',
        'none',
        '--run-on-battery',
      ],
      ...['--retries', '0'],
    );
    expect(edited).toMatchObject({
      shell: 'plain',
      env_file: null,
      paused_until: null,
      run_on_battery: true,
      retries: 0,
    });
    const shown = await local('show', s.id);
    expect(shown.stdout).toContain('shell:         plain ($SHELL -c)');
    expect(shown.stdout).toContain('random delay:  up to 10m 00s');
  });

  it('refuses with the server rule named, exit 1; a malformed duration is a usage error, exit 2', async () => {
    const bad = await local(
      'add',
      ...[
        '--name',
        'Bad',
        '--command',
        'true',
        '--cron',
        '@daily',
        '--retries',
        '11',
        '--shell',
        'zsh',
      ],
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('retries: must be 0..10');
    expect(bad.stderr).toContain("shell: must be 'login' or 'plain'");
    const usage = await local(
      'add',
      '--name',
      'B',
      '--command',
      'true',
      '--cron',
      '@daily',
      '--retry-delay',
      'soon',
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain(
      "--retry-delay must look like 90s, 5m, 2h or 1500ms, got 'soon'",
    );
  });
});

describe('pause and resume', () => {
  it('pause --for 1h pauses every schedule for an hour; resume ends it', async () => {
    // An hour from the moment the command ran: between the instants before and after it
    // (paused_until has whole seconds).
    const before = Math.floor(Date.now() / 1000) * 1000;
    const paused = await json('pause', '--for', '1h');
    const after = Date.now();
    expect(paused.paused).toBe(true);
    const end = Date.parse(paused.paused_until);
    expect(end).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(end).toBeLessThanOrEqual(after + 3_600_000);
    const status = await local('status');
    expect(status.stdout).toMatch(/PAUSED until \d{4}-\d\d-\d\d \d\d:\d\d \(in (59m|1h)/);
    expect(await json('resume')).toEqual({ paused: false, paused_until: null });
    expect(await json('pause')).toEqual({ paused: true, paused_until: null });
    await local('resume');
    expect(storedSettings(dataDir)).toMatchObject({ paused: false, paused_until: null });
  });

  it('pause NAME --until pauses one schedule; without a time it is a usage error', async () => {
    const s = await json(
      'add',
      '--name',
      'One',
      '--command',
      'true',
      '--cron',
      '0 3 * * *',
      '--timezone',
      'UTC',
    );
    const p = await json('pause', 'One', '--until', '2099-06-01T00:00:00Z');
    expect(p).toMatchObject({
      id: s.id,
      paused_until: '2099-06-01T00:00:00Z',
      next_run: '2099-06-01T03:00:00Z',
    });
    const usage = await local('pause', 'One');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give --for or --until');
    expect((await json('resume', 'One')).paused_until).toBeNull();
  });
});
