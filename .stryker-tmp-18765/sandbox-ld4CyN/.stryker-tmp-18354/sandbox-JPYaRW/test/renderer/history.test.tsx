// @ts-nocheck
// 
// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../src/shared/events';
import type { HistoryQueryInput } from '../../src/shared/schemas';
import type { ListResult, Run, RunStatus, Schedule } from '../../src/shared/types';
import type { AppApi } from '../../src/renderer/src/api/types';
import { StatusBadge } from '../../src/renderer/src/components/StatusBadge';
import {
  formatDuration,
  formatLocal,
  formatRelative,
  localInputToIso,
} from '../../src/renderer/src/components/format';
import { forgetAll } from '../../src/renderer/src/components/useScrollMemory';
import { HistoryView, ROW_HEIGHT } from '../../src/renderer/src/views/history/HistoryView';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

const BASE = Date.parse('2024-11-29T18:30:05Z');
const NOW = BASE + 60_000;
const VIEWPORT = 440; // ten rows

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function makeRun(i: number, scheduleId = 'sched_1', over: Partial<Run> = {}): Run {
  const status: RunStatus = i % 10 === 3 ? 'failure' : 'success';
  const started = BASE - i * 60_000;
  return {
    id: `run_${i}`,
    command_id: `cmd_${i}`,
    schedule_id: scheduleId,
    started_at: iso(started),
    finished_at: iso(started + 2300),
    duration: 2300,
    exit_code: status === 'failure' ? 1 : 0,
    stdout: '',
    stderr: '',
    trigger: i % 7 === 5 ? 'manual' : 'schedule',
    status,
    scheduled_for: iso(started),
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
    ...over,
  };
}

const schedule: Schedule = {
  id: 'sched_1',
  name: 'Nightly backup',
  description: '',
  machine_id: 'mach_1',
  command: 'backup.sh',
  cron: '* * * * *',
  enabled: true,
  timezone: 'UTC',
  timeout: null,
  notify: { on_success: false, on_failure: true },
  next_run: null,
  last_run: null,
  created_at: iso(BASE - 1e9),
  updated_at: iso(BASE - 1e9),
  cwd: null,
  env: {},
  overlap: 'skip',
  catch_up: false,
  ...POLICY_DEFAULTS,
};

/** Views take the whole AppApi; the fakes implement only what the view under test calls. */
function asApi(partial: Partial<AppApi>): AppApi {
  return partial as AppApi;
}

