// The decision log without a server: the recorder turning the engine's verdicts into entries
// (spans of alike refusals, missed fires, a disabled spell), its file per schedule in a temp
// dir (read back by a new store, retention, unreadable lines, a refusing disk) and the
// queries the API answers. Time is a fake clock; the span flush is a fake timer fired by hand.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionQueries } from '../../src/core/decisions/query';
import { DecisionLog, newDecision } from '../../src/core/decisions/recorder';
import { DECISIONS_DIR, DecisionStore, SPAN_FLUSH_MS } from '../../src/core/decisions/store';
import type { FireDecision } from '../../src/core/fire-decisions';
import type { Logger } from '../../src/core/log';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import type { Timers } from '../../src/core/timers';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { Decision } from '../../src/shared/decisions-api';
import { ApiError } from '../../src/shared/errors';
import { storedSchedule } from '../helpers/stored-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-06-01T10:00:00Z');

let dir: string;
let now: number;
let lines: { level: string; message: string }[];
let pending: { fn: () => void; ms: number; handle: object }[];
let retention: { max_runs: number; max_age_days: number };
let schedules: Map<string, StoredSchedule>;
let changed: string[];

const log: Logger = {
  info: (message) => void lines.push({ level: 'info', message }),
  warn: (message) => void lines.push({ level: 'warn', message }),
  error: (message) => void lines.push({ level: 'error', message }),
};
const timers: Timers = {
  setTimeout(fn, ms) {
    const handle = {};
    pending.push({ fn, ms, handle });
    return handle;
  },
  clearTimeout(handle) {
    pending = pending.filter((p) => p.handle !== handle);
  },
};
const fire = () => {
  const due = pending;
  pending = [];
  for (const p of due) p.fn();
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-decisions-'));
  now = T0;
  lines = [];
  pending = [];
  retention = { max_runs: 1000, max_age_days: 90 };
  schedules = new Map();
  changed = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function schedule(id: string, extra: Partial<StoredSchedule> = {}): StoredSchedule {
  const s = storedSchedule(id, { command: 'true', cron: '*/10 * * * *', ...extra });
  schedules.set(id, s);
  return s;
}

const options = () => ({
  dataDir: dir,
  clock: { now: () => now },
  timers,
  log,
  retention: () => retention,
});
const store = () => new DecisionStore(options());
const recorder = () =>
  new DecisionLog({
    ...options(),
    schedule: (id) => schedules.get(id),
    onLastChanged: (id) => void changed.push(id),
  });
const file = (id: string) => join(dir, DECISIONS_DIR, `${id}.jsonl`);
const fileLines = (id: string) =>
  readFileSync(file(id), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Decision);

const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

function verdict(fields: Partial<FireDecision> = {}): FireDecision {
  return {
    schedule_id: 'sched_a',
    scheduled_for: iso(T0),
    trigger: 'schedule',
    attempt: 1,
    attempts: 1,
    at: iso(T0),
    outcome: 'run',
    reason: null,
    message: '',
    run_id: 'run_1',
    command_id: 'cmd_1',
    ...fields,
  };
}

function decision(at: number, fields: Partial<Decision> = {}): Decision {
  return newDecision({ id: 'sched_a', catch_up: false }, at, {
    kind: 'ran',
    ran: true,
    ...fields,
  });
}

describe('the file of each schedule', () => {
  it('appends each decision as a line, read back by the next owner', () => {
    const a = store();
    const d1 = decision(T0);
    const d2 = decision(T0 + MIN);
    a.add(d1);
    a.add(d2);
    expect(fileLines('sched_a')).toEqual([d1, d2]);
    const b = store();
    expect(b.entries('sched_a')).toEqual([d1, d2]);
    expect(b.last('sched_a')).toEqual(d2);
    expect(b.last('sched_none')).toBeNull();
    expect(lines).toEqual([]);
  });

  it('writes nothing for an id that is not a safe file name', () => {
    const a = store();
    a.add({ ...decision(T0), schedule_id: '../evil' });
    expect(existsSync(join(dir, DECISIONS_DIR))).toBe(false);
    expect(a.entries('../evil')).toEqual([]);
    a.remove('../evil');
  });

  it('writes a growing span at most once a minute, and its newest version when closed', () => {
    const a = store();
    const d = decision(T0, { kind: 'skipped_paused', ran: false, count: 1 });
    a.add(d);
    d.count = 2;
    a.grew(d);
    d.count = 3;
    a.grew(d);
    expect(pending.map((p) => p.ms)).toEqual([SPAN_FLUSH_MS]);
    expect(fileLines('sched_a').map((x) => x.count)).toEqual([1]);
    fire();
    expect(fileLines('sched_a').map((x) => x.count)).toEqual([1, 3]);
    // Nothing new: the next flush writes nothing.
    fire();
    a.flush();
    expect(fileLines('sched_a')).toHaveLength(2);
    d.count = 4;
    a.grew(d);
    a.close();
    expect(pending).toEqual([]);
    expect(fileLines('sched_a').map((x) => x.count)).toEqual([1, 3, 4]);
    // Read back: one entry, its last version.
    expect(
      store()
        .entries('sched_a')
        .map((x) => x.count),
    ).toEqual([4]);
  });

  it('writes a grown span after a newer decision, read back in its first place', () => {
    const a = store();
    const d = decision(T0, { kind: 'skipped_paused', ran: false });
    a.add(d);
    a.grew(d);
    const next = decision(T0 + MIN);
    a.add(next);
    a.close();
    expect(fileLines('sched_a').map((x) => x.id)).toEqual([d.id, next.id, d.id]);
    expect(
      store()
        .entries('sched_a')
        .map((x) => x.id),
    ).toEqual([d.id, next.id]);
  });

  it('forgets a grown span of a schedule that was removed', () => {
    const a = store();
    const d = decision(T0, { kind: 'skipped_paused', ran: false });
    a.add(d);
    a.grew(d);
    a.remove('sched_a');
    a.close();
    expect(existsSync(file('sched_a'))).toBe(false);
    expect(a.entries('sched_a')).toEqual([]);
  });

  it('keeps the newest max_runs decisions, and rewrites the file at twice that', () => {
    retention = { max_runs: 2, max_age_days: 90 };
    const a = store();
    const ds = [0, 1, 2, 3, 4].map((i) => decision(T0 + i * MIN));
    for (const d of ds.slice(0, 4)) a.add(d);
    expect(a.entries('sched_a')).toEqual(ds.slice(2, 4));
    expect(fileLines('sched_a')).toEqual(ds.slice(0, 4));
    a.add(ds[4]!);
    expect(fileLines('sched_a')).toEqual(ds.slice(3, 5));
    expect(store().entries('sched_a')).toEqual(ds.slice(3, 5));
  });

  it('drops decisions older than max_age_days, when written and when read', () => {
    retention = { max_runs: 1000, max_age_days: 1 };
    const a = store();
    const old = decision(T0 - 25 * HOUR);
    const edge = decision(T0 - 24 * HOUR);
    a.add(old);
    a.add(edge);
    expect(a.entries('sched_a')).toEqual([edge]);
    now = T0 + 1;
    expect(store().entries('sched_a')).toEqual([]);
  });

  it('skips lines it cannot read, saying how many once', () => {
    const good = decision(T0);
    const other = { ...decision(T0 + MIN), schedule_id: 'sched_b' };
    mkdirSync(join(dir, DECISIONS_DIR));
    writeFileSync(
      file('sched_a'),
      `${JSON.stringify(good)}\n{ half\n\n${JSON.stringify({ id: 1 })}\n${JSON.stringify(other)}\n`,
    );
    expect(store().entries('sched_a')).toEqual([good]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: `decision log of sched_a: 3 unreadable lines were skipped (${file('sched_a')})`,
      },
    ]);
    lines = [];
    writeFileSync(file('sched_a'), `${JSON.stringify(good)}\nnot json\n`);
    expect(store().entries('sched_a')).toEqual([good]);
    expect(lines.map((l) => l.message)).toEqual([
      `decision log of sched_a: 1 unreadable line was skipped (${file('sched_a')})`,
    ]);
  });

  it('counts the lines it read, so a file of versions is rewritten in time', () => {
    retention = { max_runs: 2, max_age_days: 90 };
    const d = decision(T0, { kind: 'skipped_paused', ran: false });
    mkdirSync(join(dir, DECISIONS_DIR));
    writeFileSync(file('sched_a'), `${JSON.stringify(d)}\n`.repeat(4));
    const a = store();
    a.add(decision(T0 + MIN));
    expect(fileLines('sched_a')).toHaveLength(2);
  });

  it('says when a file cannot be read, and carries on with none', () => {
    mkdirSync(file('sched_a'), { recursive: true });
    expect(store().entries('sched_a')).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toMatch(/^decision log of sched_a cannot be read: .*EISDIR/);
  });

  it('keeps decisions in memory while the disk refuses, says so once, and catches up after', () => {
    writeFileSync(join(dir, DECISIONS_DIR), 'in the way');
    const a = store();
    const d1 = decision(T0);
    const d2 = decision(T0 + MIN);
    a.add(d1);
    a.add(d2);
    expect(a.entries('sched_a')).toEqual([d1, d2]);
    lines = lines.filter((l) => !l.message.includes('cannot be read'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('warn');
    expect(lines[0]!.message).toMatch(
      /^the decision log cannot be written \(.+\); decisions are kept in memory until it can$/,
    );
    rmSync(join(dir, DECISIONS_DIR));
    mkdirSync(join(dir, DECISIONS_DIR));
    const d3 = decision(T0 + 2 * MIN);
    a.add(d3);
    expect(lines.at(-1)).toEqual({
      level: 'info',
      message: 'the decision log can be written again',
    });
    // Rewritten whole: the refused ones are on disk too.
    expect(fileLines('sched_a')).toEqual([d1, d2, d3]);
    a.add(decision(T0 + 3 * MIN));
    expect(lines).toHaveLength(2);
    expect(fileLines('sched_a')).toHaveLength(4);
  });

  it('makes the folder private', () => {
    store().add(decision(T0));
    expect(statSync(join(dir, DECISIONS_DIR)).mode & 0o777).toBe(0o700);
    expect(statSync(file('sched_a')).mode & 0o777).toBe(0o600);
  });
});

describe('recording the verdicts', () => {
  it('records what ran, with its run and command, and tells the row', () => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict());
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'ran',
        ran: true,
        scheduled_for: iso(T0),
        last_scheduled_for: iso(T0),
        count: 1,
        run_id: 'run_1',
        command_id: 'cmd_1',
        attempt: null,
        attempts: null,
        reason: null,
        asked: null,
        used: null,
        decided_at: iso(T0),
      }),
    ]);
    expect(r.last('sched_a')).toEqual({
      kind: 'ran',
      ran: true,
      scheduled_for: iso(T0),
      last_scheduled_for: iso(T0),
      reason: null,
      count: 1,
      message: '',
    });
    expect(changed).toEqual(['sched_a']);
    expect(r.last('sched_b')).toBeNull();
  });

  it('leaves out manual runs, fires without an instant and unknown schedules', () => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict({ trigger: 'manual' }));
    r.record(verdict({ scheduled_for: null }));
    r.record(verdict({ schedule_id: 'sched_gone' }));
    expect(r.store.entries('sched_a')).toEqual([]);
    expect(r.store.entries('sched_gone')).toEqual([]);
    expect(changed).toEqual([]);
  });

  const kinds: [string, Partial<FireDecision>, object][] = [
    ['a catch-up', { trigger: 'catch_up' }, { kind: 'caught_up', ran: true, reason: null }],
    [
      'a retry',
      { attempt: 2, attempts: 3 },
      { kind: 'retry', ran: true, attempt: 2, attempts: 3, reason: null },
    ],
    [
      'a global pause',
      { outcome: 'not_run', reason: 'paused', message: 'paused' },
      { kind: 'skipped_paused', ran: false, reason: 'paused', run_id: null, command_id: null },
    ],
    [
      'the schedule’s pause',
      { outcome: 'not_run', reason: 'schedule_paused' },
      { kind: 'skipped_paused', reason: 'schedule_paused' },
    ],
    [
      'battery power',
      { outcome: 'skipped', reason: 'on_battery' },
      { kind: 'skipped_battery', ran: false, reason: null },
    ],
    [
      'an overlap',
      { outcome: 'skipped', reason: 'overlap', running_command_id: 'cmd_busy' },
      { kind: 'skipped_overlap', ran: false, command_id: 'cmd_busy', run_id: null },
    ],
    [
      'an overlap without the running command',
      { outcome: 'skipped', reason: 'overlap', running_command_id: undefined },
      { kind: 'skipped_overlap', command_id: null },
    ],
    [
      'a run without ids',
      { run_id: undefined, command_id: undefined },
      { run_id: null, command_id: null },
    ],
  ];
  it.each(kinds)('records %s', (_, fields, expected) => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict(fields));
    expect(r.store.entries('sched_a')).toEqual([expect.objectContaining(expected)]);
  });

  it('records a fire moved by a DST gap with the wall times asked and used', () => {
    schedule('sched_a', { cron: '30 2 * * *', timezone: 'America/New_York' });
    const r = recorder();
    r.record(verdict({ scheduled_for: '2026-03-08T07:30:00Z' }));
    r.record(verdict({ scheduled_for: '2026-03-09T06:30:00Z' }));
    r.record(verdict({ scheduled_for: '2026-03-10T06:30:00Z', trigger: 'catch_up' }));
    expect(r.store.entries('sched_a').map((d) => [d.kind, d.asked, d.used])).toEqual([
      ['moved_dst', '2026-03-08T02:30:00', '2026-03-08T03:30:00'],
      ['ran', null, null],
      ['caught_up', null, null],
    ]);
  });

  it('does not call an every-hour fire in the gap moved', () => {
    schedule('sched_a', { cron: '30 * * * *', timezone: 'America/New_York' });
    const r = recorder();
    r.record(verdict({ scheduled_for: '2026-03-08T07:30:00Z' }));
    expect(r.store.entries('sched_a')[0]!.kind).toBe('ran');
  });

  it('makes one span of alike refusals in a row, and a new entry when they change', () => {
    schedule('sched_a');
    const r = recorder();
    const paused = (at: number, message = 'paused') =>
      verdict({ scheduled_for: iso(at), outcome: 'not_run', reason: 'paused', message });
    r.record(paused(T0));
    now = T0 + 10 * MIN;
    r.record(paused(T0 + 10 * MIN, 'still paused'));
    r.record(paused(T0 + 20 * MIN, 'still paused'));
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'skipped_paused',
        scheduled_for: iso(T0),
        last_scheduled_for: iso(T0 + 20 * MIN),
        count: 3,
        decided_at: iso(T0 + 10 * MIN),
        message: 'still paused',
      }),
    ]);
    expect(changed).toEqual(['sched_a']);
    // An earlier instant, another reason, another kind: each a new entry.
    r.record(paused(T0 + 5 * MIN));
    r.record(
      verdict({ scheduled_for: iso(T0 + 30 * MIN), outcome: 'not_run', reason: 'schedule_paused' }),
    );
    r.record(
      verdict({ scheduled_for: iso(T0 + 40 * MIN), outcome: 'skipped', reason: 'on_battery' }),
    );
    r.record(verdict({ scheduled_for: iso(T0 + 50 * MIN) }));
    r.record(verdict({ scheduled_for: iso(T0 + 60 * MIN) }));
    expect(r.store.entries('sched_a').map((d) => [d.kind, d.count])).toEqual([
      ['skipped_paused', 3],
      ['skipped_paused', 1],
      ['skipped_paused', 1],
      ['skipped_battery', 1],
      ['ran', 1],
      ['ran', 1],
    ]);
  });

  it('starts a new overlap span when another command is the one running', () => {
    schedule('sched_a');
    const r = recorder();
    const overlap = (at: number, cmd: string) =>
      verdict({
        scheduled_for: iso(at),
        outcome: 'skipped',
        reason: 'overlap',
        running_command_id: cmd,
      });
    r.record(overlap(T0, 'cmd_1'));
    r.record(overlap(T0 + 10 * MIN, 'cmd_1'));
    r.record(overlap(T0 + 20 * MIN, 'cmd_2'));
    expect(r.store.entries('sched_a').map((d) => d.count)).toEqual([2, 1]);
  });

  it('tells the row when the newest decision reads differently', () => {
    schedule('sched_a');
    const r = recorder();
    r.record(verdict({ scheduled_for: iso(T0) }));
    r.record(verdict({ scheduled_for: iso(T0 + 10 * MIN) }));
    expect(changed).toEqual(['sched_a']);
    r.record(verdict({ scheduled_for: iso(T0 + 20 * MIN), outcome: 'not_run', reason: 'paused' }));
    expect(changed).toEqual(['sched_a', 'sched_a']);
    r.record(verdict({ scheduled_for: iso(T0 + 30 * MIN) }));
    expect(changed).toEqual(['sched_a', 'sched_a', 'sched_a']);
  });

  it('counts a span up to the cap', () => {
    schedule('sched_a', { cron: '* * * * *' });
    const r = recorder();
    r.started(T0 - 2000 * MIN, [...schedules.values()]);
    now = T0 + MIN;
    r.record(verdict({ scheduled_for: iso(T0 + MIN) }));
    const [missed] = r.store.entries('sched_a');
    expect(missed!.count).toBe(1000);
  });
});

