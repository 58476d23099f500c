// The UI store: events keep it current without polling; filters; errors become toasts.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import type { Run, Schedule } from '../../src/shared/types';
import type { AppApi } from '../../src/renderer/src/api/types';
import { createAppStore, visibleSchedules } from '../../src/renderer/src/store/app';
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
    listMachines: (q) => page([], q as { limit?: number; offset?: number }),
    getSettings: () => Promise.resolve(null as never),
    get: (id) => Promise.resolve(schedules.find((s) => s.id === id) as Schedule),
    subscribe: () => () => {},
    ...over,
  } as AppApi;
}

describe('UI store', () => {
  it('loads every page of schedules', async () => {
    const all = Array.from({ length: 250 }, (_, i) => schedule(`sched_${i}`));
    const store = createAppStore(fakeApi(all));
    await store.getState().load();
    expect(store.getState().status).toBe('ready');
    expect(store.getState().schedules).toHaveLength(250);
  });

  it('shows a load error instead of an empty list', async () => {
    const store = createAppStore(
      fakeApi([], {
        list: () => Promise.reject(new ApiError('unauthorized', 'Invalid token')),
      }),
    );
    await store.getState().load();
    expect(store.getState()).toMatchObject({ status: 'error', loadError: 'Invalid token' });
  });

  it('applies schedule and run events, then refreshes the schedule from the server', async () => {
    vi.useFakeTimers();
    const fresh = schedule('sched_a', {
      last_run: { at: 'x', exit_code: 0, duration: 1, status: 'success' },
    });
    const store = createAppStore(fakeApi([fresh]));
    store.getState().applyEvent({ type: 'schedule.created', schedule: schedule('sched_a') });
    expect(store.getState().schedules.map((s) => s.id)).toEqual(['sched_a']);
    const run = { schedule_id: 'sched_a', command_id: 'cmd_1' } as Run;
    store.getState().applyEvent({ type: 'run.started', run });
    expect(store.getState().schedules[0]?.running).toBe(true);
    store.getState().applyEvent({ type: 'run.finished', run });
    await vi.advanceTimersByTimeAsync(300);
    expect(store.getState().schedules[0]?.last_run?.status).toBe('success');
    store.getState().navigate({ name: 'history', scheduleId: 'sched_a' });
    store.getState().applyEvent({ type: 'schedule.deleted', id: 'sched_a' });
    expect(store.getState().schedules).toEqual([]);
    expect(store.getState().view).toEqual({ name: 'schedules' });
    vi.useRealTimers();
  });

  it('filters by machine, enabled and name', () => {
    const schedules = [
      schedule('a', { name: 'Daily Backup' }),
      schedule('b', { name: 'Weekly report', enabled: false }),
      schedule('c', { name: 'backup remote', machine_id: 'mach_b' }),
    ];
    const names = (filters: Parameters<typeof visibleSchedules>[0]['filters']) =>
      visibleSchedules({ schedules, filters }).map((s) => s.id);
    expect(names({ machineId: 'all', enabled: 'all', search: 'BACKUP' })).toEqual(['a', 'c']);
    expect(names({ machineId: 'mach_a', enabled: 'all', search: '' })).toEqual(['a', 'b']);
    expect(names({ machineId: 'all', enabled: 'disabled', search: '' })).toEqual(['b']);
  });

  it('cancels the waiting retry of a schedule through its failed command', async () => {
    vi.useFakeTimers();
    const waiting = schedule('sched_r', {
      next_retry_at: '2026-01-01T00:01:00Z',
      retry_command_id: 'cmd_failed',
    });
    const after = schedule('sched_r', { next_retry_at: null, retry_command_id: null });
    const cancelCommand = vi.fn(() => Promise.resolve({ cancelled: true as const }));
    const store = createAppStore(fakeApi([after], { cancelCommand }));
    store.getState().applyEvent({ type: 'schedule.created', schedule: waiting });
    await store.getState().cancelRetry('sched_r');
    expect(cancelCommand).toHaveBeenCalledWith('cmd_failed');
    await vi.advanceTimersByTimeAsync(300);
    expect(store.getState().schedules[0]?.next_retry_at).toBeNull();
    vi.useRealTimers();
  });

  it('turns a failed run-now into an error toast', async () => {
    const store = createAppStore(
      fakeApi([], {
        runNow: () => Promise.reject(new ApiError('conflict', 'Schedule x is already running')),
      }),
    );
    await store.getState().runNow('sched_x');
    expect(store.getState().toast).toMatchObject({
      kind: 'error',
      message: 'Schedule x is already running',
    });
  });
});
