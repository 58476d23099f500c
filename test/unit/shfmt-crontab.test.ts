// Crontab import line by line (env lines, comments as names, `cd`, `%`, the user column,
// what is skipped and why), the crontab export of what cron cannot express, and the
// import plan's duplicates.
import { describe, expect, it } from 'vitest';
import {
  isSystemCrontabPath,
  parseCrontab,
  shellQuote,
  withHereDoc,
} from '../../src/shared/crontab-import';
import {
  alertReports,
  formatCrontab,
  policyReports,
  type CrontabSchedule,
} from '../../src/shared/crontab-export';
import { duplicateKey, planImport } from '../../src/shared/import-plan';

const read = (text: string, system = false, currentUser?: string) =>
  parseCrontab(text, { timezone: 'UTC', system, currentUser });
const only = (text: string) => {
  const r = read(text);
  expect(r.entries).toHaveLength(1);
  return r.entries[0]!.schedule;
};
const messages = (text: string, system = false, currentUser?: string) =>
  read(text, system, currentUser).reports.map((r) => `${r.line} ${r.level}: ${r.message}`);

describe('environment lines', () => {
  it('strip one pair of matching quotes, and keep unmatched or lone ones', () => {
    expect(only('A="x y"\nB=\'z\'\nC="\nD="q\'\nE = spaced \n0 1 * * * run\n').env).toEqual({
      A: 'x y',
      B: 'z',
      C: '"',
      D: '"q\'',
      E: 'spaced',
    });
  });

  it('read a quoted name as cron does', () => {
    expect(only('"NAME"=v\n0 1 * * * run\n').env).toEqual({ NAME: 'v' });
  });

  it('skip an invalid name, naming the rule', () => {
    expect(messages('1BAD=x\n0 1 * * * run\n')).toEqual([
      "1 skipped: '1BAD' is not a valid variable name (letters, digits, _)",
    ]);
  });

  it('note mail and unsupported variables, which change nothing', () => {
    const r = read('MAILFROM=cron@x\nCONTENT_TYPE=text/plain\nCRON_CORRECT_DST=1\n0 1 * * * run\n');
    expect(r.reports.map((x) => `${x.line} ${x.level}: ${x.message}`)).toEqual([
      "1 note: MAILFROM does not apply: output is kept in each run's history and failures notify on the desktop",
      "2 note: CONTENT_TYPE does not apply: output is kept in each run's history and failures notify on the desktop",
      '3 note: CRON_CORRECT_DST is not supported and was ignored',
    ]);
    expect(r.entries[0]?.schedule.env).toEqual({});
  });

  it('take RANDOM_DELAY in whole minutes only', () => {
    const r = read(
      'RANDOM_DELAY=abc\n0 1 * * * a\nRANDOM_DELAY=5\n0 2 * * * b\nRANDOM_DELAY=0\n0 3 * * * c\n',
    );
    expect(r.reports.map((x) => `${x.line} ${x.level}: ${x.message}`)).toEqual([
      '1 note: RANDOM_DELAY must be a whole number of minutes; ignored',
    ]);
    expect(r.entries.map((e) => e.schedule.random_delay)).toEqual([undefined, 300_000, undefined]);
    expect(r.entries[0]?.schedule).not.toHaveProperty('random_delay');
    expect(read('RANDOM_DELAY=60\n0 1 * * * a\n').reports).toEqual([]);
  });

  it('CRON_TZ sets the zone without putting it in the environment', () => {
    expect(only('CRON_TZ=Asia/Tokyo\n0 1 * * * run\n')).toMatchObject({
      timezone: 'Asia/Tokyo',
      env: {},
    });
  });

  it('a valid zone after an unknown one lets the lines after it import again', () => {
    const r = read('TZ=Mars/Base\n0 1 * * * a\nTZ=Europe/Paris\n0 2 * * * b\n');
    expect(r.entries.map((e) => [e.line, e.schedule.timezone, e.schedule.env])).toEqual([
      [4, 'Europe/Paris', { TZ: 'Europe/Paris' }],
    ]);
    expect(messages('TZ=Mars/Base\n')[0]).toBe(
      "1 skipped: TZ: unknown time zone 'Mars/Base'; the lines after it are skipped",
    );
  });

  it('an absolute HOME is where jobs start, as cron starts them', () => {
    expect(only('HOME=/home/me\n0 1 * * * run\n')).toMatchObject({
      cwd: '/home/me',
      env: { HOME: '/home/me' },
    });
    expect(only('HOME=relative\n0 1 * * * run\n').cwd).toBeNull();
  });
});

