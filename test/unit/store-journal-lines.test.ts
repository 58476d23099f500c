// StoreJournal on its own, line by line, on real files: which lines replay, which count as
// unreadable (the store reports those), that a torn tail is neither, and that every append
// starts on a line of its own whatever a crash or a failed write left behind.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, StoreJournal, type JournalOp } from '../../src/core/store-journal';

let dir: string;
let journal: StoreJournal;
const file = () => join(dir, JOURNAL_FILE);
const text = () => readFileSync(file(), 'utf8');
const put: JournalOp = { op: 'put', schedules: [{ id: 'sched_a' }] };
const del: JournalOp = { op: 'delete', id: 'sched_a' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-journal-'));
  journal = new StoreJournal(dir);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('StoreJournal.read', () => {
  it('no journal yet: nothing to replay, nothing bad', () => {
    expect(journal.read()).toEqual({ ops: [], bad: 0 });
    expect(journal.lines).toBe(0);
  });

  it('replays the three operations and counts every other line as bad', () => {
    const lines = [
      put,
      { op: 'settings', settings: { paused: true } },
      del,
      { op: 'put' }, // no schedules
      { op: 'other', schedules: [] },
      { op: 'delete', id: 5 },
      { op: 'other', id: 'sched_b' },
      { op: 'settings' }, // no settings
      { op: 'other', settings: {} },
      null,
      7,
    ].map((v) => JSON.stringify(v));
    writeFileSync(file(), `${[...lines, 'not json'].join('\n')}\n`);
    const { ops, bad } = journal.read();
    expect(ops).toEqual([put, { op: 'settings', settings: { paused: true } }, del]);
    expect(bad).toBe(9);
    expect(journal.lines).toBe(3);
    expect(journal.bytes).toBe(statSync(file()).size);
  });

  it('blank and whitespace-only lines are neither operations nor bad', () => {
    writeFileSync(file(), `\n   \n${JSON.stringify(del)}\n\t\n`);
    expect(journal.read()).toEqual({ ops: [del], bad: 0 });
  });

  it('a torn last line is skipped without counting; a bad line before it still counts', () => {
    writeFileSync(file(), `${JSON.stringify(put)}\n{"op":"del\n${JSON.stringify(del)}\n{"op":"pu`);
    expect(journal.read()).toEqual({ ops: [put, del], bad: 1 });
  });

  it('a bad last line that ends with a newline is not torn: it counts', () => {
    writeFileSync(file(), `${JSON.stringify(put)}\n{"op":"pu\n`);
    expect(journal.read()).toEqual({ ops: [put], bad: 1 });
  });
});

describe('StoreJournal.append', () => {
  it('a first append writes exactly one line and counts its bytes', () => {
    journal.append(del);
    journal.append(put);
    expect(text()).toBe(`${JSON.stringify(del)}\n${JSON.stringify(put)}\n`);
    expect(journal.lines).toBe(2);
    expect(journal.bytes).toBe(statSync(file()).size);
  });

  it('after an empty journal is read, the append still starts at the top', () => {
    writeFileSync(file(), '');
    journal.read();
    journal.append(del);
    expect(text()).toBe(`${JSON.stringify(del)}\n`);
  });

  it('after a torn tail is read, the append starts a fresh line and the tail stays alone', () => {
    writeFileSync(file(), `${JSON.stringify(put)}\n{"op":"pu`);
    journal.read();
    journal.append(del);
    expect(text()).toBe(`${JSON.stringify(put)}\n{"op":"pu\n${JSON.stringify(del)}\n`);
    const again = new StoreJournal(dir);
    expect(again.read()).toEqual({ ops: [put, del], bad: 1 });
  });

  it('after a reset a torn tail is gone: the next append starts at the top', () => {
    writeFileSync(file(), `{"op":"pu`);
    journal.read();
    journal.reset();
    journal.append(del);
    expect(text()).toBe(`${JSON.stringify(del)}\n`);
    expect(journal.lines).toBe(1);
  });

  it('a failed append throws and counts nothing; the next one starts a fresh line', () => {
    mkdirSync(file()); // the journal cannot be opened for appending
    expect(() => journal.append(put)).toThrow();
    expect(journal.lines).toBe(0);
    rmSync(file(), { recursive: true });
    journal.append(del);
    expect(text()).toBe(`\n${JSON.stringify(del)}\n`);
    expect(journal.lines).toBe(1);
  });

  it('close lets go of the file: an append after it writes to the journal on disk', () => {
    journal.append(put);
    journal.close();
    rmSync(file());
    journal.append(del);
    expect(text()).toBe(`${JSON.stringify(del)}\n`);
    journal.close();
    journal.close(); // twice is harmless
  });
});
