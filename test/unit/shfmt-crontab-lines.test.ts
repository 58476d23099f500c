// More crontab lines as cron reads them: blanks and indentation, comments as names, what
// looks like a job but is not, `%` and `cd`, RANDOM_DELAY's digits; the export's quoting,
// seconds check and zone lines; the import plan for items missing fields.
import { describe, expect, it } from 'vitest';
import { parseCrontab, percentToStdin } from '../../src/shared/crontab-import';
import { formatCrontab, type CrontabSchedule } from '../../src/shared/crontab-export';
import { planImport } from '../../src/shared/import-plan';

const read = (text: string, system = false) =>
  parseCrontab(text, { timezone: 'UTC', system, currentUser: 'me' });
const lines = (text: string, system = false) =>
  read(text, system).reports.map((r) => `${r.line} ${r.level}: ${r.message}`);
const only = (text: string, system = false) => {
  const r = read(text, system);
  expect(r.entries).toHaveLength(1);
  return r.entries[0]!.schedule;
};

describe('crontab lines', () => {
  it('a line of spaces is blank, and indented lines are read', () => {
    const r = read('# Lost\n   \n   # Name\n   0 1 * * * run\n  @daily other\n');
    expect(r.reports).toEqual([]);
    expect(r.entries.map((e) => [e.schedule.name, e.schedule.cron])).toEqual([
      ['Name', '0 1 * * *'],
      ['other', '@daily'],
    ]);
  });

  it('names from comments lose the spaces after #, and the description its trailing blanks', () => {
    expect(
      only('#   Name\n#  m h  dom mon dow   command\n# desc\n#\n0 1 * * * run\n'),
    ).toMatchObject({
      name: 'Name',
      description: 'desc',
    });
  });

  it('a commented-out line that is not our disabled mark stays a comment', () => {
    expect(only('# old jobs: 0 4 * * * run\n0 1 * * * other\n')).toMatchObject({
      name: 'old jobs: 0 4 * * * run',
      enabled: true,
    });
  });

  it('reads our disabled mark with the crontab kind it was written for', () => {
    expect(only('# disabled: 5 4 * * * true\n')).toMatchObject({ enabled: false, command: 'true' });
    const system = read('# disabled: 0 1 * * * root\n0 2 * * * me run\n', true);
    expect(system.reports).toEqual([]);
    expect(system.entries.map((e) => e.schedule.name)).toEqual(['disabled: 0 1 * * * root']);
  });

  it('reads old Mac line ends', () => {
    expect(read('0 1 * * * a\r0 2 * * * b').entries.map((e) => e.line)).toEqual([1, 2]);
  });

  it('says the problem of a bad schedule that is not a macro', () => {
    expect(lines('0 0 L * * x\n')).toEqual([
      "1 skipped: unsupported schedule '0 0 L * *': day-of-month must be a number 1-31, got 'L'",
    ]);
  });

  it('notes standard input, and trims the command before it', () => {
    const r = read('0 1 * * * a; b %in\n');
    expect(r.entries[0]?.schedule.command).toBe("{\na; b\n} <<'CMDOP_STDIN'\nin\nCMDOP_STDIN");
    expect(r.entries[0]?.schedule.name).toBe('a; b');
    expect(lines('0 1 * * * cat %in\n')).toEqual([
      "1 note: '%' sends the text after it to the command's standard input, as cron does (write \\% for a literal %)",
    ]);
  });

  it('keeps a backslash that does not escape a %', () => {
    expect(percentToStdin('printf a\\tb')).toEqual({ command: 'printf a\\tb', stdin: null });
  });

  it('`cd` only at the start, after any spaces, with a command of several words', () => {
    expect(only('0 1 * * * cd  /srv && ./run --now')).toMatchObject({
      cwd: '/srv',
      command: './run --now',
    });
    expect(only('0 1 * * * x cd /srv && run')).toMatchObject({ cwd: null });
  });

  it('keeps a name of exactly 60 characters', () => {
    const cmd = `echo ${'x'.repeat(55)}`;
    expect(only(`0 1 * * * ${cmd}`).name).toBe(cmd);
    expect(only(`0 1 * * * ${cmd}y`).name).toBe(`${cmd.slice(0, 59)}…`);
  });

  it('quoted values keep only the matching quotes', () => {
    expect(only('A=abca\n0 1 * * * run').env).toEqual({ A: 'abca' });
  });

  it('RANDOM_DELAY takes digits only', () => {
    expect(lines('RANDOM_DELAY=1e1\n0 1 * * * run')).toEqual([
      '1 note: RANDOM_DELAY must be a whole number of minutes; ignored',
    ]);
    expect(lines('RANDOM_DELAY=5x\n0 1 * * * run')).toHaveLength(1);
  });

  it('names every field the schedule rules refuse', () => {
    expect(lines(`V=${'v'.repeat(40_000)}\n0 1 * * * ${'x'.repeat(65_537)}\n`)).toEqual([
      expect.stringMatching(/^2 skipped: cannot be imported: .+ must .+; .+ must /),
    ]);
  });

  it('describes a system line with its comment and whose it was', () => {
    expect(only('# Name\n# desc\n0 1 * * * root run\n', true).description).toBe(
      "desc\ncron ran it as user 'root'",
    );
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
  it('starts with the CRON_TZ note when there is no header', () => {
    expect(formatCrontab([]).text).toBe(
      '# CRON_TZ needs a cron that supports it (cronie: Fedora, RHEL, Arch; not Debian cron).\n',
    );
  });

  it('leaves a quote inside a value bare', () => {
    expect(formatCrontab([{ ...base, env: { Q: 'say "hi"' } }]).text).toContain('\nQ=say "hi"\n');
  });

  it('counts fields however they are spaced, and says so in the file when it refuses', () => {
    expect(formatCrontab([{ ...base, cron: '0  1 * * *' }]).text).toContain('\n0  1 * * * run\n');
    expect(formatCrontab([{ ...base, cron: ' 0 1 * * *' }]).reports).toEqual([]);
    expect(formatCrontab([{ ...base, cron: '0 0 1 * * *' }]).text).toContain(
      "\n# Job: not exported, '0 0 1 * * *' has seconds\n",
    );
  });

  it('a variable that happens to hold the zone name does not set the zone', () => {
    expect(formatCrontab([{ ...base, env: { A: 'UTC' } }]).text).toContain(
      '\nA=UTC\nCRON_TZ=UTC\n',
    );
  });

  it('unsets every variable a later schedule lacks', () => {
    const { text } = formatCrontab([
      { ...base, env: { A: '1', B: '2' } },
      { ...base, name: 'Next' },
    ]);
    expect(text).toContain('\n0 1 * * * unset A B; run\n');
  });

  it('unwraps only the braces it wrote around a here-document', () => {
    const command = "f() {\n  cat\n} <<'CMDOP_STDIN'\nin\nCMDOP_STDIN";
    const { text } = formatCrontab([{ ...base, command }]);
    expect(text).toContain(`eval "$(printf '\\%s\\n' 'f() {' '  cat' '}')"%in\n`);
  });
});

describe('import plan', () => {
  it('reads missing fields as empty when matching present schedules', () => {
    const plan = planImport(
      [{ source: 'item 0', item: { command: 'x' } as never }],
      [{ id: 'sched_1', name: 'Blank cron', cron: '', command: 'x' }],
    );
    expect(plan.duplicates.map((d) => d.of)).toEqual(['sched_1 (Blank cron)']);
    const bare = planImport(
      [{ source: 'item 0', item: { cron: '0 1 * * *' } as never }],
      [{ id: 'sched_2', name: 'No command', cron: '0 1 * * *', command: '' }],
    );
    expect(bare.duplicates.map((d) => d.of)).toEqual(['sched_2 (No command)']);
  });
});

describe('defaults and edges', () => {
  it('reads a crontab as a user crontab when its kind is not given', () => {
    const r = parseCrontab('0 1 * * * run\n# disabled: 0 2 * * * stop\n', { timezone: 'UTC' });
    expect(r.entries.map((e) => [e.schedule.command, e.schedule.enabled])).toEqual([
      ['run', true],
      ['stop', false],
    ]);
  });

  it('unwraps a here-document head only when braces open and close it', () => {
    const command = "{\n  cat\n} 2>&1 <<'CMDOP_STDIN'\nin\nCMDOP_STDIN";
    const { text } = formatCrontab([{ ...base, command }]);
    expect(text).toContain(`eval "$(printf '\\%s\\n' '{' '  cat' '} 2>&1')"%in\n`);
  });
});
