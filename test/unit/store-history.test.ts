// HistoryStore where the disk or the app misbehaves: a log the disk refuses (kept in memory,
// in order, written when it can), an unreadable history folder or log, runs left running
// (with their process groups) across a restart, the retention rules' edge values, the age
// grace before a rewrite, and the sweep of output orphaned by a crash. Real files in a temp
// dir; time is a fake clock and deferred compaction is run by hand unless said otherwise.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, type Retention } from '../../src/core/history';
import type { Logger } from '../../src/core/log';
import { StorageHealth } from '../../src/core/storage-health';
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
let errors: string[];
let deferred: (() => void)[];
let counter: number;

const log: Logger = {
  info() {},
  warn: (m) => void warnings.push(m),
  error: (m) => void errors.push(m),
};
const clock = { now: () => now };

function store(opts: { health?: StorageHealth; realDefer?: boolean; at?: string } = {}) {
  return new HistoryStore({
    dir: opts.at ?? dir,
    clock,
    log,
    retention: () => retention,
    schedule: opts.realDefer ? undefined : (fn) => void deferred.push(fn),
    health: opts.health,
  });
}

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

const running = (overrides: Partial<Run> = {}) =>
  run({ status: 'running', finished_at: null, exit_code: null, duration: null, ...overrides });
const all = { limit: 100, offset: 0 };
const logFile = (schedule = SCHED) => join(dir, `${schedule}.jsonl`);
const logText = () => readFileSync(logFile(), 'utf8');
const lineCount = () => logText().split('\n').filter(Boolean).length;
const ids = (runs: { id: string }[]) => runs.map((r) => r.id);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-history-store-'));
  now = T0 + DAY;
  retention = { max_runs: 1000, max_age_days: 90 };
  warnings = [];
  errors = [];
  deferred = [];
  counter = 0;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a disk that refuses the history', () => {
  it('keeps runs in memory, in order, says so once, and writes them when it can', () => {
    const health = new StorageHealth(clock, log);
    const h = store({ health });
    h.open(now);
    const first = run({ stdout: 'one\n' });
    h.append(first);
    // The log's place is taken: appends fail with an errno error.
    rmSync(logFile());
    mkdirSync(logFile());
    const a = running({ stdout: 'partial\n' });
    h.append(a);
    const b = run({ stderr: 'bad\n', status: 'failure', exit_code: 1 });
    h.append(b);
    const aDone = { ...a, status: 'success' as const, finished_at: a.started_at, duration: 0 };
    h.append(aDone);
    expect(h.unwrittenCount).toBe(3);
    expect(health.status().ok).toBe(false);
    expect(health.status().problem?.scope).toBe('history');
    expect(errors).toHaveLength(1);
    // Reads show them, output too, while they wait.
    expect(ids(h.list(SCHED, all).data)).toEqual([b.id, a.id, first.id]);
    expect(h.getByCommand(a.command_id)).toMatchObject({ status: 'success', stdout: 'partial\n' });
    expect(h.getByCommand(b.command_id)?.stderr).toBe('bad\n');

    // Still refused: nothing changes.
    h.retryUnwritten();
    expect(h.unwrittenCount).toBe(3);

    rmSync(logFile(), { recursive: true });
    h.retryUnwritten();
    expect(h.unwrittenCount).toBe(0);
    expect(health.status().ok).toBe(true);
    // Nothing waits: a retry does nothing.
    h.retryUnwritten();

    const again = store();
    again.open(now);
    const list = again.list(SCHED, all).data;
    expect(ids(list)).toEqual([b.id, a.id]);
    expect(list[1]).toMatchObject({ status: 'success', stdout: 'partial\n' });
    expect(list[0]?.stderr).toBe('bad\n');
  });

  it('catches up at the next append once the disk takes writes again', () => {
    const health = new StorageHealth(clock, log);
    const h = store({ health });
    h.open(now);
    h.append(run());
    rmSync(logFile());
    mkdirSync(logFile());
    const a = run();
    h.append(a);
    expect(h.unwrittenCount).toBe(1);
    rmSync(logFile(), { recursive: true });
    const b = run();
    h.append(b);
    expect(h.unwrittenCount).toBe(0);
    expect(health.status().ok).toBe(true);
    // In order, each line whole.
    expect(
      logText()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).id),
    ).toEqual([a.id, b.id]);
  });

  it('clears the problem when a plain append works again', () => {
    const health = new StorageHealth(clock, log);
    health.failed('history', dir, Object.assign(new Error('full'), { code: 'ENOSPC' }));
    const h = store({ health });
    h.open(now);
    h.append(run());
    expect(health.status().ok).toBe(true);
  });

  it('an unusable history folder is an empty history, reported', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const health = new StorageHealth(clock, log);
    const h = store({ health, at: join(file, 'history') });
    expect(h.open(now)).toEqual([]);
    expect(health.status().ok).toBe(false);
    expect(health.status().problem?.scope).toBe('history');
    expect(h.list(SCHED, all)).toEqual({ data: [], total: 0 });
  });

  it('moves a log that cannot be read out of the way and starts it afresh', () => {
    mkdirSync(logFile());
    const h = store();
    h.open(now);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`history: ${logFile()} could not be read (EISDIR); moved it to`);
    expect(readdirSync(dir).some((n) => n.startsWith(`${SCHED}.jsonl.unreadable-`))).toBe(true);
    h.append(run());
    expect(lineCount()).toBe(1);
  });

  it('writes lines whole: no blank line between appends', () => {
    const h = store();
    h.open(now);
    for (let i = 0; i < 3; i++) h.append(run());
    expect(logText()).not.toContain('\n\n');
    expect(logText().startsWith('{')).toBe(true);
  });
});

