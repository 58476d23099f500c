// @ts-nocheck
// 
// The UI store: events keep it current without polling, applied once per frame, in order,
// over whatever snapshot the last load brought; it never says "Running" longer than the
// server does. Filters, sorting and search; errors become toasts.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import type { ApiEvent } from '../../src/shared/events';
import type { Run, Schedule } from '../../src/shared/types';
import type { AppApi } from '../../src/renderer/src/api/types';
import { createAppStore, type AppStore } from '../../src/renderer/src/store/app';
import { advanceNextRuns, fromSnapshot } from '../../src/renderer/src/store/schedules';
import { visibleIds, visibleSchedules } from '../../src/renderer/src/store/select';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

function schedule(id: string, over: Partial<Schedule> = {}): Schedule {
  return {
    id,
    name: id,
    description: '',
    machine_id: 'mach_a',
    command: 'true',
    cron: '0 3 * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    next_run: null,
    last_run: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    ...POLICY_DEFAULTS,
    running: false,
    ...over,
  };
}

let n = 0;
function run(scheduleId: string, over: Partial<Run> = {}): Run {
  n++;
  return {
    id: `run_${n}`,
    command_id: `cmd_${n}`,
    schedule_id: scheduleId,
    started_at: `2026-01-02T00:00:${String(n % 60).padStart(2, '0')}Z`,
    finished_at: null,
    exit_code: null,
    duration: null,
    stdout: '',
    stderr: '',
    trigger: 'schedule',
    status: 'running',
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  };
}

const ended = (r: Run, status: Run['status'] = 'success'): Run => ({
  ...r,
  status,
  exit_code: status === 'success' ? 0 : 1,
  duration: 300,
  finished_at: r.started_at,
});

function fakeApi(schedules: Schedule[], over: Partial<AppApi> = {}): AppApi {
  const page = <T>(items: T[], q: { limit?: number; offset?: number } = {}) => {
    const limit = Number(q.limit ?? 20);
    const offset = Number(q.offset ?? 0);
    return Promise.resolve({
      data: items.slice(offset, offset + limit),
      meta: { total: items.length, limit, offset },
    });
  };
  return {
    list: (q) => page(schedules, q as { limit?: number; offset?: number }),
    listMachines: (q) =>
      page([{ id: 'mach_a', name: 'Laptop' }], q as { limit?: number; offset?: number }),
    getSettings: () => Promise.resolve(null as never),
    get: (id) => Promise.resolve(schedules.find((s) => s.id === id) as Schedule),
    subscribe: () => () => {},
    ...over,
  } as AppApi;
}

/** A store whose frames the test runs by hand. */
function manualStore(api: AppApi): { store: AppStore; frames: (() => void)[]; frame(): void } {
  const frames: (() => void)[] = [];
  const store = createAppStore(api, { frame: (apply) => frames.push(apply) });
  return { store, frames, frame: () => frames.splice(0).forEach((f) => f()) };
}

const byId = (store: AppStore, id: string) => store.getState().schedules.byId[id];

describe('UI store: loading', () => {
  it('loads every page of schedules', async () => {
    const all = Array.from({ length: 250 }, (_, i) => schedule(`sched_${i}`));
    const store = createAppStore(fakeApi(all));
    await store.getState().load();
    expect(store.getState().status).toBe('ready');
    expect(store.getState().schedules.order).toHaveLength(250);
  });

  it('shows a load error instead of an empty list; a refused token asks for the token', async () => {
    const store = createAppStore(
      fakeApi([], { list: () => Promise.reject(new ApiError('unauthorized', 'Invalid token')) }),
    );
    await store.getState().load();
    expect(store.getState()).toMatchObject({
      status: 'error',
      loadError: 'Invalid token',
      connection: 'unauthorized',
    });
  });

  it('replays events that came during a load over its snapshot', async () => {
    const a = schedule('sched_a');
    let answer: () => void = () => {};
    const gate = new Promise<void>((r) => (answer = r));
    const api = fakeApi([a], {
      list: async (q) => {
        await gate;
        return fakeApi([{ ...a, running: true }]).list(q);
      },
    });
    const { store, frame } = manualStore(api);
    const loading = store.getState().load();
    const r = run('sched_a');
    store.getState().receive({ type: 'run.started', run: r });
    store.getState().receive({ type: 'run.finished', run: ended(r) });
    frame();
    answer();
    await loading;
    // The snapshot was taken while it ran; the finish, though it came first, is newer.
    expect(byId(store, 'sched_a')?.running).toBe(false);
    expect(byId(store, 'sched_a')?.last_run?.status).toBe('success');
  });
});

