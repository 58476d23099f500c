// The store's file per schedule: written line by line and read back by a new store, spans
// flushed on a timer, retention, unreadable lines and a disk that refuses for a while.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECISIONS_DIR, SPAN_FLUSH_MS } from '../../src/core/decisions/store';
import { decision, decisionsRig, HOUR, MIN, T0 } from '../helpers/decisions-rig';

const rig = decisionsRig(beforeEach, afterEach);
const { store, file, fileLines, fire } = rig;

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
    expect(rig.lines).toEqual([]);
  });

  it('writes nothing for an id that is not a safe file name', () => {
    const a = store();
    a.add({ ...decision(T0), schedule_id: '../evil' });
    expect(existsSync(join(rig.dir, DECISIONS_DIR))).toBe(false);
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
    expect(rig.pending.map((p) => p.ms)).toEqual([SPAN_FLUSH_MS]);
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
    expect(rig.pending).toEqual([]);
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
    rig.retention = { max_runs: 2, max_age_days: 90 };
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
    rig.retention = { max_runs: 1000, max_age_days: 1 };
    const a = store();
    const old = decision(T0 - 25 * HOUR);
    const edge = decision(T0 - 24 * HOUR);
    a.add(old);
    a.add(edge);
    expect(a.entries('sched_a')).toEqual([edge]);
    rig.now = T0 + 1;
    expect(store().entries('sched_a')).toEqual([]);
  });

  it('skips lines it cannot read, saying how many once', () => {
    const good = decision(T0);
    const other = { ...decision(T0 + MIN), schedule_id: 'sched_b' };
    mkdirSync(join(rig.dir, DECISIONS_DIR));
    writeFileSync(
      file('sched_a'),
      `${JSON.stringify(good)}\n{ half\n\n${JSON.stringify({ id: 1 })}\n${JSON.stringify(other)}\n`,
    );
    expect(store().entries('sched_a')).toEqual([good]);
    expect(rig.lines).toEqual([
      {
        level: 'warn',
        message: `decision log of sched_a: 3 unreadable lines were skipped (${file('sched_a')})`,
      },
    ]);
    rig.lines = [];
    writeFileSync(file('sched_a'), `${JSON.stringify(good)}\nnot json\n`);
    expect(store().entries('sched_a')).toEqual([good]);
    expect(rig.lines.map((l) => l.message)).toEqual([
      `decision log of sched_a: 1 unreadable line was skipped (${file('sched_a')})`,
    ]);
  });

  it('counts the lines it read, so a file of versions is rewritten in time', () => {
    rig.retention = { max_runs: 2, max_age_days: 90 };
    const d = decision(T0, { kind: 'skipped_paused', ran: false });
    mkdirSync(join(rig.dir, DECISIONS_DIR));
    writeFileSync(file('sched_a'), `${JSON.stringify(d)}\n`.repeat(4));
    const a = store();
    a.add(decision(T0 + MIN));
    expect(fileLines('sched_a')).toHaveLength(2);
  });

  it('says when a file cannot be read, and carries on with none', () => {
    mkdirSync(file('sched_a'), { recursive: true });
    expect(store().entries('sched_a')).toEqual([]);
    expect(rig.lines).toHaveLength(1);
    expect(rig.lines[0]!.message).toMatch(/^decision log of sched_a cannot be read: .*EISDIR/);
  });

  it('keeps decisions in memory while the disk refuses, says so once, and catches up after', () => {
    writeFileSync(join(rig.dir, DECISIONS_DIR), 'in the way');
    const a = store();
    const d1 = decision(T0);
    const d2 = decision(T0 + MIN);
    a.add(d1);
    a.add(d2);
    expect(a.entries('sched_a')).toEqual([d1, d2]);
    rig.lines = rig.lines.filter((l) => !l.message.includes('cannot be read'));
    expect(rig.lines).toHaveLength(1);
    expect(rig.lines[0]!.level).toBe('warn');
    expect(rig.lines[0]!.message).toMatch(
      /^the decision log cannot be written \(.+\); decisions are kept in memory until it can$/,
    );
    rmSync(join(rig.dir, DECISIONS_DIR));
    mkdirSync(join(rig.dir, DECISIONS_DIR));
    const d3 = decision(T0 + 2 * MIN);
    a.add(d3);
    expect(rig.lines.at(-1)).toEqual({
      level: 'info',
      message: 'the decision log can be written again',
    });
    // Rewritten whole: the refused ones are on disk too.
    expect(fileLines('sched_a')).toEqual([d1, d2, d3]);
    a.add(decision(T0 + 3 * MIN));
    expect(rig.lines).toHaveLength(2);
    expect(fileLines('sched_a')).toHaveLength(4);
  });

  it('makes the folder private', () => {
    store().add(decision(T0));
    expect(statSync(join(rig.dir, DECISIONS_DIR)).mode & 0o777).toBe(0o700);
    expect(statSync(file('sched_a')).mode & 0o777).toBe(0o600);
  });
});
