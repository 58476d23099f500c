// The history's parts on their own: the files under the history folder (what a log and an
// output file hold, what is tolerated when they are damaged) and one record line (what is
// kept of a line, what makes it damage). Real files in a temp dir.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/core/history';
import { HistoryFiles, SAFE_ID } from '../../src/core/history-files';
import { recordLine, toRecord } from '../../src/core/history-record';
import type { Logger } from '../../src/core/log';
import type { Run } from '../../src/shared/types';

let dir: string;
let warnings: string[];
const log: Logger = { info() {}, warn: (m) => void warnings.push(m), error() {} };
const clock = { now: () => 1_700_000_000_000 };

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'cmdop-hparts-')), 'history');
  warnings = [];
});

afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('the history files', () => {
  it('makes the folder private on first use and lists the schedules with a log', () => {
    const f = new HistoryFiles(dir, clock, log);
    expect(f.logIds()).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    f.appendLine('sched_a', 'x\n');
    f.appendLine('sched_b', 'y\n');
    writeFileSync(join(dir, 'notes.txt'), '');
    writeFileSync(join(dir, 'bad id.jsonl'), '');
    writeFileSync(join(dir, 'sched_c.jsonl.tmp'), '');
    expect(f.logIds().sort()).toEqual(['sched_a', 'sched_b']);
    expect(statSync(f.logPath('sched_a')).mode & 0o777).toBe(0o600);
    expect(f.readLog('sched_a')).toBe('x\n');
    expect(f.readLog('sched_none')).toBeNull();
  });

  it('passes on a log it cannot read for another reason than its absence', () => {
    const f = new HistoryFiles(dir, clock, log);
    mkdirSync(f.logPath('sched_a'), { recursive: true });
    expect(() => f.readLog('sched_a')).toThrow(/EISDIR/);
  });

  it('moves an unreadable log aside, or says its runs are not shown', () => {
    const f = new HistoryFiles(dir, clock, log);
    f.appendLine('sched_a', 'x\n');
    f.setAside('sched_a', 'EIO');
    const aside = `${f.logPath('sched_a')}.unreadable-1700000000000`;
    expect(readFileSync(aside, 'utf8')).toBe('x\n');
    expect(warnings).toEqual([
      `history: ${f.logPath('sched_a')} could not be read (EIO); moved it to ${aside}`,
    ]);
    f.setAside('sched_gone', 'EIO');
    expect(warnings[1]).toBe(
      `history: ${f.logPath('sched_gone')} could not be read (EIO); its runs are not shown`,
    );
  });

  it('keeps output per run, replaced whole, and reads it back', () => {
    const f = new HistoryFiles(dir, clock, log);
    f.writeOutput('sched_a', 'run_1', 'out', 'err');
    f.writeOutput('sched_a', 'run_1', 'out2', '');
    expect(f.readOutput('sched_a', 'run_1')).toEqual({ stdout: 'out2', stderr: '' });
    expect(statSync(join(dir, 'sched_a')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'sched_a', 'run_1.json')).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([]);
  });

  it('shows no output, with a warning, for a damaged or foreign output file', () => {
    const f = new HistoryFiles(dir, clock, log);
    f.writeOutput('sched_a', 'run_1', 'x', '');
    const path = join(dir, 'sched_a', 'run_1.json');
    for (const text of ['{"stdout":1,"stderr":""}', '{"stdout":"a"}', 'null', '[]']) {
      writeFileSync(path, text);
      expect(f.readOutput('sched_a', 'run_1')).toEqual({ stdout: '', stderr: '' });
    }
    expect(warnings).toEqual(Array(4).fill(`history: ${path}: not a run output; showing none`));
    warnings = [];
    writeFileSync(path, '{ half');
    expect(f.readOutput('sched_a', 'run_1')).toEqual({ stdout: '', stderr: '' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/: unreadable output \(.+\); showing none$/);
    warnings = [];
    expect(f.readOutput('sched_a', 'run_missing')).toEqual({ stdout: '', stderr: '' });
    expect(warnings[0]).toMatch(
      /run_missing\.json: unreadable output \(.*ENOENT.*\); showing none$/,
    );
  });

  it('removes one output quietly when it is already gone, and says so when it cannot', () => {
    const f = new HistoryFiles(dir, clock, log);
    f.writeOutput('sched_a', 'run_1', 'x', '');
    f.removeOutput('sched_a', 'run_1');
    expect(existsSync(join(dir, 'sched_a', 'run_1.json'))).toBe(false);
    f.removeOutput('sched_a', 'run_1');
    expect(warnings).toEqual([]);
    mkdirSync(join(dir, 'sched_a', 'run_2.json'));
    f.removeOutput('sched_a', 'run_2');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^history: could not remove output of run_2: /);
  });

  it('sweeps every output but the kept ones, temp files too', () => {
    const f = new HistoryFiles(dir, clock, log);
    f.sweepOutputs('sched_a', new Set()); // no folder yet: nothing to do
    for (const id of ['run_1', 'run_2', 'run_3']) f.writeOutput('sched_a', id, id, '');
    writeFileSync(join(dir, 'sched_a', 'run_1.json.123-4.tmp'), '');
    writeFileSync(join(dir, 'sched_a', 'run_2'), '');
    f.sweepOutputs('sched_a', new Set(['run_2', 'run_3']));
    expect(readdirSync(join(dir, 'sched_a')).sort()).toEqual(['run_2.json', 'run_3.json']);
    writeFileSync(join(dir, 'sched_b'), 'a file where the folder would be');
    expect(() => f.sweepOutputs('sched_b', new Set())).toThrow(/ENOTDIR/);
  });

  it('replaces a log whole and removes a schedule with all its files', () => {
    const f = new HistoryFiles(dir, clock, log);
    f.appendLine('sched_a', 'old\n');
    f.replaceLog('sched_a', 'new\n');
    expect(f.readLog('sched_a')).toBe('new\n');
    f.writeOutput('sched_a', 'run_1', 'x', '');
    writeFileSync(`${f.logPath('sched_a')}.tmp`, '');
    f.appendLine('sched_b', 'b\n');
    f.removeSchedule('sched_a');
    expect(readdirSync(dir)).toEqual(['sched_b.jsonl']);
    f.removeSchedule('../history');
    expect(existsSync(dir)).toBe(true);
  });

  it('takes ids of letters, digits, _ and - only', () => {
    expect(SAFE_ID.test('sched_A-1')).toBe(true);
    for (const bad of ['', '../x', 'a/b', 'a.b', 'a b', 'x\n'])
      expect(SAFE_ID.test(bad)).toBe(false);
  });
});