describe('UI store: events', () => {
  it('applies a burst once per frame, and leaves nothing running that finished', async () => {
    const all = Array.from({ length: 120 }, (_, i) => schedule(`s${i}`));
    const { store, frames, frame } = manualStore(fakeApi(all));
    await store.getState().load();
    const renders = vi.fn();
    store.subscribe(renders);
    const runs = all.map((s) => run(s.id));
    for (const r of runs) store.getState().receive({ type: 'run.started', run: r });
    for (const r of runs)
      store.getState().receive({
        type: 'run.output',
        command_id: r.command_id,
        run_id: r.id,
        schedule_id: r.schedule_id,
        stream: 'stdout',
        offset: 0,
        chunk: 'x',
      });
    expect(frames).toHaveLength(1);
    frame();
    expect(renders).toHaveBeenCalledTimes(1);
    expect(all.every((s) => byId(store, s.id)?.running)).toBe(true);
    // They end in another order than they started.
    for (const r of [...runs].reverse()) {
      store.getState().receive({
        type: 'run.finished',
        run: ended(r, r.id.endsWith('3') ? 'failure' : 'success'),
      });
    }
    frame();
    expect(renders).toHaveBeenCalledTimes(2);
    const states = all.map((s) => byId(store, s.id));
    expect(states.filter((s) => s?.running)).toEqual([]);
    expect(states.every((s) => s?.last_run !== null)).toBe(true);
  });

  it('a skipped fire does not end the run that made it skip', async () => {
    const { store, frame } = manualStore(fakeApi([schedule('a')]));
    await store.getState().load();
    const r = run('a');
    store.getState().receive({ type: 'run.started', run: r });
    store.getState().receive({ type: 'run.finished', run: ended(run('a'), 'skipped') });
    frame();
    expect(byId(store, 'a')?.running).toBe(true);
    expect(byId(store, 'a')?.last_run).toBeNull();
  });

  it('with overlaps allowed, runs in progress are counted by command', async () => {
    const { store, frame } = manualStore(fakeApi([schedule('a', { overlap: 'allow' })]));
    await store.getState().load();
    const [r1, r2] = [run('a'), run('a')] as [Run, Run];
    store.getState().receive({ type: 'run.started', run: r1 });
    store.getState().receive({ type: 'run.started', run: r2 });
    store.getState().receive({ type: 'run.finished', run: ended(r1) });
    frame();
    expect(byId(store, 'a')?.running).toBe(true);
    store.getState().receive({ type: 'run.finished', run: ended(r2) });
    frame();
    expect(byId(store, 'a')?.running).toBe(false);
  });

  it('asks the server about runs it could not see start, and believes no older answer', async () => {
    const a = schedule('a', { overlap: 'allow', running: true });
    let reply: (s: Schedule) => void = () => {};
    const get = vi.fn(() => new Promise<Schedule>((r) => (reply = r)));
    const { store, frame } = manualStore(fakeApi([a], { get }));
    await store.getState().load();
    // One of two runs the page never saw start ends: the other may still be going.
    store.getState().receive({ type: 'run.finished', run: ended(run('a')) });
    frame();
    expect(get).toHaveBeenCalledWith('a');
    // A run starts while the answer is on its way: the answer's `running` is older.
    const r = run('a');
    store.getState().receive({ type: 'run.started', run: r });
    frame();
    reply({ ...a, running: false, next_run: '2026-02-01T03:00:00Z' });
    await Promise.resolve();
    expect(byId(store, 'a')).toMatchObject({ running: true, next_run: '2026-02-01T03:00:00Z' });
  });

  it('keeps last_run and stats current from run.finished, and follows deletes', async () => {
    const stats = { runs_24h: 1, failures_24h: 0, last_failure_at: null, recent: [] };
    const { store, frame } = manualStore(fakeApi([schedule('a', { stats })]));
    await store.getState().load();
    const r = run('a');
    store.getState().receive({ type: 'run.finished', run: ended(r, 'failure') });
    frame();
    expect(byId(store, 'a')?.last_run).toMatchObject({ status: 'failure', exit_code: 1 });
    expect(byId(store, 'a')?.stats).toMatchObject({ runs_24h: 2, failures_24h: 1 });
    store.getState().receive({ type: 'schedule.deleted', id: 'a' });
    frame();
    expect(store.getState().schedules.order).toEqual([]);
  });
});

describe('next runs', () => {
  it('move on to the next fire once they pass, as the server computes them', () => {
    const state = fromSnapshot([
      schedule('every-minute', { cron: '* * * * *', next_run: '2026-01-02T00:01:00Z' }),
      schedule('later', { cron: '0 3 * * *', next_run: '2026-01-02T03:00:00Z' }),
      schedule('off', { enabled: false, next_run: null }),
    ]);
    const now = Date.parse('2026-01-02T00:01:00.500Z');
    const next = advanceNextRuns(state, now);
    expect(next.byId['every-minute']?.next_run).toBe('2026-01-02T00:02:00Z');
    expect(next.byId.later).toBe(state.byId.later);
    expect(advanceNextRuns(next, now)).toBe(next);
  });
});

