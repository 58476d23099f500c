// The runner and the process groups at their edges (src/core/runner.ts, process-groups.ts):
// how a run ends when it is killed, cancelled or let go, what a start that fails says, and
// how a group is told alive. Real shells, real process groups and real files; the timeout,
// the grace and the waits on FakeTime (finishedAt is fake time too), never on the wall clock.
// Each test file calls runnerRig() once: it owns the temp directory and the groups and
// processes a test started, killed after each test whatever happened.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { startRun, type RunOutcome, type RunRequest } from '../../src/core/runner';
import type { Timers } from '../../src/core/timers';
import { FakeTime } from './fake-time';

export const clock = { now: () => Date.now() };
export const realKill = process.kill.bind(process);

export const fakeTime = () => new FakeTime('2026-01-01T00:00:00Z');

/** Lets the processes and pipes act on what the test just did (signals are asynchronous). */
export const realPause = (ms = 100) => new Promise((r) => setTimeout(r, ms));

export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await realPause(25);
  expect(condition()).toBe(true);
}

/** Moves FakeTime on in small steps until the run is over (a bounded number of steps). */
export async function drive(
  time: FakeTime,
  done: Promise<RunOutcome>,
  stepMs = 25,
): Promise<RunOutcome> {
  let over = false;
  void done.then(() => (over = true));
  for (let i = 0; i < 600 && !over; i++) {
    time.advanceBy(stepMs);
    await realPause(5);
  }
  expect(over).toBe(true);
  return done;
}

/** FakeTime, with a record of the waits asked for (to know when the runner got somewhere). */
export function recording(time: FakeTime): Timers & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    setTimeout: (fn, ms) => {
      asked.push(ms);
      return time.setTimeout(fn, ms);
    },
    clearTimeout: (handle) => time.clearTimeout(handle),
  };
}

/** The fields of /proc/PID/stat after the command name (state first), or null once gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The state letter of a process (R, S, Z, …), or null once it is gone. */
export function stateOf(pid: number): string | null {
  return statFields(pid)?.[0] ?? null;
}

/** The process group of a process, or null once it is gone. */
export function groupOf(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[2]) : null;
}

/** Blocks this thread until `pid` is a zombie or gone (as a slow synchronous record would). */
export function blockUntilDead(pid: number): void {
  for (let i = 0; i < 1000; i++) {
    const state = stateOf(pid);
    if (state === null || state === 'Z') return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
}

/** The pid of a process that has exited and been reaped. */
export async function gonePid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

type KillCall = [pid: number, signal: string | number | undefined];

/**
 * Watches process.kill, passing every call on except those `swallow` picks: as root nothing
 * refuses a signal, and no test can put a process in uninterruptible sleep, so a SIGKILL
 * that does not take (yet) is simulated by not sending it.
 */
export function watchKill(swallow: (pid: number, signal: string | number | undefined) => boolean) {
  const calls: KillCall[] = [];
  vi.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
    calls.push([pid, signal]);
    if (swallow(pid, signal)) return true;
    return realKill(pid, signal);
  });
  return calls;
}

/** An environment that runs `meanwhile` when spawn() reads it: after the checks, before exec. */
export function envDoing(meanwhile: () => void): NodeJS.ProcessEnv {
  let once = false;
  return new Proxy(
    { ...process.env },
    {
      ownKeys(target) {
        if (!once) {
          once = true;
          meanwhile();
        }
        return Reflect.ownKeys(target);
      },
    },
  );
}

export const failedStart = (stderr: string) => ({
  status: 'failure',
  exitCode: null,
  signal: null,
  stdout: '',
  stderr: `cmdop-scheduler: ${stderr}\n`,
  truncated: false,
  pid: null,
});

type Hook = (fn: () => void) => void;

export function runnerRig(beforeAll: Hook, afterAll: Hook, afterEach: Hook) {
  let dir: string;
  /** Groups and processes a test started: killed after each test, whatever happened. */
  const groups: number[] = [];
  const pids: number[] = [];

  beforeAll(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'cmdop-runner-mut-')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
    for (const pgid of groups.splice(0)) {
      try {
        realKill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of pids.splice(0)) {
      try {
        realKill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  function request(command: string, extra: Partial<RunRequest> = {}): RunRequest {
    return { command, cwd: dir, env: { ...process.env }, timeoutMs: null, ...extra };
  }

  /** A run whose `ready` resolves once the command printed "ready" (its traps are set). */
  function started(command: string, extra: Partial<RunRequest>, runClock = clock) {
    let resolveReady!: () => void;
    const ready = new Promise<void>((resolve) => (resolveReady = resolve));
    let output = '';
    const handle = startRun(
      request(command, {
        ...extra,
        onOutput: (_stream, chunk) => {
          output += chunk;
          if (output.includes('ready')) resolveReady();
        },
      }),
      runClock,
    );
    if (handle.pid !== null) groups.push(handle.pid);
    let settled = false;
    void handle.done.then(() => (settled = true));
    return { handle, ready, settled: () => settled, output: () => output };
  }

  /** A process group of its own that prints "up" once its traps are set. */
  async function group(script: string): Promise<{ pgid: number; exited: Promise<void> }> {
    const child = spawn('/bin/sh', ['-c', script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pgid = child.pid as number;
    groups.push(pgid);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.unref();
    return { pgid, exited };
  }

  /**
   * A group whose only process is a zombie: it left for a group of its own (setsid) and
   * exited, and its parent never reaps it. kill(-pgid, 0) still finds such a group.
   */
  async function zombieGroup(): Promise<number> {
    // The child exits only once its parent is the sleep, which never reaps it (a shell might).
    const child = "setsid sh -c 'until grep -qx sleep /proc/$PPID/comm; do sleep 0.01; done'";
    const holder = spawn('/bin/sh', ['-c', `${child} & echo $!; exec sleep 60`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    pids.push(holder.pid as number);
    const out = await new Promise<string>((resolve) =>
      holder.stdout.once('data', (d: Buffer) => resolve(String(d))),
    );
    const pid = Number(out.trim());
    await until(() => stateOf(pid) === 'Z');
    return pid;
  }

  /** A copy of /bin/sh named sh in a directory of its own (a POSIX shell the test can break). */
  function ownShell(name: string): string {
    mkdirSync(join(dir, name));
    const file = join(dir, name, 'sh');
    copyFileSync('/bin/sh', file);
    chmodSync(file, 0o755);
    return file;
  }

  return {
    /** The temp directory of this file's tests (made before them, removed after them). */
    get dir() {
      return dir;
    },
    pids,
    request,
    started,
    group,
    zombieGroup,
    ownShell,
  };
}
