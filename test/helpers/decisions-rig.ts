// The decision log without a server: the recorder turning the engine's verdicts into entries
// (spans of alike refusals, missed fires, a disabled spell), its file per schedule in a temp
// dir (read back by a new store, retention, unreadable lines, a refusing disk) and the
// queries the API answers. Time is a fake clock; the span flush is a fake timer fired by hand.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionLog, newDecision } from '../../src/core/decisions/recorder';
import { DECISIONS_DIR, DecisionStore } from '../../src/core/decisions/store';
import type { FireDecision } from '../../src/core/fire-decisions';
import type { Logger } from '../../src/core/log';
import type { StoredSchedule } from '../../src/core/schedules';
import type { Timers } from '../../src/core/timers';
import type { Decision } from '../../src/shared/decisions-api';
import { storedSchedule } from './stored-schedule';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.parse('2026-06-01T10:00:00Z');

export const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

export function verdict(fields: Partial<FireDecision> = {}): FireDecision {
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

export function decision(at: number, fields: Partial<Decision> = {}): Decision {
  return newDecision({ id: 'sched_a', catch_up: false }, at, {
    kind: 'ran',
    ran: true,
    ...fields,
  });
}

export interface DecisionsState {
  dir: string;
  now: number;
  lines: { level: string; message: string }[];
  pending: { fn: () => void; ms: number; handle: object }[];
  retention: { max_runs: number; max_age_days: number };
  schedules: Map<string, StoredSchedule>;
  changed: string[];
}

type Hook = (fn: () => void) => void;

/**
 * Fresh state for each test. The returned object is that state: tests reassign its fields
 * (`rig.now = …`, `rig.retention = …`) and the log, timers, stores and recorders it builds
 * read them when called, so they always see the current test's values.
 */
export function decisionsRig(beforeEach: Hook, afterEach: Hook) {
  const state: DecisionsState = {
    dir: '',
    now: T0,
    lines: [],
    pending: [],
    retention: { max_runs: 1000, max_age_days: 90 },
    schedules: new Map(),
    changed: [],
  };

  const log: Logger = {
    info: (message) => void state.lines.push({ level: 'info', message }),
    warn: (message) => void state.lines.push({ level: 'warn', message }),
    error: (message) => void state.lines.push({ level: 'error', message }),
  };
  const timers: Timers = {
    setTimeout(fn, ms) {
      const handle = {};
      state.pending.push({ fn, ms, handle });
      return handle;
    },
    clearTimeout(handle) {
      state.pending = state.pending.filter((p) => p.handle !== handle);
    },
  };
  const fire = () => {
    const due = state.pending;
    state.pending = [];
    for (const p of due) p.fn();
  };

  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), 'cmdop-decisions-'));
    state.now = T0;
    state.lines = [];
    state.pending = [];
    state.retention = { max_runs: 1000, max_age_days: 90 };
    state.schedules = new Map();
    state.changed = [];
  });

  afterEach(() => {
    rmSync(state.dir, { recursive: true, force: true });
  });

  function schedule(id: string, extra: Partial<StoredSchedule> = {}): StoredSchedule {
    const s = storedSchedule(id, { command: 'true', cron: '*/10 * * * *', ...extra });
    state.schedules.set(id, s);
    return s;
  }

  const options = () => ({
    dataDir: state.dir,
    clock: { now: () => state.now },
    timers,
    log,
    retention: () => state.retention,
  });
  const store = () => new DecisionStore(options());
  const recorder = () =>
    new DecisionLog({
      ...options(),
      schedule: (id) => state.schedules.get(id),
      onLastChanged: (id) => void state.changed.push(id),
    });
  const file = (id: string) => join(state.dir, DECISIONS_DIR, `${id}.jsonl`);
  const fileLines = (id: string) =>
    readFileSync(file(id), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Decision);

  return Object.assign(state, { log, fire, schedule, store, recorder, file, fileLines });
}