describe('comments', () => {
  it('the first line names the job, the rest describe it; the template header is not one', () => {
    expect(
      only('# m h  dom mon dow   command\n#\n# Name here\n# more\n#\n# and more\n0 1 * * * run\n'),
    ).toMatchObject({ name: 'Name here', description: 'more\n\nand more' });
  });

  it('a blank line or a bad line in between ends them', () => {
    expect(only('# Lost\n\n0 1 * * * run\n')).toMatchObject({ name: 'run', description: '' });
    const r = read('# Lost too\nnot a job\n0 1 * * * run\n');
    expect(r.entries[0]?.schedule.name).toBe('run');
  });

  it('a comment that only looks disabled is a comment', () => {
    expect(only('# disabled: not a job\n0 1 * * * run\n').name).toBe('disabled: not a job');
    expect(only('# disabled: 0 0 L * * x\n0 1 * * * run\n').name).toBe('disabled: 0 0 L * * x');
  });

  it('names and descriptions are clipped to what a schedule holds', () => {
    const s = only(`# ${'n'.repeat(300)}\n# ${'d'.repeat(2100)}\n0 1 * * * run\n`);
    expect(s.name).toBe(`${'n'.repeat(199)}…`);
    expect(s.description).toBe(`${'d'.repeat(1999)}…`);
  });
});

describe('job lines', () => {
  it('read CRLF line ends and a last line without one', () => {
    const r = read('# A\r\n0 1 * * * a\r\n0 2 * * * b');
    expect(r.entries.map((e) => [e.line, e.schedule.name, e.schedule.command])).toEqual([
      [2, 'A', 'a'],
      [3, 'b', 'b'],
    ]);
  });

  it('say what a short line lacks', () => {
    expect(messages('@daily\n0 1 * * *\n', false)).toEqual([
      '1 skipped: not a crontab line: expected five time fields (or a @macro) and a command',
      '2 skipped: not a crontab line: expected five time fields (or a @macro) and a command',
    ]);
    expect(messages('@daily root\n0 1 * * * root\n', true)).toEqual([
      '1 skipped: not a crontab line: expected five time fields (or a @macro), a user and a command',
      '2 skipped: not a crontab line: expected five time fields (or a @macro), a user and a command',
    ]);
  });

  it('say whose job a system line was, when no current user is known', () => {
    expect(messages('0 1 * * * root run\n', true)).toEqual([
      "1 note: cron ran this as 'root'; it will run as you",
    ]);
  });

  it('read the user of a system macro line, and say nothing when it is the current user', () => {
    const r = read('@daily deploy /opt/run\n@hourly root /opt/other\n', true, 'deploy');
    expect(
      r.entries.map((e) => [e.schedule.cron, e.schedule.command, e.schedule.description]),
    ).toEqual([
      ['@daily', '/opt/run', ''],
      ['@hourly', '/opt/other', "cron ran it as user 'root'"],
    ]);
    expect(r.reports.map((x) => x.message)).toEqual([
      "cron ran this as 'root'; it will run as 'deploy'",
    ]);
  });

  it('an unknown macro and @reboot in any case are skipped, each with its reason', () => {
    expect(messages('@REBOOT run\n@fortnightly run\n')).toEqual([
      '1 skipped: @reboot is not supported: schedules run on time, not at boot',
      "2 skipped: unsupported schedule '@fortnightly': unknown macro",
    ]);
  });

  it('`cd` to an absolute or quoted folder becomes the working directory; others stay', () => {
    expect(only("0 1 * * * cd '/srv/my app'&&./go")).toMatchObject({
      cwd: '/srv/my app',
      command: './go',
    });
    expect(only('0 1 * * * cd reports && ./go')).toMatchObject({
      cwd: null,
      command: 'cd reports && ./go',
    });
    expect(only("0 1 * * * cd 'rel dir' && ./go")).toMatchObject({ cwd: null });
  });

  it('a job of only standard input is named after its line', () => {
    expect(only('0 1 * * * %hello')).toMatchObject({
      name: 'line 1',
      command: " <<'CMDOP_STDIN'\nhello\nCMDOP_STDIN",
    });
  });

  it('names a job after the first line of its command, spaces squeezed', () => {
    expect(only('0 1 * * * echo   a\tb').name).toBe('echo a b');
  });

  it('reports a line the schedule rules refuse, with the field and the rule', () => {
    const long = 'x'.repeat(65_537);
    expect(messages(`0 1 * * * ${long}\n`)).toEqual([
      '1 skipped: cannot be imported: command must be at most 65536 characters',
    ]);
  });
});