describe('missed fires', () => {
  it('at start: the fires of the time the app was off, per enabled schedule', () => {
    schedule('sched_a', { catch_up: true });
    schedule('sched_off', { enabled: false, updated_at: '2026-05-01T00:00:00Z' });
    schedule('sched_none', { cron: '0 0 1 1 *' });
    const r = recorder();
    r.started(T0 - 3 * HOUR - 5 * MIN, [...schedules.values()]);
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'missed',
        reason: 'app_stopped',
        ran: false,
        scheduled_for: '2026-06-01T07:00:00Z',
        last_scheduled_for: '2026-06-01T10:00:00Z',
        count: 19,
        span_from: '2026-06-01T06:55:00Z',
        span_to: '2026-06-01T10:00:00Z',
        catch_up: true,
        message: 'the app was not running; catch-up is on',
      }),
    ]);
    expect(r.store.entries('sched_off')).toEqual([]);
    expect(r.store.entries('sched_none')).toEqual([]);
    expect(r.disabledSince('sched_off')).toBe(Date.parse('2026-05-01T00:00:00Z'));
    expect(r.disabledSince('sched_a')).toBeNull();
  });

  it('at a first start (never alive before): nothing missed', () => {
    schedule('sched_a');
    const r = recorder();
    r.started(null, [...schedules.values()]);
    expect(r.store.entries('sched_a')).toEqual([]);
  });

  it('at start: a schedule that cannot be planned is logged and skipped', () => {
    schedule('sched_bad', { cron: 'not a cron' });
    schedule('sched_a');
    const r = recorder();
    r.started(T0 - HOUR, [...schedules.values()]);
    expect(lines.map((l) => l.message)).toEqual([
      expect.stringMatching(/^decisions of sched_bad at start: /),
    ]);
    expect(r.store.entries('sched_a')).toHaveLength(1);
  });

  it('at start: last alive just after the last fire misses nothing', () => {
    schedule('sched_a');
    const r = recorder();
    r.started(T0 - 5 * MIN, [...schedules.values()]);
    expect(r.store.entries('sched_a')).toHaveLength(1);
    const r2 = recorder();
    now = T0 + 5 * MIN;
    r2.store.remove('sched_a');
    r2.started(T0 + MIN, [...schedules.values()]);
    expect(r2.store.entries('sched_a')).toEqual([]);
  });

  it('while asleep: the suspend span, within two minutes of waking', () => {
    schedule('sched_a');
    const r = recorder();
    r.suspending();
    now = T0 + 3 * HOUR;
    r.resumed();
    now += 2 * MIN;
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 10 * MIN,
      last: T0 + 3 * HOUR,
      since: T0 + MIN,
      now,
    });
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'missed',
        reason: 'asleep',
        count: 18,
        span_from: iso(T0),
        span_to: iso(T0 + 3 * HOUR),
        message: 'the machine was asleep; catch-up is off',
      }),
    ]);
  });

  it('a clock jump when not just woken', () => {
    schedule('sched_a');
    const r = recorder();
    r.suspending();
    now = T0 + HOUR;
    r.resumed();
    now += 2 * MIN + 1;
    r.missed({ scheduleId: 'sched_a', first: T0 + 10 * MIN, last: T0 + HOUR, since: T0, now });
    r.missed({ scheduleId: 'sched_gone', first: T0, last: T0, since: T0, now });
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        reason: 'clock_jump',
        span_from: iso(T0),
        span_to: '2026-06-01T11:02:00Z',
        message: 'the clock jumped forward; catch-up is off',
      }),
    ]);
  });

  it('woken without a known suspend: the span starts when the scheduler last looked', () => {
    schedule('sched_a');
    const r = recorder();
    now = T0 + HOUR;
    r.resumed();
    r.missed({ scheduleId: 'sched_a', first: T0 + 10 * MIN, last: T0 + HOUR, since: T0, now });
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 70 * MIN,
      last: T0 + 70 * MIN,
      since: null,
      now,
    });
    expect(r.store.entries('sched_a').map((d) => [d.reason, d.span_from, d.span_to])).toEqual([
      ['asleep', iso(T0), iso(T0 + HOUR)],
      ['asleep', null, iso(T0 + HOUR)],
    ]);
  });

  it('leaves out the fires before the start, recorded at start already', () => {
    schedule('sched_a');
    const r = recorder();
    r.started(null, [...schedules.values()]);
    r.missed({ scheduleId: 'sched_a', first: T0 - HOUR, last: T0, since: null, now });
    expect(r.store.entries('sched_a')).toEqual([]);
    now = T0 + HOUR;
    r.missed({ scheduleId: 'sched_a', first: T0 - HOUR, last: T0 + 30 * MIN, since: T0, now });
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        scheduled_for: iso(T0 + 10 * MIN),
        last_scheduled_for: iso(T0 + 30 * MIN),
        count: 3,
      }),
    ]);
  });

  it('a later missed span of the same kind and start grows the entry', () => {
    schedule('sched_a');
    const r = recorder();
    now = T0 + HOUR;
    r.missed({ scheduleId: 'sched_a', first: T0 + 10 * MIN, last: T0 + 20 * MIN, since: T0, now });
    r.missed({ scheduleId: 'sched_a', first: T0 + 30 * MIN, last: T0 + 40 * MIN, since: T0, now });
    r.missed({
      scheduleId: 'sched_a',
      first: T0 + 50 * MIN,
      last: T0 + 50 * MIN,
      since: T0 + 45 * MIN,
      now,
    });
    expect(r.store.entries('sched_a').map((d) => [d.count, d.last_scheduled_for])).toEqual([
      [4, iso(T0 + 40 * MIN)],
      [1, iso(T0 + 50 * MIN)],
    ]);
  });
});

