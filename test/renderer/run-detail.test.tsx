// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import type { ApiEvent } from '../../src/shared/events';
import type { Run } from '../../src/shared/types';
import type { AppApi } from '../../src/renderer/src/api/types';
import { RunDetail, appendBounded } from '../../src/renderer/src/views/RunDetail';

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

const runningRun = () =>
  makeRun({
    status: 'running',
    finished_at: null,
    duration: null,
    exit_code: null,
    stdout: '',
    stderr: '',
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
    api: asApi({ getCommand, cancelCommand, subscribe }),
    getCommand,
    cancelCommand,
    emit,
    listeners,
  };
}

function output(stream: 'stdout' | 'stderr', chunk: string, commandId = 'cmd_abc'): ApiEvent {
  return {
    type: 'run.output',
    command_id: commandId,
    run_id: 'run_abc',
    schedule_id: 'sched_1',
    stream,
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

describe('RunDetail', () => {
  it('shows the run, its output and its errors', async () => {
    const onBack = vi.fn();
    const fake = fakeApi(makeRun({ stdout: 'hello \u001b[32mgreen\u001b[0m\n' }));
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={onBack} />);

    expect(await screen.findByRole('heading', { name: 'Run run_abc', level: 1 })).toBeTruthy();
    expect(fake.getCommand).toHaveBeenCalledWith('cmd_abc');
    expect(pre('Output').textContent).toBe('hello green\n');
    expect(pre('Output').querySelector('span')?.style.color).not.toBe('');
    expect(pre('Errors').textContent).toBe('warning: low disk\n');
    expect(screen.getByRole('img', { name: 'Success' })).toBeTruthy();
    expect(screen.getByText('Manual')).toBeTruthy();
    expect(screen.getByText('2.3 s')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    expect(screen.queryByText(/truncated/)).toBeNull();

    await userEvent.setup().click(screen.getByRole('button', { name: 'Back' }));
    expect(onBack).toHaveBeenCalledOnce();
  });

  it('copies output and errors to the clipboard', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async (_text: string) => {});
    setClipboard({ writeText });
    const fake = fakeApi(makeRun());
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);

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
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
    await user.click(await screen.findByRole('button', { name: 'Copy output' }));
    expect(await screen.findByText(/Copying is not available/)).toBeTruthy();
  });

  it('notes truncated output and sets the dropped marker apart', async () => {
    const fake = fakeApi(
      makeRun({ truncated: true, stdout: 'head\n[… 123 bytes dropped …]\ntail\n' }),
    );
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
    expect(await screen.findByText('Output was truncated: the middle was dropped')).toBeTruthy();
    const marker = pre('Output').querySelector('.output-marker');
    expect(marker?.textContent).toBe('[… 123 bytes dropped …]');
    expect(pre('Output').textContent).toBe('head\n[… 123 bytes dropped …]\ntail\n');
  });

  it('appends live output of this command while it runs, then shows the final run', async () => {
    const fake = fakeApi(runningRun());
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
    expect(await screen.findByRole('button', { name: 'Cancel run' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Running' })).toBeTruthy();

    fake.emit(output('stdout', 'line 1\n'));
    fake.emit(output('stdout', '\u001b[31mline 2\u001b[0m\n'));
    fake.emit(output('stderr', 'oops\n'));
    fake.emit(output('stdout', 'someone else\n', 'cmd_other'));
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
    fake.emit(output('stdout', 'late\n'));
    expect(pre('Output').textContent).toBe('line 1\nline 2\nline 3\n');
  });

  it('keeps live output that arrives before the run has loaded', async () => {
    const fake = fakeApi(runningRun());
    let answer: (run: Run) => void = () => {};
    fake.getCommand.mockImplementationOnce(() => new Promise<Run>((r) => (answer = r)));
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
    fake.emit(output('stdout', 'early\n'));
    await act(async () => answer(runningRun()));
    await waitFor(() => expect(pre('Output').textContent).toBe('early\n'));
  });

  it('ignores a stale running answer after run.finished', async () => {
    const fake = fakeApi(runningRun());
    let answer: (run: Run) => void = () => {};
    fake.getCommand.mockImplementationOnce(() => new Promise<Run>((r) => (answer = r)));
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
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
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
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
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
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
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
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
    render(<RunDetail api={fake.api} commandId="cmd_zzz" onBack={vi.fn()} />);
    expect((await screen.findByRole('alert')).textContent).toContain('Command cmd_zzz not found');
  });

  it('unsubscribes when closed', async () => {
    const fake = fakeApi(runningRun());
    const { unmount } = render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
    await screen.findByRole('button', { name: 'Cancel run' });
    expect(fake.listeners.size).toBe(1);
    unmount();
    expect(fake.listeners.size).toBe(0);
  });
});

describe('appendBounded', () => {
  it('keeps the newest text under the bound, cutting at a line start', () => {
    let stream = { text: '', dropped: 0 };
    for (let i = 0; i < 100; i++) stream = appendBounded(stream, `line ${i}\n`, 100);
    expect(stream.text.length).toBeLessThanOrEqual(100);
    expect(stream.text.endsWith('line 99\n')).toBe(true);
    expect(stream.text.startsWith('line ')).toBe(true);
    const all = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('');
    expect(stream.dropped + stream.text.length).toBe(all.length);
  });

  it('shows how much live output it dropped', async () => {
    const fake = fakeApi(runningRun());
    render(<RunDetail api={fake.api} commandId="cmd_abc" onBack={vi.fn()} />);
    await screen.findByRole('button', { name: 'Cancel run' });
    const line = 'x'.repeat(1023) + '\n';
    for (let i = 0; i < 300; i++) fake.emit(output('stdout', line));
    await waitFor(() =>
      expect(pre('Output').querySelector('.output-marker')?.textContent).toMatch(
        /^\[… \d+ characters of earlier live output not shown …\]$/,
      ),
    );
    expect(pre('Output').textContent?.length).toBeLessThanOrEqual(256 * 1024 + 100);
  });
});