describe('standard input as a here-document', () => {
  it('picks a delimiter the input does not hold, and braces a compound command', () => {
    expect(withHereDoc('cat  ', 'CMDOP_STDIN\nx\n')).toBe(
      "cat <<'CMDOP_STDIN_2'\nCMDOP_STDIN\nx\nCMDOP_STDIN_2",
    );
    expect(withHereDoc('cat', 'CMDOP_STDIN\nCMDOP_STDIN_2\n')).toBe(
      "cat <<'CMDOP_STDIN_3'\nCMDOP_STDIN\nCMDOP_STDIN_2\nCMDOP_STDIN_3",
    );
    for (const c of [';', '&', '|', '(', ')']) {
      expect(withHereDoc(`a ${c} b`, 'in\n')).toBe(
        `{\na ${c} b\n} <<'CMDOP_STDIN'\nin\nCMDOP_STDIN`,
      );
    }
  });

  it('comes back as % through an export', () => {
    const s = only('0 1 * * * a; b%line one%CMDOP_STDIN');
    expect(s.command).toBe("{\na; b\n} <<'CMDOP_STDIN_2'\nline one\nCMDOP_STDIN\nCMDOP_STDIN_2");
    const text = formatCrontab([{ ...s, timeout: null, catch_up: false }]).text;
    expect(text).toContain('\n0 1 * * * a; b%line one%CMDOP_STDIN\n');
  });
});

describe('shell quoting', () => {
  it('leaves safe words alone and quotes the rest, quotes included', () => {
    expect(shellQuote('/srv/app-1_@%+=:,.')).toBe('/srv/app-1_@%+=:,.');
    expect(shellQuote("it's here")).toBe("'it'\\''s here'");
    expect(shellQuote('a$b')).toBe("'a$b'");
    expect(shellQuote('')).toBe("''");
  });
});

describe('system crontab paths', () => {
  it('are /etc/crontab and the files right in /etc/cron.d', () => {
    expect(isSystemCrontabPath('/etc/cron.d/x/y')).toBe(false);
    expect(isSystemCrontabPath('/etc/cron.d/')).toBe(false);
    expect(isSystemCrontabPath('/x/etc/cron.d/a')).toBe(false);
    expect(isSystemCrontabPath('/etc/crontab.bak')).toBe(false);
  });
});

const base: CrontabSchedule = {
  name: 'Job',
  description: '',
  command: 'run',
  cron: '0 1 * * *',
  enabled: true,
  timezone: 'UTC',
  env: {},
  cwd: null,
  timeout: null,
  catch_up: false,
};

