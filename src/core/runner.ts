// Runs one command in the user's shell (DESIGN.md, "Runner"). The command gets its own
// process group so that a timeout or a cancel reaches everything it started, not just the
// shell. `done` never rejects: every way a run can go wrong ends as a run record the user
// can read, because a rejected promise would surface as nothing at all in the history.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { OutputCapture } from './output';
import { groupAlive } from './process-groups';
import { realTimers, type Timers } from './timers';

export interface ShellCommand {
  file: string;
  args: string[];
}

export interface RunRequest {
  command: string;
  /** Absolute; the caller defaults it to the home directory. */
  cwd: string;
  /** The full environment (the caller merges the schedule's env over process.env). */
  env: NodeJS.ProcessEnv;
  /** null = no limit. */
  timeoutMs: number | null;
  /** Overrides resolveShell(); tests use it for a missing shell. */
  shell?: ShellCommand;
  /** SIGTERM -> SIGKILL grace; default DEFAULT_KILL_GRACE_MS. */
  killGraceMs?: number;
  /** The timeout, the grace and the waits after exit; real timers unless a test drives them. */
  timers?: Timers;
  /** Live output, decoded; the caller throttles it. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /**
   * Called with the process group id once it exists and before the command is let go
   * (POSIX): whatever it records (the run and its group) is on disk before the command can
   * do anything, so a crash of the app right after cannot leave an unknown orphan.
   */
  onSpawned?: (pgid: number) => void;
}

export type RunEndStatus = 'success' | 'failure' | 'timeout' | 'cancelled';

export interface RunOutcome {
  status: RunEndStatus;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  startedAt: number;
  finishedAt: number;
  pid: number | null;
}

export interface RunHandle {
  readonly pid: number | null;
  /** SIGTERM to the group, SIGKILL after the grace; a no-op once the shell has exited. */
  cancel(): void;
  readonly done: Promise<RunOutcome>;
}

export const DEFAULT_KILL_GRACE_MS = 5000;
/** How long pipes held open by a background grandchild may delay the end of a run. */
export const PIPE_CLOSE_WAIT_MS = 1000;
const GROUP_POLL_MS = 25;
/** After SIGKILL the kernel still needs a moment; never wait on it longer than this. */
const AFTER_KILL_WAIT_MS = 1000;
// setTimeout turns longer delays into 1 ms; the schema caps timeouts far below anyway.
const MAX_TIMER_MS = 2 ** 31 - 1;

const PREFIX = 'cmdop-scheduler:';

function isFile(path: string): boolean {
  try {
    // Stryker disable BlockStatement: an emptied catch returns undefined, which resolveShell reads as false
    return statSync(path).isFile();
  } catch {
    // Stryker restore BlockStatement
    return false;
  }
}

/** $SHELL -c (fallback /bin/sh when SHELL is unset or not an existing file); on win32 cmd.exe /d /s /c */
export function resolveShell(
  command: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  exists: (p: string) => boolean = isFile,
): ShellCommand {
  if (platform === 'win32') {
    // With /s, cmd strips the outer quotes and runs the rest verbatim (as Node's shell: true).
    return { file: 'cmd.exe', args: ['/d', '/s', '/c', `"${command}"`] };
  }
  const shell = env.SHELL;
  return { file: shell && exists(shell) ? shell : '/bin/sh', args: ['-c', command] };
}

/** Why the cwd cannot be used, or null. Checked first: spawn's ENOENT would name the shell. */
function cwdProblem(cwd: string): string | null {
  try {
    if (!statSync(cwd).isDirectory()) return `working directory ${cwd} is not a directory`;
    accessSync(cwd, constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `working directory ${cwd} does not exist`;
    if (code === 'EACCES' || code === 'EPERM') {
      return `working directory ${cwd} is not accessible (permission denied)`;
    }
    return `working directory ${cwd} cannot be used: ${(e as Error).message}`;
  }
}

function spawnProblem(error: NodeJS.ErrnoException, shell: ShellCommand, cwd: string): string {
  // The cwd may have vanished between the check and the spawn: blame the right thing.
  const cwdNow = cwdProblem(cwd);
  if (cwdNow) return cwdNow;
  if (error.code === 'ENOENT') return `shell ${shell.file} not found`;
  if (error.code === 'EACCES') return `shell ${shell.file} is not executable (permission denied)`;
  return `could not start shell ${shell.file}: ${error.message}`;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  // Stryker disable all: Windows only (taskkill); the tests run on Linux
  if (process.platform === 'win32') {
    // No process groups there; taskkill /t walks the tree instead. Windows has no
    // graceful signal for console programs, so both steps are forceful.
    spawn('taskkill', ['/pid', String(pid), '/t', '/f'], { stdio: 'ignore', windowsHide: true })
      .on('error', () => {})
      .unref();
    return;
  }
  // Stryker restore all
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the whole group is already gone, which is what we wanted.
  }
}

/**
 * The command waits behind this until the app has recorded its process group: `read` gets
 * the go-ahead on fd 3, or EOF if the app died first, and then the command never starts.
 * In a POSIX shell the gate opens the command's own script (no extra exec, ~1 ms sooner);
 * any other shell (fish, tcsh) is started by a /bin/sh gate through exec, which keeps the
 * pid, so the group id the app recorded stays the command's either way.
 */