describe('a record line', () => {
  const meta = {
    id: 'run_1',
    started_at: '2026-01-01T00:00:00Z',
    finished_at: null,
    exit_code: null,
    duration: null,
    schedule_id: 'sched_a',
    command_id: 'cmd_1',
    trigger: 'schedule' as const,
    status: 'running' as const,
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 2,
    retry_of: 'cmd_0',
    shell: 'login',
    env_file: '/e',
  };

  it('round-trips a run with its process group', () => {
    const line = recordLine({ meta, hasOutput: true, group: { pgid: 4242, start: '99' } });
    expect(JSON.parse(line)).toMatchObject({ has_output: true, pgid: 4242, pgid_start: '99' });
    expect(toRecord(JSON.parse(line))).toEqual({
      meta,
      hasOutput: true,
      group: { pgid: 4242, start: '99' },
    });
    const plain = JSON.parse(recordLine({ meta, hasOutput: false, group: null }));
    expect(plain).not.toHaveProperty('pgid');
    expect(toRecord(plain)?.group).toBeNull();
  });

  it('keeps an ad-hoc command line', () => {
    const r = toRecord({
      ...JSON.parse(recordLine({ meta, hasOutput: false, group: null })),
      command: 'ls',
    });
    expect(r?.meta.command).toBe('ls');
  });

  it('reads old records without attempts, shells or env files', () => {
    const { attempt: _a, retry_of: _r, shell: _s, env_file: _e, ...old } = meta;
    const r = toRecord({ ...old, has_output: false });
    expect(r?.meta).toMatchObject({ attempt: 1, retry_of: null, shell: null, env_file: null });
    for (const attempt of [0, 1.5, '2']) {
      expect(toRecord({ ...old, attempt, has_output: false })?.meta.attempt).toBe(1);
    }
    expect(toRecord({ ...old, attempt: 1, has_output: false })?.meta.attempt).toBe(1);
  });

  it('drops a process group that is not one', () => {
    const base = { ...meta, has_output: false };
    for (const pgid of [0, 1, -5, 2.5, '77', null]) {
      expect(toRecord({ ...base, pgid })?.group).toBeNull();
    }
    expect(toRecord({ ...base, pgid: 2, pgid_start: 7 })?.group).toEqual({ pgid: 2, start: null });
  });

  it('treats anything else as damage', () => {
    const good = { ...meta, has_output: false };
    expect(toRecord(good)).not.toBeNull();
    const bad: Record<string, unknown>[] = [
      { id: 1 },
      { started_at: null },
      { finished_at: 5 },
      { exit_code: '0' },
      { duration: '1' },
      { schedule_id: null },
      { command_id: 3 },
      { trigger: 'cron' },
      { trigger: 5 },
      { status: 'done' },
      { status: null },
      { scheduled_for: 1 },
      { signal: 9 },
      { truncated: 'no' },
      { has_output: 1 },
    ];
    for (const change of bad) expect(toRecord({ ...good, ...change })).toBeNull();
    for (const ok of [
      { finished_at: 'x' },
      { exit_code: 0 },
      { duration: 5 },
      { scheduled_for: 'x' },
      { signal: 'SIGTERM' },
    ]) {
      expect(toRecord({ ...good, ...ok })).not.toBeNull();
    }
    expect(toRecord(null)).toBeNull();
    expect(toRecord('line')).toBeNull();
  });
});

