// The run policy fields through import and export: the JSON export carries them exactly,
// a crontab carries the random delay as cronie's RANDOM_DELAY and names what cron cannot
// do, and systemd units map them where systemd has the same thing (checked by
// `systemd-analyze verify`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCrontab, type CrontabSchedule } from '../../src/shared/crontab-export';
import { parseCrontab } from '../../src/shared/crontab-import';
import { buildExport, parseExport } from '../../src/shared/export-format';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { formatSystemdUnits, type SystemdSchedule } from '../../src/shared/systemd';
import type { Schedule } from '../../src/shared/types';

const base: SystemdSchedule = {
  name: 'Sync photos',
  description: '',
  command: 'rclone sync ~/Photos remote:photos',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'UTC',
  env: {},
  cwd: null,
  timeout: null,
  catch_up: false,
  overlap: 'skip',
};

describe('JSON export', () => {
  it('carries every policy field and reads them back exactly', () => {
    const policies = {
      retries: 4,
      retry_delay: 30_000,
      retry_backoff: 1.5,
      random_delay: 900_000,
      shell: 'login' as const,
      env_file: '/home/me/.config/sync.env',
      paused_until: '2026-07-01T00:00:00Z',
      run_on_battery: false,
    };
    const schedule: Schedule = {
      ...base,
      id: 'sched_abc',
      machine_id: 'mach_x',
      notify: { on_success: false, on_failure: true },
      next_run: null,
      last_run: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
      ...policies,
      next_retry_at: '2026-06-01T00:00:00Z',
      retry_command_id: 'cmd_x',
    };
    const file = buildExport([schedule], null, Date.parse('2026-06-01T00:00:00Z'));
    expect(file.version).toBe(3);
    expect(file.schedules[0]).toMatchObject(policies);
    // Read-only state is not exported.
    expect(file.schedules[0]).not.toHaveProperty('next_retry_at');
    expect(file.schedules[0]).not.toHaveProperty('retry_command_id');
    const { items } = parseExport(JSON.parse(JSON.stringify(file)));
    expect(items[0]).toMatchObject(policies);
  });

  it('a version 1 file (before the policies) still imports, with their defaults', () => {
    const v1 = {
      format: 'cmdop-scheduler',
      version: 1,
      schedules: [{ ...base, machine_id: 'local' }],
    };
    const { items } = parseExport(v1);
    expect(items[0]).not.toHaveProperty('retries');
    // A Cmdop server's schedule has no policy fields: exported with their defaults.
    const cmdop = {
      ...base,
      id: 'sched_b',
      machine_id: 'mach_remote',
      notify: { on_success: false, on_failure: true },
      next_run: null,
      last_run: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    } as unknown as Schedule;
    const exported = buildExport([cmdop], null, 0);
    expect(exported.schedules[0]).toMatchObject(POLICY_DEFAULTS);
  });
});

describe('crontab', () => {
  const cron = (over: Partial<CrontabSchedule>): CrontabSchedule => ({ ...base, ...over });

  it("random_delay is cronie's RANDOM_DELAY for the lines after it, and reads back", () => {
    const { text, reports } = formatCrontab([
      cron({ name: 'Spread', random_delay: 600_000 }),
      cron({ name: 'Also spread', random_delay: 600_000 }),
      cron({ name: 'On time', random_delay: 0 }),
    ]);
    expect(text).toContain('RANDOM_DELAY=10\n# Spread\n0 3 * * * rclone');
    expect(text).toContain('# Also spread\n');
    expect(text).toContain('RANDOM_DELAY=0\n# On time\n');
    expect(text.match(/RANDOM_DELAY=/g)).toHaveLength(2);
    expect(reports).toEqual([]);
    const back = parseCrontab(text, { timezone: 'UTC' }).entries.map((e) => e.schedule);
    expect(back.map((s) => [s.name, s.random_delay])).toEqual([
      ['Spread', 600_000],
      ['Also spread', 600_000],
      ['On time', undefined],
    ]);
  });

  it('names what cron cannot do; a delay in seconds is rounded up to minutes', () => {
    const { text, reports } = formatCrontab([
      cron({
        name: 'All',
        random_delay: 90_000,
        retries: 2,
        shell: 'login',
        env_file: '/etc/x.env',
        paused_until: '2026-07-01T00:00:00Z',
        run_on_battery: false,
      }),
    ]);
    expect(text).toContain('RANDOM_DELAY=2\n');
    expect(reports.map((r) => r.message)).toEqual([
      'random delay 90000 ms: written as RANDOM_DELAY=2 (whole minutes)',
      'retries 2: cron does not retry a failed run',
      "login shell: cron runs the command without your profile's PATH and variables",
      'env_file /etc/x.env: cron does not read env files',
      'paused until 2026-07-01T00:00:00Z: cron has no timed pause',
      'run_on_battery false: cron runs on battery power too',
    ]);
  });

  it('RANDOM_DELAY over an hour is capped, and noted', () => {
    const r = parseCrontab('RANDOM_DELAY=90\n0 3 * * * true\n', { timezone: 'UTC' });
    expect(r.entries[0]?.schedule.random_delay).toBe(3_600_000);
    expect(r.reports).toEqual([
      expect.objectContaining({
        line: 1,
        level: 'note',
        message: 'RANDOM_DELAY=90: at most 60 minutes here',
      }),
    ]);
  });
});

describe('systemd units', () => {
  const all: SystemdSchedule = {
    ...base,
    catch_up: true,
    retries: 3,
    retry_delay: 60_000,
    retry_backoff: 2,
    random_delay: 900_000,
    shell: 'login',
    env_file: '/etc/sync.env',
    run_on_battery: false,
  };

  it('map each policy where systemd has one, and report the rest', () => {
    const { files, reports } = formatSystemdUnits([
      { ...all, paused_until: '2026-07-01T00:00:00Z' },
    ]);
    expect(files[0]?.content).toBe(
      [
        '[Unit]',
        'Description=Sync photos',
        'ConditionACPower=true',
        // 60 + 120 + 240 s of waits and a minute per attempt.
        'StartLimitIntervalSec=660s',
        'StartLimitBurst=4',
        '',
        '[Service]',
        'Type=oneshot',
        'WorkingDirectory=~',
        'EnvironmentFile=/etc/sync.env',
        'Restart=on-failure',
        'RestartSec=60000ms',
        'ExecStart=/bin/sh -l -c "rclone sync ~/Photos remote:photos"',
        '',
      ].join('\n'),
    );
    expect(files[1]?.content).toContain(
      'Persistent=true\nRandomizedDelaySec=900000ms\nFixedRandomDelay=true\n',
    );
    expect(reports.map((r) => r.message)).toEqual([
      "retries 3: Restart=on-failure, at most 3 restarts within StartLimitIntervalSec= (the timer's own starts count there too); every restart waits 60 s, without the backoff",
      'random delay: systemd draws its own fixed offset below 900 s',
      'paused until 2026-07-01T00:00:00Z: systemd has no timed pause; enable the timer then',
      'run on AC only: ConditionACPower= skips it; Persistent= does not run it when AC returns',
    ]);
  });

  it('systemd-analyze verify accepts them without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmdop-units-'));
    try {
      const { files } = formatSystemdUnits([all, { ...base, name: 'Plain' }]);
      for (const f of files) writeFileSync(join(dir, f.name), f.content);
      const out = execFileSync(
        'systemd-analyze',
        ['verify', ...files.map((f) => join(dir, f.name))],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LC_ALL: 'C' },
        },
      );
      expect(out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