const GATE_LINE = 'read -r cmdop_go <&3 || exit 125; unset cmdop_go; exec 3<&-; ';
const GATE = `${GATE_LINE}exec "$@"`;
const GATE_SHELL = '/bin/sh';
const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash']);

export function gated(shell: ShellCommand): ShellCommand {
  const [flag, script, ...rest] = shell.args;
  if (POSIX_SHELLS.has(basename(shell.file)) && flag === '-c' && script !== undefined) {
    return { file: shell.file, args: ['-c', `${GATE_LINE}${script}`, ...rest] };
  }
  return { file: GATE_SHELL, args: ['-c', GATE, 'cmdop-scheduler', shell.file, ...shell.args] };
}

/** Why the shell cannot be run, checked first: behind the gate, spawn would not tell. */
function shellProblem(shell: ShellCommand): string | null {
  if (!shell.file.includes('/')) return null; // found on PATH by exec
  try {
    accessSync(shell.file, constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `shell ${shell.file} not found`;
    if (code === 'EACCES') return `shell ${shell.file} is not executable (permission denied)`;
    return `could not start shell ${shell.file}: ${(e as Error).message}`;
  }
}

/** A run that could not start, as a handle whose outcome is a failure saying why. */
export function failedToStart(
  message: string,
  startedAt: number,
  clock: { now(): number },
): RunHandle {
  const outcome: RunOutcome = {
    status: 'failure',
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: `${PREFIX} ${message}\n`,
    truncated: false,
    startedAt,
    finishedAt: clock.now(),
    pid: null,
  };
  return { pid: null, cancel: () => {}, done: Promise.resolve(outcome) };
}

export function startRun(request: RunRequest, clock: { now(): number }): RunHandle {
  const startedAt = clock.now();
  const shell = request.shell ?? resolveShell(request.command, request.env);
  const graceMs = request.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  const badCwd = cwdProblem(request.cwd);
  if (badCwd) return failedToStart(badCwd, startedAt, clock);
  // Stryker disable next-line ConditionalExpression,StringLiteral: Windows only; the tests run on Linux
  const posix = process.platform !== 'win32';
  const badShell = posix ? shellProblem(shell) : null;
  if (badShell) return failedToStart(badShell, startedAt, clock);
  const launch = posix ? gated(shell) : shell;

  let child: ChildProcess;
  try {
    child = spawn(launch.file, launch.args, {
      cwd: request.cwd,
      env: request.env,
      stdio: posix
        ? ['ignore', 'pipe', 'pipe', 'pipe']
        : // Stryker disable next-line ArrayDeclaration,StringLiteral: Windows only
          ['ignore', 'pipe', 'pipe'],
      // Own process group (setsid) on POSIX; on Windows it would open a console window.
      // Stryker disable next-line ConditionalExpression,StringLiteral: Windows only
      detached: process.platform !== 'win32',
      // Stryker disable next-line BooleanLiteral: Windows only
      windowsHide: true,
      // Stryker disable next-line Regex: Windows only
      windowsVerbatimArguments: /^cmd(\.exe)?$/i.test(basename(shell.file)),
    });
  } catch (e) {
    // Synchronous throws are argument errors (e.g. a NUL byte in the command or env).
    return failedToStart(
      `could not start shell ${shell.file}: ${(e as Error).message}`,
      startedAt,
      clock,
    );
  }
  const pid = child.pid ?? null;
  const gate = posix ? (child.stdio[3] as NodeJS.WritableStream | null) : null;
  // Stryker disable next-line ConditionalExpression: the gate is null on Windows only (no fd 3)
  if (gate) {
    // The command may be gone already (killed from outside): a closed pipe is no news.
    (gate as unknown as NodeJS.EventEmitter).on('error', () => {});
    // Without a pid the spawn failed, and Node has closed its pipes, the gate's too.
    if (pid !== null) {
      try {
        // Stryker disable next-line OptionalChaining: calling a missing onSpawned throws into the catch
        request.onSpawned?.(pid);
      } catch {
        // The caller reports its own failures; running unrecorded beats not running at all.
      }
      gate.end('go\n');
    }
  }

  const out = new OutputCapture();
  const err = new OutputCapture();
  // Stryker disable next-line StringLiteral: a StringDecoder's default encoding is utf8
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const emit = (stream: 'stdout' | 'stderr', text: string): void => {
    if (!request.onOutput || text === '') return;
    try {
      request.onOutput(stream, text);
    } catch {
      // A failing listener (a UI, an event bus) must not take the run or the app down.
    }
  };
  // Stryker disable next-line OptionalChaining: the pipes exist (stdio 'pipe'), even after a failed spawn
  child.stdout?.on('data', (chunk: Buffer) => {
    out.push(chunk);
    if (request.onOutput) emit('stdout', decoders.stdout.write(chunk));
  });
  // Stryker disable next-line OptionalChaining: as above
  child.stderr?.on('data', (chunk: Buffer) => {
    err.push(chunk);
    if (request.onOutput) emit('stderr', decoders.stderr.write(chunk));
  });

  // Without a listener a read error on a pipe would be an uncaught exception in the app;
  // losing the rest of one run's output is the lesser harm.
  // Stryker disable next-line OptionalChaining: as above
  child.stdout?.on('error', () => {});
  // Stryker disable next-line OptionalChaining: as above
  child.stderr?.on('error', () => {});

  let killReason: 'timeout' | 'cancelled' | null = null;
  let exited = false;
  let streamsDone = false;
  let finished = false;
  let polling = false;
  let stopWaiting = false;
  let spawnError: string | null = null;
  let exitCode: number | null = null;
  let exitSignal: string | null = null;
  const clockTimers = request.timers ?? realTimers;
  const timers = new Set<unknown>();
  const later = (ms: number, fn: () => void): unknown => {
    const t = clockTimers.setTimeout(
      () => {
        timers.delete(t);
        fn();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    timers.add(t);
    return t;
  };
  // finish() clears every timer, and a pipe wait that rings while a kill polls the group finds
  // settle() busy: cancelling it on 'close' only tidies up early.
  // Stryker disable next-line BlockStatement: see above
  const cancelLater = (t: unknown): void => {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
    if (t === null) return;
    clockTimers.clearTimeout(t);
    timers.delete(t);
  };
  // No process groups on Windows: taskkill /t has already taken the whole tree.
  const groupRunning = (): boolean =>
    pid !== null &&
    // Stryker disable next-line ConditionalExpression,StringLiteral: Windows only
    process.platform !== 'win32' &&
    groupAlive(pid);

  let resolveDone: (outcome: RunOutcome) => void = () => {};
  const done = new Promise<RunOutcome>((resolve) => (resolveDone = resolve));

  const finish = (): void => {
    if (finished) return;
    // Stryker disable next-line BooleanLiteral: a second finish() (a later 'close' through settle()) changes nothing: the promise keeps the first outcome, the ended decoders are empty
    finished = true;
    for (const t of timers) clockTimers.clearTimeout(t);
    timers.clear();
    emit('stdout', decoders.stdout.end());
    emit('stderr', decoders.stderr.end());
    let status: RunEndStatus;
    if (spawnError) status = 'failure';
    else if (killReason) status = killReason;
    else status = exitCode === 0 ? 'success' : 'failure';
    resolveDone({
      status,
      exitCode,
      signal: exitSignal,
      stdout: out.text(),
      stderr: spawnError ? `${PREFIX} ${spawnError}\n` : err.text(),
      truncated: out.truncated || err.truncated,
      startedAt,
      finishedAt: clock.now(),
      pid,
    });
  };

  // Once the shell is gone and its pipes are settled the run is over, unless a kill is
  // under way and something in the group still runs: then the promised SIGKILL lands
  // first, so that a timed-out or cancelled run leaves nothing behind.
  const settle = (): void => {
    // streamsDone comes with the exit ('close') or after it (the pipe wait).
    if (finished || polling || !streamsDone) return;
    if (killReason === null || stopWaiting || !groupRunning()) {
      finish();
      return;
    }
    polling = true;
    later(GROUP_POLL_MS, () => {
      polling = false;
      settle();
    });
  };

  const startKill = (reason: 'timeout' | 'cancelled'): void => {
    if (exited || finished || killReason) return;
    killReason = reason;
    // Stryker disable next-line StringLiteral: process.kill() reads an empty signal name as SIGTERM
    signalGroup(child, 'SIGTERM');
    later(graceMs, () => {
      if (groupRunning()) signalGroup(child, 'SIGKILL');
      // Bounded: a process stuck in the kernel (uninterruptible sleep) survives even
      // SIGKILL for a while, and must not hold the run open forever.
      later(AFTER_KILL_WAIT_MS, () => {
        stopWaiting = true;
        settle();
      });
    });
  };

  if (request.timeoutMs !== null) later(request.timeoutMs, () => startKill('timeout'));

  let pipeWait: unknown = null;
  child.on('error', (e: NodeJS.ErrnoException) => {
    // After a successful spawn 'error' only reports failed child.kill()s, not used here.
    if (pid !== null) return;
    spawnError = spawnProblem(e, shell, request.cwd);
    finish();
  });
  child.on('exit', (code, signal) => {
    exited = true;
    exitCode = code;
    exitSignal = signal;
    // A background grandchild may hold the pipes open for hours: wait briefly, then let go.
    pipeWait = later(PIPE_CLOSE_WAIT_MS, () => {
      // Stryker disable next-line OptionalChaining: the pipes exist (stdio 'pipe')
      child.stdout?.destroy();
      // Stryker disable next-line OptionalChaining: the pipes exist (stdio 'pipe')
      child.stderr?.destroy();
      streamsDone = true;
      settle();
    });
  });
  child.on('close', () => {
    cancelLater(pipeWait);
    exited = true;
    streamsDone = true;
    settle();
  });

  return {
    pid,
    cancel: () => startKill('cancelled'),
    done,
  };
}