describe('runs left running', () => {
  it('are interrupted at open, keeping their output and adding the note', () => {
    const h = store();
    h.open(now);
    const a = running({ stdout: 'so far\n', stderr: 'warn\n' });
    const b = running();
    h.append(a);
    h.append(b);
    const again = store();
    const end = T0 + 10 * MIN;
    const out = again.open(end, { note: 'the app stopped' });
    expect(out.map((r) => [r.id, r.status, r.finished_at, r.duration])).toEqual([
      [a.id, 'interrupted', formatTimestamp(end), end - Date.parse(a.started_at)],
      [b.id, 'interrupted', formatTimestamp(end), end - Date.parse(b.started_at)],
    ]);
    expect(out[0]).toMatchObject({
      stdout: 'so far\n',
      stderr: 'warn\ncmdop-scheduler: the app stopped\n',
    });
    expect(out[1]).toMatchObject({ stdout: '', stderr: 'cmdop-scheduler: the app stopped\n' });
    expect(again.getByCommand(a.command_id)?.stderr).toBe(
      'warn\ncmdop-scheduler: the app stopped\n',
    );
  });

  it('without a note keep their output as it was', () => {
    const h = store();
    h.open(now);
    const a = running({ stderr: 'warn\n' });
    h.append(a);
    const out = store().open(now);
    expect(out[0]?.stderr).toBe('warn\n');
  });

  it('end at their start when the alive stamp is older, or not a time', () => {
    const h = store();
    h.open(now);
    const a = running();
    h.append(a);
    const started = Date.parse(a.started_at);
    for (const end of [started - 1, Number.NaN]) {
      const r = h.interrupt(a, end, '');
      expect(r.finished_at).toBe(a.started_at);
      expect(r.duration).toBe(0);
    }
    expect(h.interrupt(a, started + 5, '').duration).toBe(5);
  });

  it('a run not in the history is interrupted without output', () => {
    const h = store();
    h.open(now);
    const r = h.interrupt(running({ schedule_id: 'sched_b' }), now, 'gone');
    expect(r).toMatchObject({ stdout: '', stderr: 'cmdop-scheduler: gone\n' });
  });

  it('stay running with their process group when the caller claims them', () => {
    const h = store();
    h.open(now);
    const group = { pgid: 4242, start: '12345' };
    const a = running();
    const b = running();
    h.append(a, group);
    h.append(b);
    expect(h.groupOf(a.command_id)).toEqual(group);
    expect(h.groupOf(b.command_id)).toBeNull();
    expect(h.groupOf('cmd_unknown')).toBeNull();

    const again = store();
    const seen: [string, unknown][] = [];
    const out = again.open(now, {
      keepRunning: (meta, g) => {
        seen.push([meta.id, g]);
        return g !== null;
      },
    });
    expect(seen).toEqual([
      [a.id, group],
      [b.id, null],
    ]);
    expect(ids(out)).toEqual([b.id]);
    expect(again.stillRunning()).toEqual([
      { run: expect.objectContaining({ id: a.id, status: 'running' }), group },
    ]);
    expect(again.groupOf(a.command_id)).toEqual(group);

    // Ended: no group any more.
    again.append({ ...a, status: 'success', finished_at: a.started_at, duration: 0 });
    expect(again.groupOf(a.command_id)).toBeNull();
    expect(again.stillRunning()).toEqual([]);
  });

  it('keep their process group through a compaction', () => {
    retention = { max_runs: 2, max_age_days: 90 };
    const h = store();
    h.open(now);
    const group = { pgid: 77, start: null };
    const a = running();
    h.append(a, group);
    for (let i = 0; i < 20; i++) h.append(run());
    for (const fn of deferred.splice(0)) fn();
    expect(lineCount()).toBeLessThan(21);
    const again = store();
    let kept: unknown = null;
    again.open(now, { keepRunning: (_, g) => ((kept = g), true) });
    expect(kept).toEqual(group);
  });
});

