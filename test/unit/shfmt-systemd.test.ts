// systemd units as text (no systemd-analyze needed): how value sets, names, quoting, retries,
// delays and the battery condition are written, and what is reported.
import { describe, expect, it } from 'vitest';
import {
  cronToOnCalendar,
  formatSystemdUnits,
  unitNames,
  type SystemdSchedule,
} from '../../src/shared/systemd';

const base: SystemdSchedule = {
  name: 'Job',
  description: '',
  command: 'run',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'UTC',
  env: {},
  cwd: null,
  timeout: null,
  catch_up: false,
  overlap: 'skip',
};
const units = (s: Partial<SystemdSchedule>) => formatSystemdUnits([{ ...base, ...s }]);

describe('OnCalendar= values', () => {
  it('writes runs of three or more as a range, shorter ones as a list, in order', () => {
    expect(cronToOnCalendar('1,2 3-5 * * *', 'UTC')).toEqual(['*-*-* 03..05:01,02:00 UTC']);
    expect(cronToOnCalendar('9,1,5 0 * * *', 'UTC')).toEqual(['*-*-* 00:01,05,09:00 UTC']);
    expect(cronToOnCalendar('0 0 1,2,3,5,6 * *', 'UTC')).toEqual(['*-*-01..03,05,06 00:00:00 UTC']);
  });

  it('names weekdays and keeps seconds', () => {
    expect(cronToOnCalendar('0 9 * * 1-5', 'Europe/Paris')).toEqual([
      'Mon..Fri *-*-* 09:00:00 Europe/Paris',
    ]);
    expect(cronToOnCalendar('0 9 * * 0,6', 'UTC')).toEqual(['Sun,Sat *-*-* 09:00:00 UTC']);
    expect(cronToOnCalendar('15,45 0 12 1 * *', 'UTC')).toEqual(['*-*-01 12:00:15,45 UTC']);
  });
});

describe('unit names', () => {
  it('are lower-case words joined by dashes, unique, with a fallback', () => {
    expect(unitNames(['Café Backup!', '  --x--  ', '***', 'x', 'X', `${'a'.repeat(70)}`])).toEqual([
      'cmdop-cafe-backup',
      'cmdop-x',
      'cmdop-schedule',
      'cmdop-x-2',
      'cmdop-x-3',
      `cmdop-${'a'.repeat(60)}`,
    ]);
    expect(unitNames(['Job'], 'my-')).toEqual(['my-job']);
  });
});

describe('the service', () => {
  it('quotes environment values with C escapes and disarms % and $', () => {
    const [service] = units({
      name: 'Two\nlines',
      description: 'first\n\nsecond',
      env: { SHELL: '/bin/bash', V: 'a\\b "c"\td\ne 100%' },
      command: 'echo $HOME 50%',
      timeout: 1_001,
    }).files;
    expect(service?.content).toBe(
      [
        '[Unit]',
        'Description=Two lines',
        '# first',
        '# second',
        '',
        '[Service]',
        'Type=oneshot',
        'WorkingDirectory=~',
        'Environment="SHELL=/bin/bash"',
        'Environment="V=a\\\\b \\"c\\"\\td\\ne 100%%"',
        'TimeoutStartSec=2s',
        'ExecStart=/bin/bash -c "echo $$HOME 50%%"',
        '',
      ].join('\n'),
    );
  });

  it('restarts with the default delay, capped at the longest wait, and says when it grows', () => {
    const plain = units({ retries: 2 });
    expect(plain.files[0]?.content).toContain('StartLimitIntervalSec=360s\nStartLimitBurst=3\n');
    expect(plain.files[0]?.content).toContain('Restart=on-failure\nRestartSec=60000ms\n');
    expect(plain.reports.map((r) => r.message)).toEqual([
      "retries 2: Restart=on-failure, at most 2 restarts within StartLimitIntervalSec= (the timer's own starts count there too); every restart waits 60 s, without the backoff",
    ]);
    const flat = units({ retries: 2, retry_delay: 1_500, retry_backoff: 1 });
    expect(flat.files[0]?.content).toContain('StartLimitIntervalSec=183s\n');
    expect(flat.files[0]?.content).toContain('RestartSec=1500ms\n');
    expect(flat.reports.map((r) => r.message)).toEqual([
      "retries 2: Restart=on-failure, at most 2 restarts within StartLimitIntervalSec= (the timer's own starts count there too)",
    ]);
    const capped = units({ retries: 2, retry_delay: 3_000_000, retry_backoff: 3 });
    // 3,000 s, then 9,000 s capped at an hour, and a minute per attempt.
    expect(capped.files[0]?.content).toContain('StartLimitIntervalSec=6780s\n');
  });

  it('has no restart or start limit without retries', () => {
    const { files, reports } = units({ retries: 0 });
    expect(files[0]?.content).not.toContain('Restart');
    expect(files[0]?.content).not.toContain('StartLimit');
    expect(reports).toEqual([]);
  });
});

describe('the timer', () => {
  it('rounds the delay in its report, and has none without one', () => {
    const { files, reports } = units({ random_delay: 1_500 });
    expect(files[1]?.content).toContain('RandomizedDelaySec=1500ms\nFixedRandomDelay=true\n');
    expect(reports.map((r) => r.message)).toEqual([
      'random delay: systemd draws its own fixed offset below 2 s',
    ]);
    expect(units({ random_delay: 0 }).files[1]?.content).not.toContain('RandomizedDelaySec');
  });

  it('is written whole for an enabled schedule', () => {
    expect(units({ name: 'Job' }).files[1]?.content).toBe(
      [
        '[Unit]',
        'Description=Job (timer)',
        '',
        '[Timer]',
        'OnCalendar=*-*-* 03:00:00 UTC',
        'Persistent=false',
        'AccuracySec=1s',
        'Unit=cmdop-job.service',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    );
  });
});

describe('reports', () => {
  it('name alerts, and the battery rule only together with catch-up', () => {
    const { reports, files } = units({
      notify: { webhook_url: 'https://hooks.example/x' },
      run_on_battery: false,
    });
    expect(reports.map((r) => r.message)).toEqual([
      'webhook https://hooks.example/…: not sent; cron and systemd have no webhooks',
    ]);
    expect(files[0]?.content).toContain('ConditionACPower=true\n');
    expect(units({ run_on_battery: true, catch_up: true }).reports).toEqual([]);
    expect(units({ run_on_battery: true, catch_up: true }).files[0]?.content).not.toContain(
      'ConditionACPower',
    );
  });
});
