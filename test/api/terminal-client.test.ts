// The terminal client as a user runs it: the built `cmdop-scheduler` binary as a child
// process, against a real `serve` process, over the data directory's socket and over TCP.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliOnce, cliSpawn, runCli, type CliProcess } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/server';
import { startStubApi } from '../helpers/stub-api';

// A test here starts up to a dozen Node processes one after another (each ~1 s on a loaded
// two-core machine): the default 20 s is about load, not about what is checked.
vi.setConfig({ testTimeout: 90_000 });

let dataDir: string;
let serve: CliProcess;
let url: string;
let token: string;

const local = (...args: string[]) => cliOnce([...args, '--data-dir', dataDir]);
const overTcp = (args: string[], tok = token) =>
  cliOnce([...args, '--remote-url', `${url}/v1`, '--data-dir', '/nonexistent'], {
    env: { CMDOP_API_TOKEN: tok },
  });

beforeAll(async () => {
  dataDir = tempDir('cmdop-cli-');
  serve = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
  url = await serve.listening;
  token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
});

afterAll(async () => {
  serve.child.kill('SIGTERM');
  await serve.exited;
  removeDir(dataDir);
});

describe('schedules from the terminal, over the socket', () => {
  it('add, show, edit, disable, list and rm, with --json output that parses', async () => {
    const added = await local(
      'add',
      ...['--name', 'Nightly', '--command', 'echo nightly', '--cron', '0 3 * * *'],
      ...['--timezone', 'Europe/Paris', '--timeout', '5m', '--env', 'A=1', '--env', 'B=two'],
      ...['--catch-up', '--no-notify-failure', '--overlap', 'allow', '--json'],
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const s = JSON.parse(added.stdout);
    expect(s).toMatchObject({
      name: 'Nightly',
      timezone: 'Europe/Paris',
      timeout: 300_000,
      env: { A: '1', B: 'two' },
      catch_up: true,
      overlap: 'allow',
      notify: { on_success: false, on_failure: false },
    });

    const edited = await local(
      'edit',
      'Nightly',
      '--cron',
      '@hourly',
      '--unset-env',
      'A',
      '--json',
    );
    expect(JSON.parse(edited.stdout)).toMatchObject({ cron: '@hourly', env: { B: 'two' } });
    expect(JSON.parse((await local('disable', s.id, '--json')).stdout).enabled).toBe(false);

    const shown = await local('show', 'nightly');
    expect(shown.stdout).toContain('cron:          @hourly (Europe/Paris)');
    expect(shown.stdout).toContain('enabled:       no');

    const list = await local('list', '--json');
    expect(JSON.parse(list.stdout).map((x: any) => x.id)).toEqual([s.id]);
    const table = await local('list');
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+SCHEDULE\s+NEXT RUN\s+LAST RUN\s+ON$/,
    );

    expect((await local('rm', 'Nightly')).stdout).toBe(`deleted ${s.id} 'Nightly'\n`);
    expect(JSON.parse((await local('list', '--json')).stdout)).toEqual([]);
  });

  it('run --follow streams the output live and exits with the command’s exit code', async () => {
    const gate = join(dataDir, 'gate');
    const script = `echo first; while [ ! -e '${gate}' ]; do sleep 0.05; done; echo second; echo oops >&2; exit 7`;
    await local('add', '--name', 'Follow me', '--command', script, '--cron', '@yearly');
    const run = cliSpawn(['run', 'Follow me', '--follow', '--data-dir', dataDir]);
    // The command waits for the gate, which opens only once "first" has reached our terminal.
    await run.printed('first\n');
    expect(run.stdout()).not.toContain('second');
    writeFileSync(gate, '');
    expect(await run.closed).toBe(7);
    expect(run.stdout()).toBe('first\nsecond\n');
    expect(run.stderr()).toBe('oops\n');
  });

  it('Ctrl-C during run --follow cancels the run, which is recorded as cancelled (exit 130)', async () => {
    await local(
      'add',
      '--name',
      'Long',
      '--command',
      'echo started; sleep 30',
      '--cron',
      '@yearly',
    );
    const run = cliSpawn(['run', 'Long', '--follow', '--data-dir', dataDir]);
    await run.printed('started\n');
    run.child.kill('SIGINT');
    expect(await run.closed).toBe(130);
    const [last] = JSON.parse((await local('logs', 'Long', '--limit', '1', '--json')).stdout);
    expect(last.status).toBe('cancelled');
  });

  it('logs shows the runs with their output; --status filters', async () => {
    const logs = await local('logs', 'Follow me', '--limit', '5');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(
      /== run_\w+ · .* · failure exit 7, .* · manual ==\nfirst\nsecond\n-- stderr --\noops\n/,
    );
    const none = await local('logs', 'Follow me', '--status', 'success', '--json');
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('tail --json prints each event of a run as one JSON line', async () => {
    await local('add', '--name', 'Quick', '--command', 'echo quick', '--cron', '@yearly');
    const tail = cliSpawn(['tail', '--json', '--data-dir', dataDir]);
    // It says so on stderr once it is subscribed; a run started before that would be missed.
    await tail.printed('Ctrl-C to stop');
    const started = JSON.parse((await local('run', 'Quick', '--json')).stdout);
    await tail.printed('"type":"run.finished"');
    tail.child.kill('SIGINT');
    expect(await tail.closed).toBe(0);
    const events = tail
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter(
        (e) => e.run?.command_id === started.command_id || e.command_id === started.command_id,
      );
    expect(events.map((e) => e.type)).toEqual(['run.started', 'run.output', 'run.finished']);
  });

  it('exec runs an ad-hoc command, prints its output and exits with its code; commands lists it', async () => {
    // Flags before `--`: what follows it is the command, --data-dir included.
    const done = await cliOnce([
      ...['exec', '--data-dir', dataDir, '--env', 'X=42'],
      ...['--', 'echo "x=$X"; echo oops >&2; exit 3'],
    ]);
    expect(done).toMatchObject({ code: 3, stdout: 'x=42\n', stderr: 'oops\n' });
    const started = await local('exec', '--async', 'sleep', '0.1');
    expect(started.stdout).toMatch(/^started cmd_\w+\n$/);
    const list = JSON.parse((await local('commands', '--json')).stdout);
    expect(list.map((c: { command: string }) => c.command)).toEqual([
      'sleep 0.1',
      'echo "x=$X"; echo oops >&2; exit 3',
    ]);
    const failed = await local('commands', '--status', 'failed');
    expect(failed.stdout).toMatch(/^ID\s+RESULT\s+STARTED\s+COMMAND\n/);
    expect(failed.stdout).toContain('failure exit 3');
    expect(failed.stdout).not.toContain('sleep 0.1');
  });

  it('status names the owner, its pid and what runs next', async () => {
    const res = await local('status', '--json');
    const report = JSON.parse(res.stdout);
    expect(report.owner).toMatchObject({ mode: 'headless', pid: serve.child.pid, tcp_api: url });
    expect(report.schedules.total).toBeGreaterThan(0);
    expect(report.failing.map((s: any) => s.name)).toContain('Follow me');
  });
});

describe('errors: stderr and a code that means something', () => {
  it('not found: 4, nothing on stdout', async () => {
    const res = await local('show', 'no such schedule');
    expect(res).toEqual({
      code: 4,
      stdout: '',
      stderr: "cmdop-scheduler show: no schedule has the id or name 'no such schedule'\n",
    });
  });

  it('usage: 2; refused by the server: 1 with each bad field; no owner: 3', async () => {
    const usage = await local('add', '--name', 'x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('add needs --command, --cron');
    const bad = await local(
      'add',
      '--name',
      'x',
      '--command',
      'true',
      '--cron',
      '61 * * * *',
      '--timezone',
      'Mars/Base',
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('  cron: minute must be 0-59, got 61\n');
    expect(bad.stderr).toContain("  timezone: unknown time zone 'Mars/Base'\n");
    const nobody = await cliOnce(['list', '--data-dir', join(dataDir, 'elsewhere')]);
    expect(nobody.code).toBe(3);
    expect(nobody.stderr).toContain('no Cmdop Scheduler is running for');
    const unknown = await cliOnce(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  // Eighteen Node processes one after another: well past the default 20 s on a busy machine.
  it('--help on every command, to stdout, exit 0', { timeout: 90_000 }, async () => {
    for (const cmd of [
      'list',
      'show',
      'add',
      'edit',
      'rm',
      'enable',
      'disable',
      'run',
      'logs',
      'tail',
      'status',
      'import',
      'export',
      'backup',
      'test-alerts',
      'completion',
      'exec',
      'commands',
    ]) {
      const res = await cliOnce([cmd, '--help']);
      expect(`${cmd}: ${res.code}`).toBe(`${cmd}: 0`);
      expect(res.stdout).toContain(`Usage: cmdop-scheduler ${cmd}`);
      expect(res.stdout).toContain('--data-dir DIR');
    }
  });
});

describe('over TCP with --remote-url', () => {
  it('drives the server with the token; a wrong token is refused', async () => {
    const added = await overTcp([
      'add',
      '--name',
      'Via TCP',
      '--command',
      'echo tcp; exit 3',
      '--cron',
      '@yearly',
      '--json',
    ]);
    expect(added.code).toBe(0);
    const list = JSON.parse((await overTcp(['list', '--json'])).stdout);
    expect(list.map((s: any) => s.name)).toContain('Via TCP');
    const run = await overTcp(['run', 'Via TCP', '--follow']);
    expect(run).toMatchObject({ code: 3, stdout: 'tcp\n' });
    const wrong = await overTcp(['list'], 'not-the-token');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('cmdop-scheduler list: Invalid token\n');
  });
});

describe('a Cmdop-compatible server with --remote-url', () => {
  it('imports with one POST per schedule where there is no batch route, with the token', async () => {
    const created: string[] = [];
    const stub = await startStubApi((req, n) => {
      if (req.method === 'GET' && req.url?.startsWith('/v1/schedules')) {
        return {
          status: 200,
          body: JSON.stringify({ data: [], meta: { total: 0, limit: 100, offset: 0 } }),
        };
      }
      if (req.url === '/v1/schedules/batch') {
        return {
          status: 404,
          body: JSON.stringify({ error: { code: 'not_found', message: 'no route', details: {} } }),
        };
      }
      created.push(`${req.method} ${req.url}`);
      return {
        status: 201,
        body: JSON.stringify({
          data: { id: `sched_remote${n}`, name: 'x', cron: '0 1 * * *', timezone: 'UTC' },
        }),
      };
    });
    try {
      const res = await cliOnce(
        [
          'import',
          '-',
          '--remote-url',
          stub.url,
          '--timezone',
          'UTC',
          '--data-dir',
          '/nonexistent',
        ],
        {
          input: '0 1 * * * echo one\n0 2 * * * echo two\n',
          env: { CMDOP_API_TOKEN: 'cloud-token' },
        },
      );
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(created).toEqual(['POST /v1/schedules', 'POST /v1/schedules']);
      expect(stub.requests.every((r) => r.authorization === 'Bearer cloud-token')).toBe(true);
    } finally {
      await stub.close();
    }
  });
});

describe('import and export from the terminal', () => {
  const fixture = (name: string) =>
    new URL(`../fixtures/crontab/${name}`, import.meta.url).pathname;
  let other: CliProcess;
  let otherDir: string;

  beforeAll(async () => {
    otherDir = tempDir('cmdop-cli-b-');
    other = runCli(['serve', '--port', '0', '--data-dir', otherDir]);
    await other.listening;
  });

  afterAll(async () => {
    other.child.kill('SIGTERM');
    await other.exited;
    removeDir(otherDir);
  });

  it('imports a crontab (dry run first), reports skipped lines, and never doubles', async () => {
    const before = JSON.parse((await local('list', '--json')).stdout).length;
    const dry = await local(
      'import',
      fixture('user.crontab'),
      '--dry-run',
      '--timezone',
      'UTC',
      '--json',
    );
    const plan = JSON.parse(dry.stdout);
    expect(plan.created).toHaveLength(7);
    expect(plan.lines.filter((l: any) => l.level === 'skipped').map((l: any) => l.line)).toEqual([
      23, 24, 25,
    ]);
    expect(JSON.parse((await local('list', '--json')).stdout)).toHaveLength(before);

    const real = await local('import', fixture('user.crontab'), '--timezone', 'UTC');
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('created 7 schedule(s); 0 already present; 3 line(s) skipped');
    expect(real.stderr).toContain('line 23: skipped: @reboot is not supported');
    const again = await local('import', fixture('user.crontab'), '--timezone', 'UTC');
    expect(again.stdout).toContain('created 0 schedule(s); 7 already present');
    expect(JSON.parse((await local('list', '--json')).stdout)).toHaveLength(before + 7);
  });

  it('reads a crontab from stdin, and a system crontab with --system', async () => {
    const text = readFileSync(fixture('system.crontab'), 'utf8');
    const res = await cliOnce(
      ['import', '-', '--system', '--dry-run', '--json', '--data-dir', dataDir],
      { input: text },
    );
    const plan = JSON.parse(res.stdout);
    expect(plan.created.map((c: any) => c.schedule.name)).toEqual([
      'Rotate application logs',
      '/opt/app/bin/cleanup --days 30',
      'test -x /usr/sbin/anacron || /usr/sbin/logrotate /etc/logro…',
    ]);
    const strict = await cliOnce(['import', '-', '--system', '--strict', '--data-dir', dataDir], {
      input: text,
    });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(
      '--strict: 1 line(s) would be skipped, so nothing was imported',
    );
  });

  it('JSON export re-imports on another machine exactly (ids, timestamps, settings)', async () => {
    await local(
      'add',
      '--name',
      'Moved',
      '--command',
      'printf "%s\\n" a b',
      '--cron',
      '*/5 * * * * *',
      '--timeout',
      '90s',
      '--cwd',
      '/tmp',
      '--disabled',
    );
    await cliOnce(['completion', 'bash']); // (no owner needed)
    const file = join(dataDir, 'export.json');
    expect((await local('export', '-o', file)).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ format: 'cmdop-scheduler', version: 3 });
    expect(exported.schedules.every((s: any) => s.machine_id === 'local')).toBe(true);
    expect(JSON.stringify(exported)).not.toContain(token);

    const imported = await cliOnce(['import', file, '--data-dir', otherDir]);
    expect(imported.code).toBe(0);
    const back = JSON.parse((await cliOnce(['export', '--data-dir', otherDir])).stdout);
    const { exported_at: _a, ...a } = exported;
    const { exported_at: _b, ...b } = back;
    expect(b).toEqual(a);
    // Importing the same file again creates nothing.
    const twice = await cliOnce(['import', file, '--data-dir', otherDir]);
    expect(twice.stdout).toContain(
      `created 0 schedule(s); ${exported.schedules.length} already present`,
    );
  });

  it("what the server refuses is named by the file's own places, and nothing is created", async () => {
    const file = JSON.stringify({
      format: 'cmdop-scheduler',
      version: 1,
      schedules: [
        { name: 'fine', machine_id: 'local', command: 'echo fine', cron: '@daily' },
        { name: 'elsewhere', machine_id: 'mach_elsewhere', command: 'echo far', cron: '@daily' },
      ],
    });
    const before = JSON.parse((await local('list', '--json')).stdout).length;
    const res = await cliOnce(['import', '-', '--data-dir', dataDir], { input: file });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      "  schedules.1 (elsewhere) machine_id: unknown machine 'mach_elsewhere'",
    );
    expect(JSON.parse((await local('list', '--json')).stdout)).toHaveLength(before);
  });

  it('exports a crontab and systemd units (0600 files)', async () => {
    const cron = await local('export', '--format', 'crontab');
    expect(cron.stdout).toContain(
      '# Nightly database backup\n# Dumps the main database; keeps 7 days.\n30 2 * * * pg_dump mydb > /var/backups/db.sql\n',
    );
    expect(cron.stderr).toContain("Moved: not exported: '*/5 * * * * *' has a seconds field");
    const dir = join(dataDir, 'units');
    const units = await local('export', '--format', 'systemd', '-o', dir);
    expect(units.code).toBe(0);
    const timer = join(dir, 'cmdop-nightly-database-backup.timer');
    expect(readFileSync(timer, 'utf8')).toContain('OnCalendar=*-*-* 02:30:00 UTC\n');
    expect(statSync(timer).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'cmdop-moved.service'))).toBe(true);
  });

  it('backup create, list and restore', async () => {
    const made = JSON.parse((await local('backup', 'create', '--json')).stdout);
    await local('rm', 'Moved');
    const restored = await local('backup', 'restore', made.id);
    expect(restored.stdout).toMatch(
      /^restored config-.*-manual\.json: \d+ schedule\(s\); to undo: cmdop-scheduler backup restore config-.*-before-restore\.json\n$/,
    );
    expect(JSON.parse((await local('show', 'Moved', '--json')).stdout).name).toBe('Moved');
    const list = JSON.parse((await local('backup', 'list', '--json')).stdout);
    expect(list.map((b: any) => b.kind)).toEqual(
      expect.arrayContaining(['daily', 'manual', 'before-restore']),
    );
  });
});

describe('shell completion', () => {
  it('prints bash, zsh and fish scripts; the bash one is valid bash', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const res = await cliOnce(['completion', shell]);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('cmdop-scheduler');
      expect(res.stdout).toContain('--follow');
    }
    const bash = (await cliOnce(['completion', 'bash'])).stdout;
    execFileSync('bash', ['-n'], { input: bash });
  });
});