describe('crontab export', () => {
  it('quotes env values cron would change, and writes others bare', () => {
    const { text } = formatCrontab([
      { ...base, env: { E: '', L: ' lead', T: 'trail ', Q: '"q"', S: "'s", P: 'plain value' } },
    ]);
    expect(text).toContain('E=""\nL=" lead"\nT="trail "\nQ=""q""\nS="\'s"\nP=plain value\n');
    const back = parseCrontab(text, { timezone: 'UTC' }).entries[0]?.schedule.env;
    expect(back).toEqual({ E: '', L: ' lead', T: 'trail ', Q: '"q"', S: "'s", P: 'plain value' });
  });

  it('writes each variable and zone once, while they stay the same', () => {
    const { text } = formatCrontab(
      [
        { ...base, name: 'a', env: { A: '1' }, timezone: 'Europe/Paris' },
        { ...base, name: 'b', env: { A: '1' }, timezone: 'Europe/Paris' },
        { ...base, name: 'c', env: { A: '2', TZ: 'Asia/Tokyo' }, timezone: 'Asia/Tokyo' },
      ],
      ['from host x', 'on day y'],
    );
    expect(text).toBe(
      [
        '# from host x',
        '# on day y',
        '# CRON_TZ needs a cron that supports it (cronie: Fedora, RHEL, Arch; not Debian cron).',
        '',
        'A=1',
        'CRON_TZ=Europe/Paris',
        '# a',
        '0 1 * * * run',
        '',
        '# b',
        '0 1 * * * run',
        '',
        'A=2',
        'TZ=Asia/Tokyo',
        '# c',
        '0 1 * * * run',
        '',
      ].join('\n'),
    );
  });

  it('writes a blank description line as a bare #', () => {
    const { text } = formatCrontab([{ ...base, description: 'one\n\ntwo' }]);
    expect(text).toContain('# Job\n# one\n#\n# two\n0 1 * * * run\n');
  });

  it('leaves out `cd` to HOME, and quotes a folder with spaces', () => {
    const home = formatCrontab([{ ...base, env: { HOME: '/home/me' }, cwd: '/home/me' }]).text;
    expect(home).toContain('\n0 1 * * * run\n');
    const spaced = formatCrontab([{ ...base, cwd: '/srv/my app' }]).text;
    expect(spaced).toContain("\n0 1 * * * cd '/srv/my app' && run\n");
  });

  it('keeps a here-document it did not write, and one without a final newline, as a script', () => {
    const text = formatCrontab([{ ...base, command: "cat <<'EOF'\nx\nEOF" }]).text;
    expect(text).toContain(`0 1 * * * eval "$(printf '\\%s\\n' 'cat <<'\\''EOF'\\''' x EOF)"\n`);
    const open = formatCrontab([{ ...base, command: "cat <<'CMDOP_STDIN'\nxCMDOP_STDIN" }]).text;
    expect(open).toContain(
      `0 1 * * * eval "$(printf '\\%s\\n' 'cat <<'\\''CMDOP_STDIN'\\''' xCMDOP_STDIN)"\n`,
    );
  });

  it('escapes % in standard input too', () => {
    const text = formatCrontab([
      { ...base, command: "printf <<'CMDOP_STDIN'\n50%\nCMDOP_STDIN" },
    ]).text;
    expect(text).toContain('\n0 1 * * * printf%50\\%\n');
  });

  it('reports a timeout in seconds and nothing for a schedule cron runs as it is', () => {
    expect(formatCrontab([{ ...base, timeout: 90_500 }]).reports).toEqual([
      { name: 'Job', message: 'timeout 90.5 s: cron has no timeout' },
    ]);
    expect(
      formatCrontab([{ ...base, retries: 0, shell: 'plain', run_on_battery: true }]).reports,
    ).toEqual([]);
  });
});

describe('what cron and systemd do not do', () => {
  it('policies: only those set, in words', () => {
    expect(policyReports({ ...base, env_file: null, paused_until: null })).toEqual([]);
    expect(policyReports({ ...base, run_on_battery: undefined })).toEqual([]);
  });

  it('alerts: webhooks and pings, with their URLs redacted', () => {
    expect(alertReports({})).toEqual([]);
    expect(alertReports({ notify: { webhook_url: null, ping_url: null } })).toEqual([]);
    expect(
      alertReports({
        notify: {
          webhook_url: 'https://hooks.slack.com/services/T0/B0/secret',
          ping_url: 'https://hc-ping.com/uuid',
        },
      }),
    ).toEqual([
      'webhook https://hooks.slack.com/…: not sent; cron and systemd have no webhooks',
      'ping https://hc-ping.com/…: not sent; append `&& curl -fsS -m 10 --retry 3 -o /dev/null <your ping URL>` to the command for a success ping',
    ]);
  });
});

describe('import plan', () => {
  const item = (cron: string, command: string, id?: unknown) => ({
    source: `${cron}|${command}`,
    item: { cron, command, ...(id === undefined ? {} : { id }) } as never,
  });

  it('keys on cron and command, re-spaced and trimmed', () => {
    expect(duplicateKey(' 0  1 * * * ', ' run  ')).toBe('0 1 * * *\nrun');
  });

  it('finds a present schedule by id, and a repeated id in the same import', () => {
    const plan = planImport(
      [
        item('0 1 * * *', 'a', 'sched_1'),
        item('0 2 * * *', 'b', 'sched_2'),
        item('0 3 * * *', 'c', 'sched_2'),
      ],
      [{ id: 'sched_1', name: 'One', cron: '5 5 * * *', command: 'other' }],
    );
    expect(plan.create.map((p) => p.source)).toEqual(['0 2 * * *|b']);
    expect(plan.duplicates.map((d) => [d.source, d.of])).toEqual([
      ['0 1 * * *|a', 'sched_1'],
      ['0 3 * * *|c', 'sched_2'],
    ]);
  });

  it('ignores an id that is not a string, and reads missing fields as empty', () => {
    const plan = planImport(
      [item('0 1 * * *', 'a', 7), item('0 2 * * *', 'b', 7), { source: 'bare', item: {} as never }],
      [{ id: '7', name: 'Seven', cron: '5 5 * * *', command: 'x' }],
    );
    expect(plan.create.map((p) => p.source)).toEqual(['0 1 * * *|a', '0 2 * * *|b', 'bare']);
  });
});
