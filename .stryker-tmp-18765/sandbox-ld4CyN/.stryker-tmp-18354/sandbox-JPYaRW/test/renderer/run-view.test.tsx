// @ts-nocheck
// 
// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toCommand } from '../../src/shared/cmdop-command';
import { ApiError } from '../../src/shared/errors';
import type { ApiEvent } from '../../src/shared/events';
import type { Run, Schedule } from '../../src/shared/types';
import type { AppApi } from '../../src/renderer/src/api/types';
import { RunView } from '../../src/renderer/src/views/run/RunView';
import { POLL_MS } from '../../src/renderer/src/views/run/useRunOutput';
import { splitBlocks } from '../../src/renderer/src/views/run/OutputBlock';

function makeRun(over: Partial<Run> = {}): Run {
  return {
    id: 'run_abc',
    command_id: 'cmd_abc',
    schedule_id: 'sched_1',
    started_at: '2024-11-29T18:30:05Z',
    finished_at: '2024-11-29T18:30:07Z',
    duration: 2300,
    exit_code: 0,
    stdout: 'hello\n',
    stderr: 'warning: low disk\n',
    trigger: 'manual',
    status: 'success',
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

/** A run in progress as the server reads it by command: output so far, and where it ends. */
const runningRun = (stdout = '', stderr = '') =>
  makeRun({
    status: 'running',
    finished_at: null,
    duration: null,
    exit_code: null,
    stdout,
    stderr,
    output_length: { stdout: stdout.length, stderr: stderr.length },
  });

/** Views take the whole AppApi; the fakes implement only what the view under test calls. */
function asApi(partial: Partial<AppApi>): AppApi {
  return partial as AppApi;
}

function fakeApi(run: Run) {
  const listeners = new Set<(event: ApiEvent) => void>();
  const getCommand = vi.fn(async (_id: string): Promise<Run> => run);
  const cancelCommand = vi.fn(async (_id: string): Promise<{ cancelled: true }> => ({
    cancelled: true,
  }));
  const subscribe = vi.fn((listener: (event: ApiEvent) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const emit = (event: ApiEvent) => act(() => listeners.forEach((l) => l(event)));
  return {
    // The server answers Cmdop's command shape; the fakes below speak in runs.
    api: asApi({
      getCommand: async (id: string) => toCommand(await getCommand(id), 'mach_test', null),
      cancelCommand,
      subscribe,
    }),
    getCommand,
    cancelCommand,
    emit,
    listeners,
  };
}

const SCHEDULE = {
  id: 'sched_1',
  name: 'Nightly backup',
  command: 'backup.sh --all',
  overlap: 'skip',
} as Schedule;

function output(
  stream: 'stdout' | 'stderr',
  chunk: string,
  offset: number,
  commandId = 'cmd_abc',
): ApiEvent {
  return {
    type: 'run.output',
    command_id: commandId,
    run_id: 'run_abc',
    schedule_id: 'sched_1',
    stream,
    offset,
    chunk,
  };
}

function pre(heading: string): HTMLElement {
  const section = screen.getByRole('heading', { name: heading }).closest('section');
  const block = section?.querySelector('pre');
  if (!block) throw new Error(`no <pre> under ${heading}`);
  return block;
}

function setClipboard(value: Partial<Clipboard> | undefined) {
  Object.defineProperty(window.navigator, 'clipboard', { value, configurable: true });
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('RunView', () => {
  it('shows the run, its output and its errors', async () => {
    const fake = fakeApi(makeRun({ stdout: 'hello \u001b[32mgreen\u001b[0m\n' }));
    render(<RunView api={fake.api} commandId="cmd_abc" scheduleOf={() => SCHEDULE} />);

    expect(
      await screen.findByRole('heading', { name: 'Run of Nightly backup', level: 1 }),
    ).toBeTruthy();
    expect(screen.getByText('backup.sh --all')).toBeTruthy();
    expect(fake.getCommand).toHaveBeenCalledWith('cmd_abc');
    expect(pre('Output').textContent).toBe('hello green\n');
    expect(pre('Output').querySelector('span')?.style.color).not.toBe('');
    expect(pre('Errors').textContent).toBe('warning: low disk\n');
    expect(screen.getByRole('img', { name: 'Success' })).toBeTruthy();
    expect(screen.getByText('Manual')).toBeTruthy();
    expect(screen.getByText('2.3 s')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    expect(screen.queryByText(/truncated/)).toBeNull();
    expect(screen.getByRole('link', { name: '← History' }).getAttribute('href')).toBe(
      '#/schedules/sched_1/history',
    );
  });

  it('shows an ad-hoc command (POST /v1/commands, exec): its command line, no schedule, no history link', async () => {
    const fake = fakeApi(
      makeRun({
        schedule_id: 'adhoc',
        command: 'ls -la /var/log',
        exit_code: 2,
        status: 'failure',
      }),
    );
    render(
      <RunView
        api={fake.api}
        commandId="cmd_abc"
        scheduleOf={() => undefined}
        onRunAgain={async () => null}
      />,
    );
    expect(
      await screen.findByRole('heading', { name: 'Run of an ad-hoc command', level: 1 }),
    ).toBeTruthy();
    expect(screen.getByText('ls -la /var/log')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Failed, exit 2' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: '← History' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Run again' })).toBeNull();
    expect(screen.queryByText(/no longer exists/)).toBeNull();
  });

  it('copies output and errors to the clipboard', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async (_text: string) => {});
    setClipboard({ writeText });
    const fake = fakeApi(makeRun());
    render(<RunView api={fake.api} commandId="cmd_abc" />);

    await user.click(await screen.findByRole('button', { name: 'Copy output' }));
    expect(writeText).toHaveBeenCalledWith('hello\n');
    expect(await screen.findByText('Copied')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Copy errors' }));
    expect(writeText).toHaveBeenLastCalledWith('warning: low disk\n');
  });

  it('says so when there is no clipboard', async () => {
    const user = userEvent.setup();
    setClipboard(undefined);
    const fake = fakeApi(makeRun());
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    await user.click(await screen.findByRole('button', { name: 'Copy output' }));
    expect(await screen.findByText(/Copying is not available/)).toBeTruthy();
  });

  it('notes truncated output and sets the dropped marker apart', async () => {
    const fake = fakeApi(
      makeRun({ truncated: true, stdout: 'head\n[… 123 bytes dropped …]\ntail\n' }),
    );
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    expect(await screen.findByText('Output was truncated: the middle was dropped')).toBeTruthy();
    const marker = pre('Output').querySelector('.output-marker');
    expect(marker?.textContent).toBe('[… 123 bytes dropped …]');
    expect(pre('Output').textContent).toBe('head\n[… 123 bytes dropped …]\ntail\n');
  });

  it('appends live output of this command while it runs, then shows the final run', async () => {
    const fake = fakeApi(runningRun());
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    expect(await screen.findByRole('button', { name: 'Cancel run' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Running' })).toBeTruthy();

    fake.emit(output('stdout', 'line 1\n', 0));
    fake.emit(output('stdout', '\u001b[31mline 2\u001b[0m\n', 7));
    fake.emit(output('stderr', 'oops\n', 0));
    fake.emit(output('stdout', 'someone else\n', 0, 'cmd_other'));
    await waitFor(() => expect(pre('Output').textContent).toBe('line 1\nline 2\n'));
    expect(pre('Errors').textContent).toBe('oops\n');

    const final = makeRun({
      stdout: 'line 1\nline 2\nline 3\n',
      stderr: '',
      exit_code: 3,
      status: 'failure',
    });
    fake.emit({ type: 'run.finished', run: final });
    await waitFor(() => expect(pre('Output').textContent).toBe('line 1\nline 2\nline 3\n'));
    expect(screen.getByText('Nothing on stderr')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Failed, exit 3' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();

    // Output events after the end do not reach the final view.
    fake.emit(output('stdout', 'late\n', 22));
    expect(pre('Output').textContent).toBe('line 1\nline 2\nline 3\n');
  });

  it('keeps live output that arrives before the run has loaded', async () => {
    const fake = fakeApi(runningRun());
    let answer: (run: Run) => void = () => {};
    fake.getCommand.mockImplementationOnce(() => new Promise<Run>((r) => (answer = r)));
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    fake.emit(output('stdout', 'early\n', 0));
    await act(async () => answer(runningRun()));
    await waitFor(() => expect(pre('Output').textContent).toBe('early\n'));
  });

  it('ignores a stale running answer after run.finished', async () => {
    const fake = fakeApi(runningRun());
    let answer: (run: Run) => void = () => {};
    fake.getCommand.mockImplementationOnce(() => new Promise<Run>((r) => (answer = r)));
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    fake.emit({ type: 'run.finished', run: makeRun() });
    await act(async () => answer(runningRun()));
    expect(screen.getByRole('img', { name: 'Success' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
  });

  it('cancels the run, disabling the button while the request is pending', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(runningRun());
    let done: () => void = () => {};
    fake.cancelCommand.mockImplementationOnce(
      () => new Promise((r) => (done = () => r({ cancelled: true }))),
    );
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    const button = await screen.findByRole('button', { name: 'Cancel run' });
    await user.click(button);
    expect(fake.cancelCommand).toHaveBeenCalledWith('cmd_abc');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await act(async () => done());
    expect(await screen.findByText(/Cancel requested/)).toBeTruthy();

    fake.emit({
      type: 'run.finished',
      run: makeRun({ status: 'cancelled', exit_code: null, signal: 'SIGTERM' }),
    });
    expect(await screen.findByRole('img', { name: 'Cancelled' })).toBeTruthy();
    expect(screen.getByText('SIGTERM')).toBeTruthy();
  });

  it('shows the API error of a refused cancel and lets the user try again', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(runningRun());
    fake.cancelCommand.mockRejectedValueOnce(
      new ApiError('conflict', 'Command cmd_abc cannot be cancelled right now'),
    );
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    const button = await screen.findByRole('button', { name: 'Cancel run' });
    await user.click(button);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Command cmd_abc cannot be cancelled right now');
    expect((button as HTMLButtonElement).disabled).toBe(false);
  });

  it('on 409 not_running, shows the error and loads how the run ended', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(runningRun());
    fake.cancelCommand.mockRejectedValueOnce(
      new ApiError('not_running', 'Command cmd_abc is not running (it ended: success)', {
        status: 'success',
      }),
    );
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    const button = await screen.findByRole('button', { name: 'Cancel run' });
    fake.getCommand.mockResolvedValueOnce(makeRun());
    await user.click(button);
    expect((await screen.findByRole('alert')).textContent).toContain('is not running');
    expect(await screen.findByRole('img', { name: 'Success' })).toBeTruthy();
    expect(fake.getCommand).toHaveBeenCalledTimes(2);
  });

  it('shows a load error', async () => {
    const fake = fakeApi(makeRun());
    fake.getCommand.mockRejectedValueOnce(ApiError.notFound('Command', 'cmd_zzz'));
    render(<RunView api={fake.api} commandId="cmd_zzz" />);
    expect((await screen.findByRole('alert')).textContent).toContain('Command cmd_zzz not found');
  });

  it('unsubscribes when closed', async () => {
    const fake = fakeApi(runningRun());
    const { unmount } = render(<RunView api={fake.api} commandId="cmd_abc" />);
    await screen.findByRole('button', { name: 'Cancel run' });
    // Its output, and the alerts it sends (which keep coming after it ends).
    expect(fake.listeners.size).toBe(2);
    unmount();
    expect(fake.listeners.size).toBe(0);
  });

  it('opened late, shows the run from its first line and appends only what is new', async () => {
    // The page subscribed when line 5 was going by; the server's log has lines 1-4 and part
    // of 5 already.
    const soFar = 'line 1\nline 2\nline 3\nline 4\nli';
    const fake = fakeApi(runningRun(soFar));
    let answer: (run: Run) => void = () => {};
    fake.getCommand.mockImplementationOnce(() => new Promise<Run>((r) => (answer = r)));
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    fake.emit(output('stdout', 'line 4\nli', 21)); // already in the answer
    fake.emit(output('stdout', 'ne 5\n', 30)); // half in it
    await act(async () => answer(runningRun(soFar)));
    await waitFor(() =>
      expect(pre('Output').textContent).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n'),
    );
    fake.emit(output('stdout', 'line 6\n', 35));
    await waitFor(() => expect(pre('Output').textContent).toMatch(/line 5\nline 6\n$/));
  });

  it('a jump in the offsets (output not sent live) reads the log again', async () => {
    const fake = fakeApi(runningRun('start\n'));
    render(<RunView api={fake.api} commandId="cmd_abc" />);
    await waitFor(() => expect(pre('Output').textContent).toBe('start\n'));
    const full = 'start\n' + 'x'.repeat(100) + '\nmore\n';
    fake.getCommand.mockResolvedValueOnce(runningRun(full));
    fake.emit(output('stdout', 'more\n', 107));
    await waitFor(() => expect(pre('Output').textContent).toBe(full));
    expect(fake.getCommand).toHaveBeenCalledTimes(2);
    fake.emit(output('stdout', 'end\n', full.length));
    await waitFor(() => expect(pre('Output').textContent).toBe(full + 'end\n'));
  });

  it('asks again every few seconds for a run that sends no offsets (a remote machine)', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const remote = { ...runningRun('one\n') };
      delete remote.output_length;
      const fake = fakeApi(remote);
      render(<RunView api={fake.api} commandId="cmd_abc" />);
      await waitFor(() => expect(pre('Output').textContent).toBe('one\n'));
      fake.getCommand.mockResolvedValueOnce({ ...remote, stdout: 'one\ntwo\n' });
      await act(async () => vi.advanceTimersByTimeAsync(POLL_MS));
      await waitFor(() => expect(pre('Output').textContent).toBe('one\ntwo\n'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers Run again, which starts the schedule and opens the new run', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(makeRun());
    const onRunAgain = vi.fn(async () => 'cmd_next');
    render(
      <RunView
        api={fake.api}
        commandId="cmd_abc"
        scheduleOf={() => SCHEDULE}
        onRunAgain={onRunAgain}
      />,
    );
    await user.click(await screen.findByRole('button', { name: 'Run again' }));
    expect(onRunAgain).toHaveBeenCalledWith('sched_1');
    await waitFor(() => expect(window.location.hash).toBe('#/runs/cmd_next'));
    window.history.replaceState(null, '', '/');
  });
});

describe('RunView: alerts', () => {
  it('marks a run going long, and lists the alerts sent as they are answered', async () => {
    const start = {
      channel: 'ping' as const,
      event: 'start',
      url: 'https://hc-ping.com/…/start',
      at: '2024-11-29T18:30:05Z',
      attempts: 1,
      ok: true,
      status_code: 200,
      error: null,
    };
    const fake = fakeApi({ ...runningRun('working\n'), deliveries: [start] });
    render(<RunView api={fake.api} commandId="cmd_abc" scheduleOf={() => SCHEDULE} />);
    expect(await screen.findByText('Alerts sent')).toBeTruthy();
    expect(screen.getByText('start ping')).toBeTruthy();
    expect(screen.queryByText(/^Running long: past twice/)).toBeNull();

    fake.emit({
      type: 'run.stuck',
      run: { ...runningRun('working\n'), stuck_at: '2024-11-29T18:40:05Z' },
      running_for: 600_000,
      usual: 240_000,
    });
    expect(await screen.findByText(/^Running long: past twice this schedule/)).toBeTruthy();
    expect(
      screen.getByRole('img', { name: 'Running long: past twice its usual duration' }),
    ).toBeTruthy();
    fake.emit({
      type: 'run.delivery',
      command_id: 'cmd_abc',
      schedule_id: 'sched_1',
      delivery: {
        ...start,
        channel: 'webhook',
        event: 'run.stuck',
        url: 'https://hooks.slack.com/…',
        at: '2024-11-29T18:40:06Z',
        ok: false,
        attempts: 3,
        status_code: 500,
        error: 'HTTP 500: oops',
      },
    });
    expect(await screen.findByText('Not delivered after 3 attempts: HTTP 500: oops')).toBeTruthy();
    // It ends: no longer running long; what was sent stays listed (the event carries none).
    fake.emit({ type: 'run.finished', run: makeRun({ status: 'failure', exit_code: 1 }) });
    await waitFor(() => expect(screen.queryByText(/^Running long/)).toBeNull());
    expect(screen.getByText('start ping')).toBeTruthy();
    expect(screen.getByText('webhook: running long')).toBeTruthy();
  });
});

describe('splitBlocks', () => {
  it('cuts at line ends, and earlier blocks stay the same as text is appended', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const blocks = splitBlocks(text, 40);
    expect(blocks.join('')).toBe(text);
    expect(blocks.every((b, i) => i === blocks.length - 1 || b.endsWith('\n'))).toBe(true);
    const more = splitBlocks(text + 'line 50\nline 51\n', 40);
    expect(more.slice(0, blocks.length - 1)).toEqual(blocks.slice(0, -1));
  });
});