describe('the index keeps every field of a run, the rare ones too', () => {
  const base: Run = {
    id: 'run_a',
    started_at: '2026-01-01T00:00:00Z',
    finished_at: '2026-01-01T00:00:05Z',
    exit_code: 0,
    duration: 5000,
    stdout: '',
    stderr: '',
    schedule_id: 'sched_a',
    command_id: 'cmd_a',
    trigger: 'schedule',
    status: 'success',
    scheduled_for: '2026-01-01T00:00:00Z',
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
  };
  const runs: Run[] = [
    base,
    { ...base, id: 'run_b', command_id: 'cmd_other', started_at: '2026-01-01T00:01:00Z' },
    {
      ...base,
      id: 'run_c',
      command_id: 'cmd_c',
      started_at: '2026-01-01T00:02:00Z',
      status: 'failure',
      exit_code: null,
      signal: 'SIGKILL',
      truncated: true,
      attempt: 3,
      retry_of: 'cmd_a',
      shell: 'login',
      env_file: null,
    },
    {
      ...base,
      id: 'run_d',
      command_id: 'cmd_d',
      started_at: '2026-01-01T00:03:00Z',
      shell: null,
      env_file: '/srv/.env',
      trigger: 'manual',
      scheduled_for: null,
    },
    {
      ...base,
      id: 'run_e',
      command_id: 'cmd_e',
      started_at: '2026-01-01T00:04:00Z',
      shell: 'login',
      env_file: '/srv/.env',
      command: 'ls -l',
    } as Run,
  ];
  const now = Date.parse('2026-01-02T00:00:00Z');
  const open = () => {
    const h = new HistoryStore({
      dir,
      clock: { now: () => now },
      log,
      retention: () => ({ max_runs: 1000, max_age_days: 90 }),
      schedule: () => {},
    });
    h.open(now);
    return h;
  };
  const all = { limit: 100, offset: 0 };

  it('in memory, after a reopen and after a rewrite', async () => {
    const h = open();
    for (const r of runs) h.append(r);
    const expected = [...runs].reverse();
    expect(h.list('sched_a', all).data).toEqual(expected);
    expect(open().list('sched_a', all).data).toEqual(expected);
    await h.flush();
    expect(h.getByCommand('cmd_other')?.id).toBe('run_b');
    expect(h.getByCommand('cmd_b')).toBeUndefined();
    expect(h.getByCommand('cmd_a')?.id).toBe('run_a');
    expect(h.getByCommand('cmd_zz')).toBeUndefined();
  });

  it('a later record clears what it no longer has', () => {
    const h = open();
    const c = runs[2]!;
    h.append(c);
    const cleared = {
      ...c,
      signal: null,
      retry_of: null,
      shell: null,
      env_file: null,
      truncated: false,
    };
    h.append(cleared);
    expect(h.getByCommand('cmd_c')).toEqual(cleared);
    const e = runs[4]!;
    h.append(e);
    const { command: _c, ...plain } = e as Run & { command?: string };
    h.append(plain);
    expect(h.getByCommand('cmd_e')).toEqual(plain);
    expect(open().getByCommand('cmd_e')).toEqual(plain);
  });

  it('forgets a deleted schedule’s runs by both ids', () => {
    const h = open();
    for (const r of runs) h.append(r);
    h.deleteSchedule('sched_a');
    expect(h.getByCommand('cmd_other')).toBeUndefined();
    expect(h.getByCommand('cmd_a')).toBeUndefined();
    h.append({ ...base, id: 'run_z', command_id: 'cmd_other' });
    expect(h.getByCommand('cmd_other')?.id).toBe('run_z');
  });

  it('reads a log whose last line is torn, and one ending in a newline, alike', () => {
    const h = open();
    for (const r of runs.slice(0, 2)) h.append(r);
    const path = join(dir, 'sched_a.jsonl');
    const whole = readFileSync(path, 'utf8');
    writeFileSync(path, `${whole}{"id":"run_`);
    warnings = [];
    const torn = open();
    expect(torn.list('sched_a', all).total).toBe(2);
    torn.append(runs[2]!);
    expect(open().list('sched_a', all).total).toBe(3);
    writeFileSync(path, `${whole}not json\n`);
    warnings = [];
    expect(open().list('sched_a', all).total).toBe(2);
    expect(warnings).toHaveLength(1);
  });
});