describe('a disabled spell', () => {
  it('is one entry when the schedule is enabled again', () => {
    const s = schedule('sched_a');
    const r = recorder();
    r.scheduleChanged({ ...s, enabled: false });
    expect(r.disabledSince('sched_a')).toBe(T0);
    now = T0 + 30 * MIN;
    r.scheduleChanged({ ...s, enabled: false }); // still disabled: since stays
    expect(r.disabledSince('sched_a')).toBe(T0);
    now = T0 + HOUR + MIN;
    r.scheduleChanged(s);
    expect(r.disabledSince('sched_a')).toBeNull();
    expect(r.store.entries('sched_a')).toEqual([
      expect.objectContaining({
        kind: 'skipped_disabled',
        ran: false,
        scheduled_for: iso(T0 + 10 * MIN),
        last_scheduled_for: iso(T0 + HOUR),
        count: 6,
        span_from: iso(T0),
        span_to: iso(T0 + HOUR + MIN),
        message: 'the schedule was disabled',
      }),
    ]);
    // Enabled and written again: nothing more.
    r.scheduleChanged(s);
    expect(r.store.entries('sched_a')).toHaveLength(1);
  });

  it('records nothing when no fire fell in it', () => {
    const s = schedule('sched_a');
    const r = recorder();
    r.scheduleChanged({ ...s, enabled: false });
    now = T0 + 5 * MIN;
    r.scheduleChanged(s);
    expect(r.store.entries('sched_a')).toEqual([]);
  });

  it('is forgotten, with the log, when the schedule is deleted', () => {
    const s = schedule('sched_a');
    const r = recorder();
    r.record(verdict());
    r.scheduleChanged({ ...s, enabled: false });
    r.scheduleDeleted('sched_a');
    expect(r.disabledSince('sched_a')).toBeNull();
    expect(existsSync(file('sched_a'))).toBe(false);
    r.close();
  });

  it('close writes a growing span', () => {
    schedule('sched_a');
    const r = recorder();
    const paused = (at: number) =>
      verdict({ scheduled_for: iso(at), outcome: 'not_run', reason: 'paused' });
    r.record(paused(T0));
    r.record(paused(T0 + 10 * MIN));
    r.close();
    expect(fileLines('sched_a').map((d) => d.count)).toEqual([1, 2]);
  });
});