function fakeApi(runs: Run[]) {
  const listeners = new Set<(event: ApiEvent) => void>();
  const history = vi.fn(
    async (_id: string, q: HistoryQueryInput = {}): Promise<ListResult<Run>> => {
      let rows = runs;
      if (q.status) rows = rows.filter((r) => r.status === q.status);
      if (q.since) {
        const since = Date.parse(q.since);
        rows = rows.filter((r) => Date.parse(r.started_at) >= since);
      }
      const offset = Number(q.offset ?? 0);
      const limit = Number(q.limit ?? 20);
      return {
        data: rows.slice(offset, offset + limit),
        meta: { total: rows.length, limit, offset },
      };
    },
  );
  const subscribe = vi.fn((listener: (event: ApiEvent) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const emit = (event: ApiEvent) => act(() => listeners.forEach((l) => l(event)));
  return { api: asApi({ history, subscribe }), history, subscribe, listeners, emit };
}

function renderHistory(runs: Run[], sched: Schedule = schedule) {
  const fake = fakeApi(runs);
  const view = render(<HistoryView api={fake.api} schedule={sched} now={NOW} />);
  return { ...fake, view };
}

/** The rows: links to their runs, named by what they show. */
const runRows = () =>
  screen
    .queryAllByRole('link')
    .filter((a) => a.getAttribute('href')?.startsWith('#/runs/')) as HTMLAnchorElement[];

beforeEach(() => {
  // happy-dom does no layout, so every element is 0×0 and the virtualizer would show
  // nothing. The virtualizer sizes its viewport from the scroll element's clientHeight and
  // clientWidth (rows have a fixed size and are never measured), so only the scroll
  // container gets a size; everything else keeps happy-dom's 0.
  const sized = (size: number) =>
    function (this: HTMLElement) {
      return this.classList.contains('history-scroll') ? size : 0;
    };
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(sized(VIEWPORT));
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(sized(800));
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  forgetAll();
});

describe('HistoryView', () => {
  const many = Array.from({ length: 10_000 }, (_, i) => makeRun(i));

  it('shows the newest runs first and renders only a window of the 10,000 rows', async () => {
    const { history } = renderHistory(many);
    expect(
      screen.getByRole('heading', { name: 'History of Nightly backup', level: 1 }),
    ).toBeTruthy();
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));

    expect(history).toHaveBeenCalledTimes(1);
    expect(history).toHaveBeenCalledWith('sched_1', { limit: 100, offset: 0 });

    // The 10 rows that fit in the viewport plus the overscan, out of 10,000.
    const rows = runRows();
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThan(50);
    expect(document.querySelectorAll('[role="listitem"]').length).toBeLessThan(50);
    // No aria-label: a row's name is the text it shows, status first.
    expect(rows[0].getAttribute('aria-label')).toBeNull();
    expect(rows[0].textContent).toContain(formatLocal(many[0].started_at, NOW));
    expect(rows[0].textContent).toContain('2.3 s');
    expect(rows[0].getAttribute('href')).toBe('#/runs/cmd_0');
    expect(rows[3].textContent).toMatch(/^✗Failed · exit 1/);
    // Newest first: each row started after the next one.
    const starts = rows.map((r) => within(r).getByTitle(/Z$/).getAttribute('title') ?? '');
    expect(starts).toEqual([...starts].sort().reverse());
    expect(screen.getByRole('list', { name: 'Runs' })).toBeTruthy();
    expect(screen.getByText('10000 runs')).toBeTruthy();
  });

  it('fetches the next page at offset 100 when scrolled to it', async () => {
    const { history } = renderHistory(many);
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));
    const scroller = screen.getByTestId('history-scroll');

    scroller.scrollTop = 150 * ROW_HEIGHT;
    fireEvent.scroll(scroller);

    await waitFor(() =>
      expect(history).toHaveBeenCalledWith('sched_1', { limit: 100, offset: 100 }),
    );
    const rowOf = (i: number) =>
      runRows().find((a) => a.getAttribute('href') === `#/runs/cmd_${i}`);
    await waitFor(() => expect(rowOf(150)).toBeTruthy());
    // The window moved: the first rows are gone from the DOM, still only a window is there.
    expect(rowOf(0)).toBeUndefined();
    expect(runRows().length).toBeLessThan(50);
    // Page 0 is not fetched again, and no page is fetched twice.
    const offsets = history.mock.calls.map(([, q]) => q?.offset);
    expect(offsets).toEqual([0, 100]);
  });

  it('links each row to its run and the page up to the schedules', async () => {
    renderHistory(many);
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));
    expect(runRows()[1]?.getAttribute('href')).toBe('#/runs/cmd_1');
    expect(screen.getByRole('link', { name: '← Schedules' }).getAttribute('href')).toBe(
      '#/schedules',
    );
  });

  it('names what runs, and shows the success rate and durations of recent runs', () => {
    const stats = {
      runs_24h: 4,
      failures_24h: 1,
      last_failure_at: iso(BASE),
      recent: [
        { at: iso(BASE), status: 'failure' as const, duration: 4000 },
        { at: iso(BASE - 1), status: 'success' as const, duration: 1000 },
        { at: iso(BASE - 2), status: 'success' as const, duration: 2000 },
        { at: iso(BASE - 3), status: 'success' as const, duration: 1500 },
      ],
    };
    renderHistory([], { ...schedule, stats });
    expect(screen.getByText('backup.sh')).toBeTruthy();
    expect(
      screen.getByRole('img', {
        name: '3 of the last 4 runs succeeded (75%); took 1.0 s to 4.0 s',
      }),
    ).toBeTruthy();
    expect(screen.getByText('4 runs in 24 h, 1 failed')).toBeTruthy();
  });

  it('reloads from offset 0 with the status filter', async () => {
    const user = userEvent.setup();
    const { history } = renderHistory(many);
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));

    await user.selectOptions(screen.getByLabelText('Status'), 'Failure');
    await waitFor(() =>
      expect(history).toHaveBeenLastCalledWith('sched_1', {
        limit: 100,
        offset: 0,
        status: 'failure',
      }),
    );
    await waitFor(() => expect(screen.getByText('1000 runs')).toBeTruthy());
    for (const row of runRows()) expect(row.textContent).toContain('Failed');

    await user.selectOptions(screen.getByLabelText('Status'), 'Timeout');
    expect(await screen.findByText('No runs match these filters')).toBeTruthy();
    expect(runRows()).toHaveLength(0);
  });

  it('opened again (Back from a run), keeps its filter and scroll position', async () => {
    const user = userEvent.setup();
    const first = renderHistory(many);
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));
    await user.selectOptions(screen.getByLabelText('Status'), 'Failure');
    await waitFor(() => expect(screen.getByText('1000 runs')).toBeTruthy());
    const scroller = screen.getByTestId('history-scroll');
    scroller.scrollTop = 30 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    first.view.unmount();

    const again = renderHistory(many);
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('failure');
    await waitFor(() => expect(screen.getByText('1000 runs')).toBeTruthy());
    expect(screen.getByTestId('history-scroll').scrollTop).toBe(30 * ROW_HEIGHT);
    expect(again.history).toHaveBeenCalledWith('sched_1', {
      limit: 100,
      offset: 0,
      status: 'failure',
    });
  });

  it('sends Since as a UTC timestamp', async () => {
    const { history } = renderHistory(many);
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));
    const local = '2024-11-29T18:00';
    fireEvent.change(screen.getByLabelText('Since'), { target: { value: local } });
    const expected = localInputToIso(local);
    expect(expected).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    expect(Date.parse(expected ?? '')).toBe(new Date(2024, 10, 29, 18, 0).getTime());
    await waitFor(() =>
      expect(history).toHaveBeenLastCalledWith('sched_1', {
        limit: 100,
        offset: 0,
        since: expected,
      }),
    );
  });

  it('reloads the first page when a run of this schedule starts or finishes', async () => {
    const runs = many.slice(0, 300);
    const { history, emit } = renderHistory(runs);
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));
    expect(history).toHaveBeenCalledTimes(1);

    // Another schedule's run: nothing to do.
    emit({ type: 'run.finished', run: makeRun(0, 'sched_other') });
    expect(history).toHaveBeenCalledTimes(1);

    const fresh = makeRun(-1, 'sched_1', {
      status: 'running',
      finished_at: null,
      duration: null,
      exit_code: null,
    });
    runs.unshift(fresh);
    emit({ type: 'run.started', run: fresh });
    await waitFor(() => expect(runRows()[0]?.textContent).toContain('Running'));
    expect(history).toHaveBeenCalledTimes(2);
    expect(history).toHaveBeenLastCalledWith('sched_1', { limit: 100, offset: 0 });
    expect(screen.getByText('301 runs')).toBeTruthy();

    const done = {
      ...fresh,
      status: 'success' as const,
      exit_code: 0,
      duration: 900,
      finished_at: fresh.started_at,
    };
    runs[0] = done;
    emit({ type: 'run.finished', run: done });
    await waitFor(() => expect(runRows()[0]?.textContent).toMatch(/^✓Success.*900 ms/));
    expect(history).toHaveBeenCalledTimes(3);
  });

  it('coalesces a burst of events into one more request', async () => {
    const { history, emit } = renderHistory(many.slice(0, 10));
    await waitFor(() => expect(runRows().length).toBe(10));
    for (let i = 0; i < 5; i++) emit({ type: 'run.finished', run: makeRun(i) });
    await waitFor(() => expect(history).toHaveBeenCalledTimes(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(history).toHaveBeenCalledTimes(3);
  });

  it('says when there are no runs yet, and unsubscribes when closed', async () => {
    const { listeners, view } = renderHistory([]);
    expect(await screen.findByText('No runs yet')).toBeTruthy();
    expect(listeners.size).toBe(1);
    view.unmount();
    expect(listeners.size).toBe(0);
  });

  it('shows a load error with a retry', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(many);
    const real = fake.history.getMockImplementation();
    fake.history.mockRejectedValueOnce(new Error('connection refused'));
    render(<HistoryView api={fake.api} schedule={schedule} />);
    expect((await screen.findByRole('alert')).textContent).toContain('connection refused');
    if (real) fake.history.mockImplementation(real);
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(runRows().length).toBeGreaterThan(0));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('StatusBadge', () => {
  it('names the status and the exit code of a failure', () => {
    render(<StatusBadge status="failure" exitCode={1} />);
    const badge = screen.getByRole('img', { name: 'Failed, exit 1' });
    expect(badge.textContent).toContain('✗');
    expect(badge.textContent).toContain('exit 1');
    expect(badge.className).toContain('status-failure');
  });

  it.each([
    ['running', 'Running'],
    ['success', 'Success'],
    ['timeout', 'Timed out'],
    ['cancelled', 'Cancelled'],
    ['interrupted', 'Interrupted'],
    ['skipped', 'Skipped'],
  ] as const)('labels %s as %s', (status, label) => {
    render(<StatusBadge status={status} exitCode={0} />);
    expect(screen.getByRole('img', { name: label })).toBeTruthy();
  });
});

describe('format', () => {
  it('formats durations at a size that fits', () => {
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(2300)).toBe('2.3 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(59_970)).toBe('1 min');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(null)).toBe('—');
  });

  it('formats local times and relative times', () => {
    const local = new Date(2024, 10, 29, 18, 30, 5);
    expect(formatLocal(local.toISOString(), local.getTime())).toMatch(/Nov 29.*18:30:05/);
    expect(formatLocal(local.toISOString(), Date.parse('2025-06-01T00:00:00Z'))).toMatch(/2024/);
    expect(formatRelative(iso(NOW + 5 * 60_000), NOW)).toBe('in 5 min');
    expect(formatRelative(iso(NOW - 3 * 3_600_000), NOW)).toBe('3 h ago');
    expect(formatRelative(iso(NOW - 30_000), NOW)).toBe('30 s ago');
  });
});
