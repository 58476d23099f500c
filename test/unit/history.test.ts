import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type Retention } from '../../src/core/history';
import type { Logger } from '../../src/core/log';
import { formatTimestamp } from '../../src/shared/time';
import type { Run } from '../../src/shared/types';

const T0 = Date.parse('2024-01-21T03:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const SCHED = 'sched_a';

let dir: string;
let now: number;
let retention: Retention;
let warnings: string[];
let deferred: (() => void)[];

const log: Logger = { info() {}, warn: (m) => void warnings.push(m), error() {} };

function store(opts: { manualSchedule?: boolean } = {}): HistoryStore {
  return new HistoryStore({
    dir,
    clock: { now: () => now },
    log,
    retention: () => retention,
    schedule: opts.manualSchedule ? (fn) => void deferred.push(fn) : undefined,
  });
}

let counter = 0;
function run(overrides: Partial<Run> = {}): Run {
  const n = counter++;
  const startedMs = T0 + n * MIN;
  return {
    id: `run_${n}`,
    started_at: formatTimestamp(startedMs),
    finished_at: formatTimestamp(startedMs + 1000),
    exit_code: 0,
    duration: 1000,
    stdout: '',
    stderr: '',
    schedule_id: SCHED,
    command_id: `cmd_${n}`,
    trigger: 'schedule',
    status: 'success',
    scheduled_for: formatTimestamp(startedMs),
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...overrides,
  };
}

const ids = (runs: Run[]) => runs.map((r) => r.id);
const logFile = (schedule = SCHED) => join(dir, `${schedule}.jsonl`);
const lineCount = (schedule = SCHED) =>
  readFileSync(logFile(schedule), 'utf8').split('\n').filter(Boolean).length;
const outputFiles = (schedule = SCHED) =>
  existsSync(join(dir, schedule)) ? readdirSync(join(dir, schedule)).sort() : [];
const all = { limit: 100, offset: 0 };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-history-'));
  now = T0 + DAY;
  retention = { max_runs: 1000, max_age_days: 90 };
  warnings = [];
  deferred = [];
  counter = 0;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('HistoryStore', () => {
  it('lists newest first by started_at, then by append order', () => {
    const h = store();
    h.open(now);
    const a = run();
    const b = run();
    const c = run();
    const tie = run({ started_at: b.started_at });
    h.append(b);
    h.append(c);
    h.append(a); // arrives late but started first
    h.append(tie);
    const { data, total } = h.list(SCHED, all);
    expect(total).toBe(4);
    expect(ids(data)).toEqual([c.id, tie.id, b.id, a.id]);
    expect(h.list('sched_unknown', all)).toEqual({ data: [], total: 0 });
  });

  it('lets a later record of the same run supersede the earlier one', () => {
    const h = store();
    h.open(now);
    const started = run({ status: 'running', finished_at: null, exit_code: null, duration: null });
    h.append(started);
    const finished: Run = { ...started, status: 'success', finished_at: started.started_at };
    h.append(finished);
    h.append({ ...finished, exit_code: 0, duration: 5000, stdout: 'done\n', stderr: 'warn\n' });
    const { data, total } = h.list(SCHED, all);
    expect(total).toBe(1);
    expect(data[0]).toMatchObject({
      id: started.id,
      status: 'success',
      exit_code: 0,
      duration: 5000,
      stdout: 'done\n',
      stderr: 'warn\n',
    });
  });

  it('filters by since and status, pages by limit and offset, and totals after filtering', () => {
    const h = store();
    h.open(now);
    const runs = Array.from({ length: 10 }, (_, i) =>
      run({ status: i % 2 === 0 ? 'success' : 'failure', exit_code: i % 2 }),
    );
    for (const r of runs) h.append(r);
    const newestFirst = ids(runs).reverse();

    expect(h.list(SCHED, { limit: 3, offset: 0 })).toMatchObject({ total: 10 });
    expect(ids(h.list(SCHED, { limit: 3, offset: 0 }).data)).toEqual(newestFirst.slice(0, 3));
    expect(ids(h.list(SCHED, { limit: 3, offset: 8 }).data)).toEqual(newestFirst.slice(8));
    expect(h.list(SCHED, { limit: 3, offset: 20 })).toEqual({ data: [], total: 10 });

    const since = Date.parse((runs[6] as Run).started_at); // at or after: run 6 is included
    const recent = h.list(SCHED, { since, limit: 2, offset: 1 });
    expect(recent.total).toBe(4);
    expect(ids(recent.data)).toEqual(['run_8', 'run_7']);

    const failures = h.list(SCHED, { status: 'failure', limit: 2, offset: 0 });
    expect(failures.total).toBe(5);
    expect(ids(failures.data)).toEqual(['run_9', 'run_7']);

    const both = h.list(SCHED, { since, status: 'success', limit: 10, offset: 0 });
    expect(ids(both.data)).toEqual(['run_8', 'run_6']);
    expect(both.total).toBe(2);
  });

  it('reads back from disk exactly what it listed', () => {
    const h = store();
    h.open(now);
    for (let i = 0; i < 5; i++) h.append(run({ stdout: `out ${i}\n`, stderr: i ? '' : 'err' }));
    h.append(run({ schedule_id: 'sched_b', status: 'skipped' }));
    const before = h.list(SCHED, all);

    const reopened = store();
    expect(reopened.open(now)).toEqual([]);
    expect(reopened.list(SCHED, all)).toEqual(before);
    expect(ids(reopened.list('sched_b', all).data)).toEqual(['run_5']);
    expect(reopened.getByCommand('cmd_2')).toEqual(before.data[2]);
    expect(warnings).toEqual([]);
  });

  it('turns runs left running into interrupted ones, by appending, once', () => {
    const h = store();
    h.open(now);
    const stuck = run({
      status: 'running',
      finished_at: null,
      exit_code: null,
      duration: null,
      stdout: 'partial',
    });
    const startedMs = Date.parse(stuck.started_at);
    const aliveAt = startedMs + 90_000;
    // Started after the last alive stamp: the stamp is stale, so its start is used.
    const early = run({
      status: 'running',
      started_at: formatTimestamp(startedMs + 5 * MIN),
      finished_at: null,
      exit_code: null,
      duration: null,
    });
    h.append(stuck);
    h.append(early);
    h.append(run());
    const linesBefore = lineCount();

    const found = store().open(aliveAt);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({
      id: stuck.id,
      status: 'interrupted',
      finished_at: formatTimestamp(aliveAt),
      duration: 90_000,
      exit_code: null,
      stdout: 'partial',
    });
    expect(lineCount()).toBe(linesBefore + 2);

    const again = store();
    expect(again.open(aliveAt + DAY)).toEqual([]);
    expect(lineCount()).toBe(linesBefore + 2);
    const listed = again.list(SCHED, all);
    expect(listed.total).toBe(3);
    expect(again.getByCommand(stuck.command_id)).toEqual(found[0]);
    expect(again.getByCommand(early.command_id)).toMatchObject({
      status: 'interrupted',
      finished_at: early.started_at,
      duration: 0,
    });
  });

  it('skips a torn last line with a warning and keeps the next append readable', () => {
    const h = store();
    h.open(now);
    h.append(run());
    h.append(run());
    const whole = JSON.stringify({ ...run(), has_output: false });
    appendFileSync(logFile(), whole.slice(0, whole.length / 2)); // killed mid-write

    const after = store();
    after.open(now);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/torn/);
    expect(ids(after.list(SCHED, all).data)).toEqual(['run_1', 'run_0']);

    after.append(run({ stdout: 'fine' }));
    expect(ids(after.list(SCHED, all).data)).toEqual(['run_3', 'run_1', 'run_0']);

    warnings = [];
    const third = store();
    third.open(now);
    expect(third.list(SCHED, all).data.map((r) => [r.id, r.stdout])).toEqual([
      ['run_3', 'fine'],
      ['run_1', ''],
      ['run_0', ''],
    ]);
    // The torn piece is now a whole bad line: still skipped, still reported, never fatal.
    expect(warnings).toEqual([expect.stringMatching(/1 unreadable record/)]);
  });

  it('skips unparseable and malformed lines with one warning', () => {
    const h = store();
    h.open(now);
    h.append(run());
    appendFileSync(logFile(), 'not json\n{"id":"run_x"}\n[1,2]\nnull\n');
    h.append(run());
    const reopened = store();
    reopened.open(now);
    expect(ids(reopened.list(SCHED, all).data)).toEqual(['run_1', 'run_0']);
    expect(warnings).toEqual([expect.stringMatching(/4 unreadable record\(s\), first at line 2/)]);
  });

  it('keeps the newest max_runs runs and compacts the disk later, not on every append', () => {
    retention = { max_runs: 5, max_age_days: 90 };
    const h = store({ manualSchedule: true });
    h.open(now);
    const runs = Array.from({ length: 20 }, (_, i) => run({ stdout: `out ${i}` }));
    // Waste below a quarter of the kept runs plus 10 lines is tolerated: no rewrite queued.
    for (const r of runs.slice(0, 16)) h.append(r);
    expect(deferred).toHaveLength(0);
    for (const r of runs.slice(16)) h.append(r);

    const { data, total } = h.list(SCHED, all);
    expect(total).toBe(5);
    expect(ids(data)).toEqual(ids(runs.slice(15)).reverse());
    expect(data.map((r) => r.stdout)).toEqual(['out 19', 'out 18', 'out 17', 'out 16', 'out 15']);
    expect(h.getByCommand('cmd_0')).toBeUndefined();
    // Deferred and coalesced: nothing rewritten yet, and only one compaction queued.
    expect(deferred).toHaveLength(1);
    expect(lineCount()).toBe(20);

    (deferred.shift() as () => void)();
    expect(lineCount()).toBeLessThanOrEqual(5 * 1.25 + 10);
    expect(outputFiles()).toEqual(
      ids(runs.slice(15))
        .map((id) => `${id}.json`)
        .sort(),
    );

    const reopened = store();
    reopened.open(now);
    expect(reopened.list(SCHED, all)).toEqual(h.list(SCHED, all));
    expect(warnings).toEqual([]);
  });

  it('compacts through setImmediate by default, and flush() waits for it', async () => {
    retention = { max_runs: 5, max_age_days: 90 };
    const h = store();
    h.open(now);
    for (let i = 0; i < 40; i++) h.append(run({ stdout: `out ${i}` }));
    await h.flush();
    expect(lineCount()).toBeLessThanOrEqual(5 * 1.25 + 10);
    expect(outputFiles()).toHaveLength(5);
    await new Promise((resolve) => setImmediate(resolve)); // the queued callback is now a no-op
    expect(ids(h.list(SCHED, all).data)).toEqual([
      'run_39',
      'run_38',
      'run_37',
      'run_36',
      'run_35',
    ]);
  });

  it('never drops a running run to make room', () => {
    retention = { max_runs: 3, max_age_days: 1 };
    const h = store();
    h.open(now);
    const live = run({ status: 'running', finished_at: null, exit_code: null, duration: null });
    h.append(live);
    for (let i = 0; i < 6; i++) h.append(run());
    now += 10 * DAY; // and not for age either
    expect(ids(h.list(SCHED, all).data)).toEqual([live.id]);
    h.append({ ...live, status: 'success' });
    expect(h.list(SCHED, all).total).toBe(0); // once finished, it ages out like any other
  });

  it('drops runs older than max_age_days, in memory at once and on disk after flush', async () => {
    retention = { max_runs: 1000, max_age_days: 90 };
    now = T0 + 100 * DAY;
    const h = store({ manualSchedule: true });
    h.open(now);
    const old = [
      run({ started_at: formatTimestamp(now - 120 * DAY), stdout: 'old' }),
      run({ started_at: formatTimestamp(now - 95 * DAY), stdout: 'old' }),
    ];
    const fresh = [
      run({ started_at: formatTimestamp(now - 80 * DAY), stdout: 'fresh' }),
      run({ started_at: formatTimestamp(now - 1 * DAY), stdout: 'fresh' }),
    ];
    for (const r of [...old, ...fresh]) h.append(r);
    expect(ids(h.list(SCHED, all).data)).toEqual([fresh[1]?.id, fresh[0]?.id]);

    // Time passes with no appends: reads still never show a run past its age.
    now += 15 * DAY;
    expect(ids(h.list(SCHED, all).data)).toEqual([fresh[1]?.id]);
    expect(h.lastFinished(SCHED)?.id).toBe(fresh[1]?.id);

    expect(deferred.length).toBeGreaterThan(0);
    await h.flush();
    expect(lineCount()).toBe(1);
    expect(outputFiles()).toEqual([`${fresh[1]?.id}.json`]);
  });

  it('deletes a schedule with its files and leaves others alone', () => {
    const h = store();
    h.open(now);
    h.append(run({ stdout: 'a' }));
    h.append(run({ schedule_id: 'sched_b', stdout: 'b' }));
    h.deleteSchedule(SCHED);
    expect(existsSync(logFile())).toBe(false);
    expect(existsSync(join(dir, SCHED))).toBe(false);
    expect(h.list(SCHED, all)).toEqual({ data: [], total: 0 });
    expect(h.getByCommand('cmd_0')).toBeUndefined();
    expect(h.list('sched_b', all).data[0]?.stdout).toBe('b');

    const reopened = store();
    reopened.open(now);
    expect(reopened.list(SCHED, all).total).toBe(0);
    expect(reopened.list('sched_b', all).total).toBe(1);
    h.deleteSchedule('sched_never_existed'); // no-op
  });

  it('finds a run by its command id, with its output', () => {
    const h = store();
    h.open(now);
    h.append(run({ command_id: 'cmd_manual', trigger: 'manual', stdout: 'hello\n' }));
    h.append(run());
    expect(h.getByCommand('cmd_manual')).toMatchObject({
      id: 'run_0',
      trigger: 'manual',
      stdout: 'hello\n',
    });
    expect(h.getByCommand('cmd_nope')).toBeUndefined();
  });

  it('lastFinished ignores running and skipped runs', () => {
    const h = store();
    h.open(now);
    expect(h.lastFinished(SCHED)).toBeUndefined();
    h.append(run({ status: 'failure', exit_code: 2, stdout: 'boom' }));
    h.append(run({ status: 'skipped', exit_code: null }));
    h.append(run({ status: 'running', finished_at: null, exit_code: null, duration: null }));
    expect(h.lastFinished(SCHED)).toMatchObject({ id: 'run_0', exit_code: 2, stdout: 'boom' });
    expect(h.lastFinishedMeta(SCHED)).toMatchObject({ id: 'run_0', status: 'failure' });
    expect(h.lastFinishedMeta(SCHED)).not.toHaveProperty('stdout');
  });

  it('drops the earlier output when the newest record of a run has none', () => {
    const h = store();
    h.open(now);
    const r = run({ stdout: 'draft' });
    h.append(r);
    h.append({ ...r, stdout: '', status: 'cancelled' });
    expect(h.getByCommand(r.command_id)).toMatchObject({ status: 'cancelled', stdout: '' });
    expect(outputFiles()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('rejects ids that could escape the directory', () => {
    const h = store();
    h.open(now);
    expect(() => h.append(run({ schedule_id: '../evil' }))).toThrow(/unsafe/);
    expect(() => h.append(run({ id: 'run/../../x' }))).toThrow(/unsafe/);
  });

  it('takes 10,000 appends in stride', async () => {
    const h = store();
    h.open(now);
    for (let i = 0; i < 10_000; i++) h.append(run());
    const { data, total } = h.list(SCHED, { limit: 1, offset: 0 });
    expect(total).toBe(1000);
    expect(data[0]?.id).toBe('run_9999');
    await h.flush();
    expect(lineCount()).toBeLessThanOrEqual(1000 * 1.25 + 10);
  });

  it('reads only the output of the page it returns', () => {
    const h = store();
    h.open(now);
    const big = (i: number) => `${i}:`.padEnd(200 * 1024, String.fromCharCode(97 + (i % 26)));
    for (let i = 0; i < 60; i++) h.append(run({ stdout: big(i), stderr: `e${i}` }));
    // The log holds metadata only.
    expect(statSync(logFile()).size).toBeLessThan(60 * 1024);
    // Remove every output outside the page: reading any of them would log a warning.
    const page = new Set(Array.from({ length: 20 }, (_, k) => `run_${39 - k}.json`));
    for (const name of outputFiles()) if (!page.has(name)) unlinkSync(join(dir, SCHED, name));

    const { data, total } = h.list(SCHED, { limit: 20, offset: 20 });
    expect(total).toBe(60);
    expect(ids(data)).toEqual(Array.from({ length: 20 }, (_, k) => `run_${39 - k}`));
    data.forEach((r, k) => {
      expect(r.stdout === big(39 - k)).toBe(true); // not toEqual: a 200 KiB diff is unreadable
      expect(r.stderr).toBe(`e${39 - k}`);
    });
    expect(warnings).toEqual([]);
  });
});