describe('reading', () => {
  it('scanRuns visits newest first and stops when told', () => {
    const h = store();
    h.open(now);
    const runs = [run(), run(), run()];
    for (const r of runs) h.append(r);
    const seen: string[] = [];
    h.scanRuns(SCHED, (e) => {
      seen.push(e.id);
      return seen.length < 2;
    });
    expect(seen).toEqual([runs[2]!.id, runs[1]!.id]);
    const every: string[] = [];
    h.scanRuns(SCHED, (e) => (every.push(e.id), true));
    expect(every).toEqual(ids(runs).reverse());
    h.scanRuns('sched_none', () => {
      throw new Error('nothing to visit');
    });
  });

  it('lastFinishedMeta of a schedule without runs is undefined', () => {
    const h = store();
    h.open(now);
    expect(h.lastFinishedMeta('sched_none')).toBeUndefined();
    const r = run();
    h.append(r);
    expect(h.lastFinishedMeta(SCHED)?.id).toBe(r.id);
  });

  it('reads back output that is only stdout or only stderr', () => {
    const h = store();
    h.open(now);
    const a = run({ stdout: 'out\n' });
    const b = run({ stderr: 'err\n' });
    h.append(a);
    h.append(b);
    const again = store();
    again.open(now);
    expect(again.getByCommand(a.command_id)).toMatchObject({ stdout: 'out\n', stderr: '' });
    expect(again.getByCommand(b.command_id)).toMatchObject({ stdout: '', stderr: 'err\n' });
  });

  it('refuses a run whose start is not a time, naming it', () => {
    const h = store();
    h.open(now);
    expect(() => h.append(run({ id: 'run_bad', started_at: 'yesterday' }))).toThrow(
      "history: run run_bad has a bad started_at 'yesterday'",
    );
    expect(h.list(SCHED, all).total).toBe(0);
  });
});

describe('retention edge values', () => {
  const keep = (r: Retention, runs: number) => {
    retention = r;
    const h = store();
    h.open(now);
    for (let i = 0; i < runs; i++) h.append(run());
    return h.list(SCHED, all).total;
  };

  it('max_runs below 1 means the default; a fraction is rounded down; 1 keeps one', () => {
    expect(keep({ max_runs: 0, max_age_days: 90 }, 3)).toBe(3);
    expect(keep({ max_runs: 2.5, max_age_days: 90 }, 3)).toBe(2);
    expect(keep({ max_runs: 1, max_age_days: 90 }, 3)).toBe(1);
  });

  it('max_age_days of 0 means the default, not "keep nothing"', () => {
    now = T0 + 30 * DAY;
    expect(keep({ max_runs: 1000, max_age_days: 0 }, 2)).toBe(2);
  });

  it('lets aged-out runs linger on disk a day before they alone force a rewrite', () => {
    retention = { max_runs: 1000, max_age_days: 1 };
    const h = store();
    h.open(now);
    const old = run();
    h.append(old);
    h.append(run({ started_at: formatTimestamp(T0 + 2 * DAY) }));
    expect(deferred).toEqual([]);
    now = T0 + 2 * DAY - 1; // the old run is past its age, but not by a day
    expect(h.list(SCHED, all).total).toBe(1);
    expect(deferred).toEqual([]);
    expect(lineCount()).toBe(2);
    now = T0 + 3 * DAY + 1;
    h.list(SCHED, all);
    expect(deferred).toHaveLength(1);
    for (const fn of deferred.splice(0)) fn();
    expect(lineCount()).toBe(1);
  });
});

describe('compaction', () => {
  it('runs off the hot path by itself (setImmediate) by default', async () => {
    retention = { max_runs: 2, max_age_days: 90 };
    const h = store({ realDefer: true });
    h.open(now);
    for (let i = 0; i < 20; i++) h.append(run());
    const before = lineCount();
    await new Promise((r) => setImmediate(r));
    expect(lineCount()).toBeLessThan(before);
    expect(lineCount()).toBeLessThanOrEqual(3);
  });

  it('does nothing for a schedule deleted while it waited', () => {
    retention = { max_runs: 2, max_age_days: 90 };
    const h = store();
    h.open(now);
    for (let i = 0; i < 20; i++) h.append(run());
    expect(deferred.length).toBeGreaterThan(0);
    h.deleteSchedule(SCHED);
    for (const fn of deferred.splice(0)) fn();
    expect(existsSync(logFile())).toBe(false);
  });

  it('sweeps output a crash left for a run whose record has none', async () => {
    retention = { max_runs: 2, max_age_days: 90 };
    const h = store();
    h.open(now);
    const a = run();
    h.append(a);
    mkdirSync(join(dir, SCHED), { recursive: true });
    writeFileSync(join(dir, SCHED, `${a.id}.json`), JSON.stringify({ stdout: 'x', stderr: '' }));
    h.append(run({ stdout: 'kept\n' }));
    for (let i = 0; i < 15; i++) h.append(run({ started_at: a.started_at }));
    await h.flush();
    expect(existsSync(join(dir, SCHED, `${a.id}.json`))).toBe(false);
  });
});
