// @ts-nocheck
// 
// Crontab import and export on realistic files: a user's `crontab -l` (comments, env lines,
// CRON_TZ/TZ, ranges, steps, names, macros, @reboot, `%`, junk) and a system crontab with a
// user column. Every created schedule and every reported line is asserted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCrontab, percentToStdin, isSystemCrontabPath } from '../../src/shared/crontab-import';
import { formatCrontab, type CrontabSchedule } from '../../src/shared/crontab-export';
import { planImport } from '../../src/shared/import-plan';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/crontab/${name}`, import.meta.url), 'utf8');

const USER_ENV = { SHELL: '/bin/bash', PATH: '/usr/local/bin:/usr/bin:/bin' };

function asExportable(entries: ReturnType<typeof parseCrontab>['entries']): CrontabSchedule[] {
  return entries.map(({ schedule: s }) => ({ ...s, timeout: null, catch_up: false }));
}

describe("a user's crontab", () => {
  const result = parseCrontab(fixture('user.crontab'), { timezone: 'Europe/London' });
  const byLine = new Map(result.entries.map((e) => [e.line, e.schedule]));

  it('creates one schedule per job line, in order', () => {
    expect(result.entries.map((e) => e.line)).toEqual([10, 13, 17, 18, 21, 22, 26]);
  });

  it('takes the comment above a line as its name and description; env lines as env', () => {
    expect(byLine.get(10)).toEqual({
      name: 'Nightly database backup',
      description: 'Dumps the main database; keeps 7 days.',
      machine_id: 'local',
      command: 'pg_dump mydb > /var/backups/db.sql',
      cron: '30 2 * * *',
      timezone: 'Europe/London',
      env: USER_ENV,
      cwd: null,
      enabled: true,
    });
  });

  it('keeps ranges, steps and day lists as written', () => {
    expect(byLine.get(13)).toMatchObject({
      name: 'Every 15 minutes on weekdays, working hours',
      cron: '*/15 9-17 * * 1-5',
      command: '/usr/local/bin/sync-inbox --quiet',
      timezone: 'Europe/London',
    });
    expect(byLine.get(26)).toMatchObject({
      cron: '0 4 1-7 * 0',
      name: 'echo first-sunday-or-first-week',
    });
  });

  it('CRON_TZ sets the zone of the lines after it; `cd DIR &&` becomes the working directory', () => {
    expect(byLine.get(17)).toMatchObject({
      name: 'Monthly report',
      cron: '0 6 1 * *',
      timezone: 'America/New_York',
      cwd: '/srv/reports',
      command: './monthly.sh',
      env: USER_ENV,
    });
  });

  it('a macro without a comment is named after its command', () => {
    expect(byLine.get(18)).toMatchObject({
      name: '/usr/bin/find /tmp -mtime +7 -delete',
      cron: '@weekly',
      timezone: 'America/New_York',
      description: '',
    });
  });

  it('TZ sets the zone and stays in the environment; quotes are stripped as cron does', () => {
    expect(byLine.get(21)).toMatchObject({
      cron: '0 8 * jan,jul mon',
      timezone: 'Europe/Berlin',
      env: { ...USER_ENV, TZ: 'Europe/Berlin', GREETING: 'hello world' },
    });
  });

  it('`%` becomes standard input (a here-document); `\\%` is a literal percent', () => {
    expect(byLine.get(21)?.command).toBe(
      'mail -s "Status" me@example.com <<\'CMDOP_STDIN\'\nStatus is green.\n-- cron\nCMDOP_STDIN',
    );
    expect(byLine.get(22)?.command).toBe('date +%Y-%m-%d >> /tmp/dates.log');
  });

  it('reports MAILTO, @reboot, unsupported syntax, junk and % line by line', () => {
    expect(result.reports.map((r) => [r.line, r.level, r.message])).toEqual([
      [
        6,
        'note',
        "MAILTO does not apply: output is kept in each run's history and failures notify on the desktop",
      ],
      [
        21,
        'note',
        "'%' sends the text after it to the command's standard input, as cron does (write \\% for a literal %)",
      ],
      [23, 'skipped', '@reboot is not supported: schedules run on time, not at boot'],
      [
        24,
        'skipped',
        "unsupported schedule '0 0 L * *': day-of-month must be a number 1-31, got 'L'",
      ],
      [25, 'skipped', 'not a crontab line: expected five time fields (or a @macro) and a command'],
    ]);
    expect(result.reports.find((r) => r.line === 23)?.text).toBe(
      '@reboot /usr/local/bin/start-agent',
    );
  });

  it('an unknown CRON_TZ skips the lines under it, each reported', () => {
    const r = parseCrontab('CRON_TZ=Mars/Base\n0 1 * * * a\n0 2 * * * b\n', { timezone: 'UTC' });
    expect(r.entries).toEqual([]);
    expect(r.reports.map((x) => `${x.line} ${x.level}: ${x.message}`)).toEqual([
      "1 skipped: CRON_TZ: unknown time zone 'Mars/Base'; the lines after it are skipped",
      "2 skipped: its time zone 'Mars/Base' (line 1) is unknown",
      "3 skipped: its time zone 'Mars/Base' (line 1) is unknown",
    ]);
  });
});

describe('a system crontab (user column)', () => {
  const path = '/etc/cron.d/maintenance';
  const result = parseCrontab(fixture('system.crontab'), {
    timezone: 'UTC',
    system: isSystemCrontabPath(path),
    currentUser: 'deploy',
  });

  it('is recognised by its path', () => {
    expect(isSystemCrontabPath('/etc/crontab')).toBe(true);
    expect(isSystemCrontabPath(path)).toBe(true);
    expect(isSystemCrontabPath('/home/me/crontab.txt')).toBe(false);
  });

  it('reads the user column and says when the job ran as someone else', () => {
    expect(
      result.entries.map((e) => [e.line, e.schedule.name, e.schedule.command, e.schedule.cwd]),
    ).toEqual([
      [6, 'Rotate application logs', 'run-parts --report /etc/cron.hourly', '/'],
      [7, '/opt/app/bin/cleanup --days 30', '/opt/app/bin/cleanup --days 30', null],
      [
        8,
        // Names made from commands stop at 60 characters.
        'test -x /usr/sbin/anacron || /usr/sbin/logrotate /etc/logro…',
        'test -x /usr/sbin/anacron || /usr/sbin/logrotate /etc/logrotate.conf',
        null,
      ],
    ]);
    expect(result.entries[0]?.schedule.description).toBe("cron ran it as user 'root'");
    expect(result.entries[1]?.schedule.description).toBe('');
    expect(result.entries[0]?.schedule.env).toEqual({
      SHELL: '/bin/sh',
      PATH: '/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin',
    });
    expect(result.reports.map((r) => `${r.line} ${r.level}: ${r.message}`)).toEqual([
      "6 note: cron ran this as 'root'; it will run as 'deploy'",
      "8 note: cron ran this as 'root'; it will run as 'deploy'",
      '9 skipped: not a crontab line: expected five time fields (or a @macro), a user and a command',
    ]);
  });
});

describe('percent handling', () => {
  it('splits on unescaped % only', () => {
    expect(percentToStdin('cat%a%b')).toEqual({ command: 'cat', stdin: 'a\nb\n' });
    expect(percentToStdin('echo 100\\%')).toEqual({ command: 'echo 100%', stdin: null });
    expect(percentToStdin('cat%')).toEqual({ command: 'cat', stdin: '\n' });
  });
});

describe('export back to crontab', () => {
  const imported = parseCrontab(fixture('user.crontab'), { timezone: 'Europe/London' });

  it('reads back into exactly the same schedules', () => {
    const { text, reports } = formatCrontab(asExportable(imported.entries), [
      'exported for a test',
    ]);
    expect(reports).toEqual([]);
    const again = parseCrontab(text, { timezone: 'UTC' });
    expect(again.reports.filter((r) => r.level === 'skipped')).toEqual([]);
    expect(again.entries.map((e) => e.schedule)).toEqual(imported.entries.map((e) => e.schedule));
  });

  it('writes cron syntax a person recognises', () => {
    const { text } = formatCrontab(asExportable(imported.entries));
    expect(text).toContain(
      'CRON_TZ=Europe/London\n# Nightly database backup\n# Dumps the main database; keeps 7 days.\n30 2 * * * pg_dump mydb > /var/backups/db.sql\n',
    );
    expect(text).toContain('0 6 1 * * cd /srv/reports && ./monthly.sh\n');
    expect(text).toContain(
      '0 8 * jan,jul mon mail -s "Status" me@example.com%Status is green.%-- cron\n',
    );
    expect(text).toContain('0 12 * * * date +\\%Y-\\%m-\\%d >> /tmp/dates.log\n');
  });

  it('keeps disabled schedules as marked comment lines, and reads them back disabled', () => {
    const s: CrontabSchedule = {
      name: 'Paused job',
      description: '',
      command: 'echo hi',
      cron: '5 4 * * *',
      enabled: false,
      timezone: 'UTC',
      env: {},
      cwd: null,
      timeout: 60_000,
      catch_up: true,
    };
    const { text, reports } = formatCrontab([s]);
    expect(text).toContain('# disabled: 5 4 * * * echo hi\n');
    expect(reports.map((r) => r.message)).toEqual([
      'timeout 60 s: cron has no timeout',
      'catch-up after downtime: cron does not catch up (anacron does)',
    ]);
    const back = parseCrontab(text, { timezone: 'UTC' }).entries[0]?.schedule;
    expect(back).toMatchObject({ name: 'Paused job', enabled: false, cron: '5 4 * * *' });
  });

  it('writes multi-line commands on one line, unsets variables later schedules lack, refuses seconds', () => {
    const base = {
      description: '',
      enabled: true,
      timezone: 'UTC',
      cwd: null,
      timeout: null,
      catch_up: false,
    };
    const { text, reports } = formatCrontab([
      { ...base, name: 'a', command: 'echo one\necho "two"', cron: '0 1 * * *', env: { A: '1' } },
      { ...base, name: 'b', command: 'echo b', cron: '0 2 * * *', env: {} },
      { ...base, name: 'c', command: 'echo c', cron: '*/10 * * * * *', env: {} },
    ]);
    expect(text).toContain(`0 1 * * * eval "$(printf '\\%s\\n' 'echo one' 'echo "two"')"\n`);
    expect(text).toContain('0 2 * * * unset A; echo b\n');
    expect(reports).toEqual([
      {
        name: 'c',
        message: "not exported: '*/10 * * * * *' has a seconds field, which cron cannot express",
      },
    ]);
  });
});

describe('duplicates', () => {
  it('same cron and command as a present schedule, or twice in one file: reported, not doubled', () => {
    const r = parseCrontab('0 3 * * * backup\n0  3 * * *  backup\n0 4 * * * other\n', {
      timezone: 'UTC',
    });
    const plan = planImport(
      r.entries.map((e) => ({ source: `line ${e.line}`, item: e.schedule })),
      [{ id: 'sched_1', name: 'Other', cron: '0 4 * * *', command: 'other' }],
    );
    expect(plan.create.map((p) => p.source)).toEqual(['line 1']);
    expect(plan.duplicates.map((d) => [d.source, d.of])).toEqual([
      ['line 2', 'line 1'],
      ['line 3', 'sched_1 (Other)'],
    ]);
  });
});