describe('list', () => {
  const schedules = [
    schedule('a', {
      name: 'Daily Backup',
      command: 'pg_dump db',
      next_run: '2026-01-03T00:00:00Z',
    }),
    schedule('b', {
      name: 'Weekly report',
      enabled: false,
      command: 'report.sh',
      last_run: { at: '2026-01-02T00:00:00Z', exit_code: 0, duration: 1, status: 'success' },
    }),
    schedule('c', {
      name: 'backup remote',
      machine_id: 'mach_b',
      command: 'rsync',
      next_run: '2026-01-02T00:00:00Z',
    }),
  ];
  const state = (filters: Partial<Parameters<typeof visibleSchedules>[0]['filters']>) => ({
    schedules: fromSnapshot(schedules),
    filters: {
      machineId: 'all',
      enabled: 'all' as const,
      search: '',
      sort: 'name' as const,
      lastRun: 'all' as const,
      ...filters,
    },
  });
  const ids = (filters: Parameters<typeof state>[0]) =>
    visibleSchedules(state(filters)).map((s) => s.id);

  it('filters by machine, enabled, and name or command', () => {
    expect(ids({ search: 'BACKUP' })).toEqual(['c', 'a']);
    expect(ids({ search: 'pg_dump' })).toEqual(['a']);
    expect(ids({ machineId: 'mach_a' })).toEqual(['a', 'b']);
    expect(ids({ enabled: 'disabled' })).toEqual(['b']);
  });

  it("filters to schedules whose last run failed (a failure summary's page)", () => {
    const last = (status: 'success' | 'timeout' | 'interrupted') => ({
      last_run: { at: '2026-01-02T00:00:00Z', exit_code: null, duration: 1, status },
    });
    const list = [
      schedule('ok', last('success')),
      schedule('slow', last('timeout')),
      schedule('never'),
      schedule('cut', last('interrupted')),
    ];
    const shown = visibleSchedules({
      schedules: fromSnapshot(list),
      filters: { machineId: 'all', enabled: 'all', search: '', sort: 'name', lastRun: 'failed' },
    });
    expect(shown.map((s) => s.id).sort()).toEqual(['cut', 'slow']);
    expect(ids({ lastRun: 'failed' })).toEqual([]);
  });

  it('sorts by name, next run (soonest first) and last run (newest first)', () => {
    expect(ids({ sort: 'name' })).toEqual(['c', 'a', 'b']);
    expect(ids({ sort: 'next' })).toEqual(['c', 'a', 'b']);
    expect(ids({ sort: 'last' })).toEqual(['b', 'c', 'a']);
  });

  it('gives the same array while the answer is the same', () => {
    const s = state({});
    const first = visibleIds(s);
    const changed = {
      ...s.schedules.byId,
      a: { ...s.schedules.byId.a, running: true } as Schedule,
    };
    expect(visibleIds({ ...s, schedules: { ...s.schedules, byId: changed } })).toBe(first);
  });
});

describe('actions', () => {
  it('Run now says so, with a link to the run', async () => {
    const store = createAppStore(
      fakeApi([schedule('a', { name: 'Backup' })], {
        runNow: async () => ({ command_id: 'cmd_9', status: 'running' }),
      }),
    );
    await store.getState().load();
    expect(await store.getState().runNow('a')).toBe('cmd_9');
    expect(store.getState().toast).toMatchObject({
      kind: 'info',
      message: 'Started “Backup”',
      link: { label: 'View run', href: '#/runs/cmd_9' },
    });
  });

  it('cancels the waiting retry of a schedule through its failed command', async () => {
    const waiting = schedule('sched_r', {
      next_retry_at: '2026-01-01T00:01:00Z',
      retry_command_id: 'cmd_failed',
    });
    const after = schedule('sched_r', { next_retry_at: null, retry_command_id: null });
    const cancelCommand = vi.fn(() => Promise.resolve({ cancelled: true as const }));
    const get = vi.fn(() => Promise.resolve(after));
    const { store } = manualStore(fakeApi([waiting], { cancelCommand, get }));
    await store.getState().load();
    await store.getState().cancelRetry('sched_r');
    expect(cancelCommand).toHaveBeenCalledWith('cmd_failed');
    await vi.waitFor(() =>
      expect(store.getState().schedules.byId.sched_r?.next_retry_at).toBeNull(),
    );
  });

  it('turns a failed run-now into an error toast', async () => {
    const store = createAppStore(
      fakeApi([], {
        runNow: () => Promise.reject(new ApiError('conflict', 'Schedule x is already running')),
      }),
    );
    expect(await store.getState().runNow('sched_x')).toBeNull();
    expect(store.getState().toast).toMatchObject({
      kind: 'error',
      message: 'Schedule x is already running',
    });
  });
});

// Keeps the type of the events above honest.
export type { ApiEvent };
