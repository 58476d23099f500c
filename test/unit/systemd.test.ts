// systemd units from schedules. Each OnCalendar= is checked by systemd itself
// (`systemd-analyze calendar`, Debian package `systemd`, installed by .ci/run): it must be
// accepted, and its next elapses must be the fire times our own engine computes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextFireTimes } from '../../src/shared/cron';
import { parseCrontab } from '../../src/shared/crontab-import';
import {
  cronToOnCalendar,
  formatSystemdUnits,
  type SystemdSchedule,
} from '../../src/shared/systemd';

const BASE = Date.parse('2026-03-01T00:00:00Z');
const ITERATIONS = 12;

/** systemd's next elapses of an OnCalendar= spec from BASE, as epoch ms. */
function systemdElapses(spec: string): number[] {
  let out: string;
  try {
    out = execFileSync(
      'systemd-analyze',
      ['calendar', `--iterations=${ITERATIONS}`, '--base-time=2026-03-01 00:00:00 UTC', spec],
      { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('systemd-analyze is missing: apt-get install systemd (.ci/run does)', {
        cause: e,
      });
    }
    throw e;
  }
  return [
    ...out.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g),
  ].map((m) => Date.parse(`${(m[1] as string).replace(' ', 'T')}Z`));
}

/** Merges several OnCalendar= lines as a timer does: the earliest elapses of any. */
function timerElapses(specs: string[]): number[] {
  const all = new Set(specs.flatMap(systemdElapses));
  return [...all].sort((a, b) => a - b).slice(0, ITERATIONS);
}

const CASES: [string, string][] = [
  ['30 2 * * *', 'Europe/London'],
  ['*/15 9-17 * * 1-5', 'UTC'],
  ['0 6 1 * *', 'America/New_York'],
  ['@weekly', 'America/New_York'],
  ['0 8 * jan,jul mon', 'Europe/Berlin'],
  ['0 4 1-7 * 0', 'UTC'], // cron: the 1st-7th OR any Sunday
  ['5,10,50 */6 * * *', 'Asia/Tokyo'],
  ['0 0 29 2 *', 'UTC'],
  ['*/20 * * * * *', 'UTC'], // seconds: systemd has them
  ['0 12 * * 7', 'Asia/Kolkata'],
];

describe('cron as OnCalendar=, checked by systemd-analyze', () => {
  it.each(CASES)('%s in %s: systemd accepts it and fires when we would', (cron, zone) => {
    const specs = cronToOnCalendar(cron, zone);
    expect(timerElapses(specs)).toEqual(nextFireTimes(cron, zone, BASE, ITERATIONS));
  });

  it("writes cron's OR of day-of-month and day-of-week as two lines", () => {
    expect(cronToOnCalendar('0 4 1-7 * 0', 'UTC')).toEqual([
      '*-*-01..07 04:00:00 UTC',
      'Sun *-*-* 04:00:00 UTC',
    ]);
  });
});

describe('unit files', () => {
  const base: SystemdSchedule = {
    name: 'Nightly backup',
    description: 'Dumps the db',
    command: 'pg_dump "$DB" > /backup/db-$(date +%F).sql',
    cron: '30 2 * * *',
    enabled: true,
    timezone: 'Europe/London',
    env: { DB: 'main app', PATH: '/usr/bin:/bin' },
    cwd: '/srv',
    timeout: 90_500,
    catch_up: true,
    overlap: 'skip',
  };

  it('a .service and a .timer per schedule, unique names, Persistent= from catch_up', () => {
    const { files, reports } = formatSystemdUnits([
      base,
      { ...base, catch_up: false, enabled: false, overlap: 'allow' },
    ]);
    expect(files.map((f) => f.name)).toEqual([
      'cmdop-nightly-backup.service',
      'cmdop-nightly-backup.timer',
      'cmdop-nightly-backup-2.service',
      'cmdop-nightly-backup-2.timer',
    ]);
    expect(files[0]?.content).toBe(
      [
        '[Unit]',
        'Description=Nightly backup',
        '# Dumps the db',
        '',
        '[Service]',
        'Type=oneshot',
        'WorkingDirectory=/srv',
        'Environment="DB=main app"',
        'Environment="PATH=/usr/bin:/bin"',
        'TimeoutStartSec=91s',
        'ExecStart=/bin/sh -c "pg_dump \\"$$DB\\" > /backup/db-$$(date +%%F).sql"',
        '',
      ].join('\n'),
    );
    expect(files[1]?.content).toContain(
      'OnCalendar=*-*-* 02:30:00 Europe/London\nPersistent=true\n',
    );
    expect(files[3]?.content).toContain('Persistent=false');
    expect(files[3]?.content).toMatch(/^# Disabled in Cmdop Scheduler/);
    expect(reports.map((r) => r.message)).toEqual([
      'disabled: cmdop-nightly-backup-2.timer is written but should not be enabled',
      'overlap allow: systemd never starts a unit twice',
    ]);
  });

  it('systemd-analyze verify accepts what we write from the crontab fixture', () => {
    const text = readFileSync(new URL('../fixtures/crontab/user.crontab', import.meta.url), 'utf8');
    const schedules = parseCrontab(text, { timezone: 'UTC' }).entries.map((e) => ({
      ...e.schedule,
      timeout: null,
      catch_up: false,
      overlap: 'skip' as const,
    }));
    const { files } = formatSystemdUnits(schedules);
    for (const f of files.filter((x) => x.name.endsWith('.timer'))) {
      for (const m of f.content.matchAll(/^OnCalendar=(.*)$/gm)) {
        expect(systemdElapses(m[1] as string).length, m[1]).toBe(ITERATIONS);
      }
    }
  });
});
