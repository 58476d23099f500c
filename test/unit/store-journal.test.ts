// The store's journal: every acknowledged change is a durable line; config.json is rewritten
// from memory now and then. Whatever point a crash hits, opening again gives the state of the
// last acknowledged change, and replaying twice gives the same.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPACT_LINES, ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { Logger } from '../../src/core/log';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cmdop-journal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function logger() {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, log };
}

/** Compactions run only when the test says so, as a crash would leave them undone. */
function open(later: (() => void)[] = [], log = logger().log) {
  return ScheduleRepository.open(confStoreFactory, dir, clock, log, {
    defer: (fn) => later.push(fn),
  });
}

function schedule(n: number, extra: Partial<StoredSchedule> = {}): StoredSchedule {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  return {
    id: `sched_${String(n).padStart(4, '0')}`,
    name: `job ${n}`,
    description: '',
    command: 'true',
    cron: '0 3 * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    ...POLICY_DEFAULTS,
    created_at: at,
    updated_at: at,
    ...extra,
  };
}

const journal = () => join(dir, 'config.journal');
const config = () => join(dir, 'config.json');

describe('the store journal', () => {
  it('an acknowledged change is in the journal at once; a reopen without close replays it', () => {
    const repo = open();
    repo.put(schedule(1));
    repo.put(schedule(2));
    repo.put({ ...schedule(1), name: 'renamed' });
    repo.delete('sched_0002');
    repo.updateSettings({ ...repo.settings(), paused: true });
    expect(existsSync(config())).toBe(false); // nothing rewritten on the request path
    expect(readFileSync(journal(), 'utf8').trim().split('\n')).toHaveLength(5);

    const again = open(); // the first never closed: as after kill -9
    expect(again.all().map((s) => s.name)).toEqual(['renamed']);
    expect(again.settings().paused).toBe(true);
  });

  it('a torn last line (a crash mid-write, never acknowledged) is skipped, the rest replayed', () => {
    const repo = open();
    repo.put(schedule(1));
    appendFileSync(journal(), '{"op":"put","schedules":[{"id":"sched_99');
    const { lines, log } = logger();
    const again = open([], log);
    expect(again.all().map((s) => s.id)).toEqual(['sched_0001']);
    expect(lines.filter((l) => !l.startsWith('info'))).toEqual([]);
    // The next change starts a fresh line and is read back.
    again.put(schedule(2));
    expect(
      open()
        .all()
        .map((s) => s.id),
    ).toEqual(['sched_0001', 'sched_0002']);
  });

  it('compacts into config.json off the request path once it is long, and empties itself', () => {
    const later: (() => void)[] = [];
    const repo = open(later);
    for (let i = 0; i < COMPACT_LINES; i++) repo.put(schedule(i % 50, { name: `v${i}` }));
    expect(later).toHaveLength(1); // queued once, not run inline
    later.shift()!();
    expect(readFileSync(journal(), 'utf8')).toBe('');
    const stored = JSON.parse(readFileSync(config(), 'utf8'));
    expect(stored.schemaVersion).toBe(1);
    expect(Object.keys(stored.schedules)).toHaveLength(50);
    expect(open().all()).toEqual(repo.all());
  });

  it('a crash between rewriting config.json and emptying the journal loses and doubles nothing', () => {
    const repo = open();
    repo.put(schedule(1));
    repo.put(schedule(2));
    repo.delete('sched_0001');
    const pending = readFileSync(journal(), 'utf8');
    repo.compact(); // config.json now holds it all…
    writeFileSync(journal(), pending); // …but the crash came before the journal was emptied
    const again = open();
    expect(again.all().map((s) => s.id)).toEqual(['sched_0002']);
  });

  it('close leaves config.json complete, for the other owner or an older version', () => {
    const repo = open();
    repo.put(schedule(3));
    repo.put(schedule(1));
    repo.close();
    const stored = JSON.parse(readFileSync(config(), 'utf8'));
    expect(Object.keys(stored.schedules)).toEqual(['sched_0001', 'sched_0003']); // list order
    expect(readFileSync(journal(), 'utf8')).toBe('');
  });

  it('opens today’s config.json (no journal, no version) as it is, and adds the version later', () => {
    const legacy = { schedules: { sched_0001: schedule(1) } };
    writeFileSync(config(), JSON.stringify(legacy));
    const later: (() => void)[] = [];
    const repo = open(later);
    expect(repo.all().map((s) => s.id)).toEqual(['sched_0001']);
    expect(readdirBackups()).toEqual([expect.stringMatching(/^config\.json\.v0-/)]);
    later.shift()!();
    expect(JSON.parse(readFileSync(config(), 'utf8')).schemaVersion).toBe(1);
  });

  it('a journal that cannot be read is reported and the last rewrite of config.json is used', () => {
    open().put(schedule(1));
    open().close(); // config.json holds sched_0001
    rmSync(journal());
    mkdirSync(journal()); // a folder where the journal should be
    const { lines, log } = logger();
    const repo = open([], log);
    expect(repo.all().map((s) => s.id)).toEqual(['sched_0001']);
    expect(lines.some((l) => l.startsWith('error') && l.includes('config.journal'))).toBe(true);
  });

  it('lists in creation order without sorting, whatever order changes come in', () => {
    const repo = open();
    for (const n of [5, 1, 9, 3, 7]) repo.put(schedule(n));
    repo.put({ ...schedule(3), name: 'edited keeps its place' });
    repo.delete('sched_0009');
    expect(repo.all().map((s) => s.id)).toEqual([
      'sched_0001',
      'sched_0003',
      'sched_0005',
      'sched_0007',
    ]);
    expect(open().all()).toEqual(repo.all());
  });
});

function readdirBackups(): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.bak'));
}