describe('the queries', () => {
  let repo: ScheduleRepository;
  beforeEach(() => {
    repo = ScheduleRepository.open(confStoreFactory, dir, { now: () => now }, log);
  });
  afterEach(() => repo.close());

  function setup(extra: Partial<StoredSchedule> = {}) {
    const s = schedule('sched_a', extra);
    repo.put(s);
    const r = recorder();
    const q = new DecisionQueries({ decisions: r, repo, clock: { now: () => now } });
    return { s, r, q };
  }

  it('404 for an unknown schedule; 400 naming a bad field', async () => {
    const { q } = setup();
    const e = (await q.decisions('sched_x').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe('Schedule sched_x not found');
    const bad = (await q
      .decisions('sched_a', { since: 'yesterday' })
      .catch((x: unknown) => x)) as ApiError;
    expect(bad.code).toBe('validation_error');
    expect(bad.message).toContain('since');
    const at = (await q
      .decisionAt('sched_x', { time: iso(T0) })
      .catch((x: unknown) => x)) as ApiError;
    expect(at.code).toBe('not_found');
  });

  it('lists newest first, filtered by the instants covered, a page at a time', async () => {
    const { r, q } = setup();
    for (let i = 0; i < 5; i++) r.record(verdict({ scheduled_for: iso(T0 + i * 10 * MIN) }));
    const all = await q.decisions('sched_a');
    expect(all.data.map((d) => d.scheduled_for)).toEqual(
      [4, 3, 2, 1, 0].map((i) => iso(T0 + i * 10 * MIN)),
    );
    expect(all.meta).toEqual({ total: 5, limit: 20, offset: 0 });
    const some = await q.decisions('sched_a', {
      since: iso(T0 + 10 * MIN),
      until: iso(T0 + 30 * MIN),
      limit: 2,
      offset: 1,
    });
    expect(some.data.map((d) => d.scheduled_for)).toEqual([iso(T0 + 20 * MIN), iso(T0 + 10 * MIN)]);
    expect(some.meta).toEqual({ total: 3, limit: 2, offset: 1 });
  });

  it('lists a span by its last instant, and two of the same instant by when decided', async () => {
    const { r, q } = setup();
    const paused = (at: number) =>
      verdict({ scheduled_for: iso(at), outcome: 'not_run', reason: 'paused' });
    r.record(paused(T0));
    r.record(paused(T0 + 30 * MIN));
    r.record(verdict({ scheduled_for: iso(T0 + 20 * MIN) }));
    now = T0 + MIN;
    r.record(verdict({ scheduled_for: iso(T0 + 20 * MIN), trigger: 'catch_up' }));
    const list = await q.decisions('sched_a');
    expect(list.data.map((d) => d.kind)).toEqual(['skipped_paused', 'caught_up', 'ran']);
    // A span reaching into the window counts; one ending before it does not.
    const since = await q.decisions('sched_a', { since: iso(T0 + 25 * MIN) });
    expect(since.data.map((d) => d.kind)).toEqual(['skipped_paused']);
    const until = await q.decisions('sched_a', { until: iso(T0 + 10 * MIN) });
    expect(until.data.map((d) => d.kind)).toEqual(['skipped_paused']);
  });

  it('answers for a planned fire: its decision first, its catch-up and retries after', async () => {
    const { r, q } = setup({ catch_up: true });
    now = T0 + 3 * HOUR;
    r.started(T0 - 5 * MIN, [...schedules.values()]);
    r.record(verdict({ scheduled_for: iso(T0 + 3 * HOUR), trigger: 'catch_up' }));
    r.record(verdict({ scheduled_for: iso(T0 + 3 * HOUR), attempt: 2, attempts: 2 }));
    const a = await q.decisionAt('sched_a', { time: iso(T0 + HOUR) });
    expect(a).toMatchObject({
      schedule_id: 'sched_a',
      timezone: 'UTC',
      time: iso(T0 + HOUR),
      planned: true,
      fire: iso(T0 + HOUR),
      nearest: [],
    });
    expect(a.decision?.kind).toBe('missed');
    expect(a.related.map((d) => d.kind)).toEqual(['caught_up']);
    expect(a.sentence).toMatch(
      /^At 11:00 UTC on 1 Jun the job did not run: the app was not running/,
    );

    const last = await q.decisionAt('sched_a', { time: iso(T0 + 3 * HOUR) });
    expect(last.decision?.kind).toBe('missed');
    expect(last.related.map((d) => d.kind)).toEqual(['caught_up', 'retry']);
  });

  it('names the nearest planned fires when none was planned at that instant', async () => {
    const { r, q } = setup();
    r.record(verdict({ scheduled_for: iso(T0 + 10 * MIN) }));
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 13 * MIN) });
    expect(a).toMatchObject({
      planned: false,
      fire: iso(T0 + 10 * MIN),
      nearest: [iso(T0 + 10 * MIN), iso(T0 + 20 * MIN)],
    });
    expect(a.decision?.kind).toBe('ran');
    const later = await q.decisionAt('sched_a', { time: iso(T0 + 17 * MIN) });
    expect(later.fire).toBe(iso(T0 + 20 * MIN));
    expect(later.decision).toBeNull();
  });

  it('counts a recorded fire at exactly that instant as planned, even off the cron', async () => {
    const { r, q } = setup();
    r.record(verdict({ scheduled_for: iso(T0 + 7 * MIN) }));
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 7 * MIN) });
    expect(a.planned).toBe(true);
    expect(a.fire).toBe(iso(T0 + 7 * MIN));
    expect(a.decision?.kind).toBe('ran');
  });

  it('a fire of a schedule that is disabled now: skipped since it was disabled', async () => {
    const { s, r, q } = setup();
    const off = { ...s, enabled: false };
    repo.put(off);
    r.scheduleChanged(off);
    now = T0 + HOUR;
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 30 * MIN) });
    expect(a.decision).toMatchObject({
      kind: 'skipped_disabled',
      ran: false,
      scheduled_for: iso(T0 + 30 * MIN),
      last_scheduled_for: iso(T0 + 30 * MIN),
      span_from: iso(T0),
      message: 'the schedule is disabled',
    });
    // Before it was disabled, or still to come: nothing to say.
    expect((await q.decisionAt('sched_a', { time: iso(T0 - 10 * MIN) })).decision).toBeNull();
    expect((await q.decisionAt('sched_a', { time: iso(T0 + 2 * HOUR) })).decision).toBeNull();
    expect((await q.decisionAt('sched_a', { time: iso(T0) })).decision?.kind).toBe(
      'skipped_disabled',
    );
    expect((await q.decisionAt('sched_a', { time: iso(T0 + HOUR) })).decision?.kind).toBe(
      'skipped_disabled',
    );
  });

  it('an enabled schedule without a decision for that fire: none', async () => {
    const { q } = setup();
    const a = await q.decisionAt('sched_a', { time: iso(T0 + 10 * MIN) });
    expect(a.decision).toBeNull();
    expect(a.related).toEqual([]);
  });
});
