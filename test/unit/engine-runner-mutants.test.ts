// The runner and the process groups at their edges (src/core/runner.ts, process-groups.ts):
// how a run ends when it is killed, cancelled or let go, what a start that fails says, and
// how a group is told alive. Real shells, real process groups and real files; the timeout,
// the grace and the waits on FakeTime (finishedAt is fake time too), never on the wall clock.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { endGroup, groupAlive, isRunsGroup, processStart } from '../../src/core/process-groups';
import {
  resolveShell,
  startRun,
  type RunHandle,
  type RunOutcome,
  type RunRequest,
  type ShellCommand,
} from '../../src/core/runner';
import type { Timers } from '../../src/core/timers';
import { FakeTime } from '../helpers/fake-time';

const clock = { now: () => Date.now() };
const realKill = process.kill.bind(process);
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

const fakeTime = () => new FakeTime('2026-01-01T00:00:00Z');

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

const realPause = (ms = 100) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await realPause(25);
  expect(condition()).toBe(true);
}

/** Moves FakeTime on in small steps until the run is over (a bounded number of steps). */
async function drive(time: FakeTime, done: Promise<RunOutcome>, stepMs = 25): Promise<RunOutcome> {
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
function recording(time: FakeTime): Timers & { asked: number[] } {
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

/** The state letter of a process (R, S, Z, …), or null once it is gone. */
function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** The process group of a process, or null once it is gone. */
function groupOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return null;
  }
}

/** Blocks this thread until `pid` is a zombie or gone (as a slow synchronous record would). */
function blockUntilDead(pid: number): void {
  for (let i = 0; i < 1000; i++) {
    const state = stateOf(pid);
    if (state === null || state === 'Z') return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
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

/** The pid of a process that has exited and been reaped. */
async function gonePid(): Promise<number> {
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
function watchKill(swallow: (pid: number, signal: string | number | undefined) => boolean) {
  const calls: KillCall[] = [];
  vi.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
    calls.push([pid, signal]);
    if (swallow(pid, signal)) return true;
    return realKill(pid, signal);
  });
  return calls;
}

/** A copy of /bin/sh named sh in a directory of its own (a POSIX shell the test can break). */
function ownShell(name: string): string {
  mkdirSync(join(dir, name));
  const file = join(dir, name, 'sh');
  copyFileSync('/bin/sh', file);
  chmodSync(file, 0o755);
  return file;
}

/** An environment that runs `meanwhile` when spawn() reads it: after the checks, before exec. */
function envDoing(meanwhile: () => void): NodeJS.ProcessEnv {
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

const failedStart = (stderr: string) => ({
  status: 'failure',
  exitCode: null,
  signal: null,
  stdout: '',
  stderr: `cmdop-scheduler: ${stderr}\n`,
  truncated: false,
  pid: null,
});

describe.skipIf(process.platform !== 'linux')('runner: how a killed run ends', () => {
  it('a timed-out run that honours SIGTERM ends with SIGTERM right away, not SIGKILL after the grace', async () => {
    const time = fakeTime();
    const run = started(
      'sleep 30 & echo ready; wait',
      { timeoutMs: 1000, killGraceMs: 5000, timers: time },
      time.clock,
    );
    await run.ready;
    time.advanceBy(1000); // the timeout: SIGTERM to the group
    await until(() => !groupAlive(run.handle.pid as number));
    const o = await drive(time, run.handle.done);
    expect(o).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGTERM' });
    // Within a few polls of the group's end, far from the SIGKILL at 1000 + 5000.
    expect(o.finishedAt - o.startedAt).toBeGreaterThanOrEqual(1000);
    expect(o.finishedAt - o.startedAt).toBeLessThan(1000 + 5000);
  });

  it('a cancel before the timeout ends the run as cancelled, even if the timeout falls in the grace', async () => {
    const time = fakeTime();
    const run = started(
      'trap "" TERM; sleep 30 & echo ready; wait',
      { timeoutMs: 1000, killGraceMs: 3000, timers: time },
      time.clock,
    );
    await run.ready;
    run.handle.cancel(); // SIGTERM, ignored
    time.advanceBy(2999); // the timeout passes in the grace
    await realPause();
    expect(run.settled()).toBe(false);
    expect(groupAlive(run.handle.pid as number)).toBe(true);
    time.advanceBy(1); // the grace of the cancel: SIGKILL
    const o = await drive(time, run.handle.done);
    expect(o).toMatchObject({ status: 'cancelled', signal: 'SIGKILL' });
    expect(o.finishedAt - o.startedAt).toBeLessThan(1000 + 3000);
  });

  it('a cancel in the grace of a timeout leaves it a timeout, SIGKILLed at the first grace', async () => {
    const time = fakeTime();
    const run = started(
      'trap "" TERM; sleep 30 & echo ready; wait',
      { timeoutMs: 1000, killGraceMs: 2000, timers: time },
      time.clock,
    );
    await run.ready;
    time.advanceBy(1500); // timed out at 1000, SIGTERM ignored
    run.handle.cancel();
    time.advanceBy(1499);
    await realPause();
    expect(run.settled()).toBe(false);
    time.advanceBy(1); // 1000 + 2000
    const o = await drive(time, run.handle.done);
    expect(o).toMatchObject({ status: 'timeout', signal: 'SIGKILL' });
    expect(o.finishedAt - o.startedAt).toBeLessThan(1500 + 2000);
  });

  it('a cancel once the shell has exited changes nothing: its background child is let go, the run succeeds', async () => {
    const time = fakeTime();
    const run = started('sleep 30 & echo ready', { timers: time }, time.clock);
    // The shell has exited once the wait for the pipes (held by the sleep) is armed.
    await until(() => time.pendingCount === 1);
    run.handle.cancel();
    await realPause();
    expect(groupAlive(run.handle.pid as number)).toBe(true); // no SIGTERM
    const o = await drive(time, run.handle.done);
    expect(o).toMatchObject({ status: 'success', exitCode: 0, signal: null, stdout: 'ready\n' });
    expect(groupAlive(run.handle.pid as number)).toBe(true);
  });

  it('sends no SIGKILL to a group that is gone by the end of the grace (its id may be reused)', async () => {
    const calls = watchKill(() => false);
    const time = fakeTime();
    // A child that left the group (setsid) keeps the pipes: the run waits on them, not on it.
    const run = started(
      'setsid sleep 30 & echo "escaped $!"; echo ready; exec sleep 30',
      { timeoutMs: 100, killGraceMs: 200, timers: time },
      time.clock,
    );
    await run.ready;
    const escaped = Number(/escaped (\d+)/.exec(run.output())?.[1]);
    pids.push(escaped);
    await until(() => groupOf(escaped) === escaped); // it has left the group
    const pgid = run.handle.pid as number;
    time.advanceBy(100); // SIGTERM: the group ends
    await until(() => !groupAlive(pgid));
    const o = await drive(time, run.handle.done);
    expect(o).toMatchObject({ status: 'timeout', signal: 'SIGTERM' });
    const toGroup = calls
      .filter(([pid, signal]) => pid === -pgid && signal !== 0)
      .map(([, signal]) => signal);
    expect(toGroup).toEqual(['SIGTERM']);
  });

  it('stops waiting on a group 1 s after its SIGKILL when a process survives it (stuck in the kernel)', async () => {
    const time = fakeTime();
    const timers = recording(time);
    let pgid = 0;
    watchKill((pid, signal) => pid === -pgid && signal === 'SIGKILL');
    // The shell dies on SIGTERM; its child ignores it (ready once it does) and holds no pipe.
    const run = started(
      '(trap "" TERM; echo ready; exec sleep 30 >/dev/null 2>&1) & wait',
      { timeoutMs: 100, killGraceMs: 200, timers },
      time.clock,
    );
    pgid = run.handle.pid as number;
    await run.ready;
    time.advanceBy(100); // SIGTERM
    // The shell is gone and its pipes closed once the runner polls the group.
    await until(() => timers.asked.includes(25));
    time.advanceBy(200 + 999); // SIGKILL at 300, "not taken"
    await realPause();
    expect(run.settled()).toBe(false);
    const o = await drive(time, run.handle.done);
    expect(o).toMatchObject({ status: 'timeout', signal: 'SIGTERM' });
    expect(o.finishedAt - o.startedAt).toBeGreaterThanOrEqual(100 + 200 + 1000);
    expect(o.finishedAt - o.startedAt).toBeLessThanOrEqual(100 + 200 + 1000 + 25);
    expect(groupAlive(pgid)).toBe(true); // the survivor, ended by afterEach
  });

  it('a shell that survives even SIGKILL keeps its run open until it has exited', async () => {
    const time = fakeTime();
    let pgid = 0;
    watchKill((pid, signal) => pid === -pgid && signal === 'SIGKILL');
    const run = started(
      'trap "" TERM; echo ready; exec sleep 30',
      { timeoutMs: 100, killGraceMs: 200, timers: time },
      time.clock,
    );
    pgid = run.handle.pid as number;
    await run.ready;
    time.advanceBy(100); // SIGTERM, ignored
    time.advanceBy(200); // SIGKILL, "not taken"
    time.advanceBy(1100); // the wait after the SIGKILL is over, the shell still runs
    await realPause();
    expect(run.settled()).toBe(false);
    realKill(-pgid, 'SIGKILL'); // it finally dies
    const o = await run.handle.done;
    expect(o).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGKILL' });
    expect(o.finishedAt - o.startedAt).toBe(1400);
  });
});

describe.skipIf(process.platform !== 'linux')('runner: when a run is over', () => {
  it('ends when its pipes close, without waiting the pipe wait or any time at all', async () => {
    const time = fakeTime();
    const run = started('echo ready', { timers: time }, time.clock);
    await until(run.settled); // fake time stands still
    const o = await run.handle.done;
    expect(o).toMatchObject({ status: 'success', stdout: 'ready\n' });
    expect(o.finishedAt).toBe(o.startedAt);
  });

  it('ends at the pipe wait when a background child holds the pipes, whatever time does next', async () => {
    const time = fakeTime();
    const run = started('sleep 30 & echo ready', { timers: time }, time.clock);
    await until(() => time.pendingCount === 1); // the shell has exited
    time.advanceBy(1000);
    time.advanceBy(500);
    const o = await run.handle.done;
    expect(o).toMatchObject({ status: 'success', stdout: 'ready\n' });
    expect(o.finishedAt - o.startedAt).toBe(1000);
  });

  it('says truncated when only stderr was cut', async () => {
    const o = await startRun(request('echo out; head -c 400000 /dev/zero >&2'), clock).done;
    expect(o).toMatchObject({ status: 'success', stdout: 'out\n', truncated: true });
  });

  /** A run's live chunks, as [stream, chunk]. */
  async function live(command: string): Promise<{ o: RunOutcome; chunks: [string, string][] }> {
    const chunks: [string, string][] = [];
    const o = await startRun(
      request(command, { onOutput: (stream, chunk) => chunks.push([stream, chunk]) }),
      clock,
    ).done;
    return { o, chunks };
  }

  it('never passes an empty chunk to onOutput (output that ends whole leaves nothing to flush)', async () => {
    const { o, chunks } = await live('echo out; echo err >&2');
    expect(o).toMatchObject({ stdout: 'out\n', stderr: 'err\n' });
    expect(chunks.filter(([, chunk]) => chunk === '')).toEqual([]);
    expect(chunks.map(([, chunk]) => chunk).sort()).toEqual(['err\n', 'out\n']);
  });

  it('flushes a character cut at the end of the output on its own stream', async () => {
    const { o, chunks } = await live(`printf 'a\\342\\202'; printf 'b\\342' >&2`);
    expect(o).toMatchObject({ stdout: 'a\uFFFD', stderr: 'b\uFFFD' });
    const joined = (name: string) =>
      chunks
        .filter(([stream]) => stream === name)
        .map(([, chunk]) => chunk)
        .join('');
    expect(joined('stdout')).toBe(o.stdout);
    expect(joined('stderr')).toBe(o.stderr);
    expect(chunks.filter(([stream]) => stream !== 'stdout' && stream !== 'stderr')).toEqual([]);
  });

  it('a command killed before its go-ahead ends as killed; the closed gate is no error', async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      const handle = startRun(
        request('echo never', {
          onSpawned: (pgid) => {
            realKill(-pgid, 'SIGKILL');
            blockUntilDead(pgid); // its end of the gate is closed now
          },
        }),
        clock,
      );
      const o = await handle.done;
      await realPause();
      expect(o).toMatchObject({ status: 'failure', signal: 'SIGKILL', stdout: '' });
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});

describe.skipIf(process.platform !== 'linux')('runner: starts that fail', () => {
  it('a working directory below a file does not exist', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const cwd = join(file, 'sub');
    const o = await startRun(request('true', { cwd }), clock).done;
    expect(o).toMatchObject(failedStart(`working directory ${cwd} does not exist`));
  });

  it('a working directory that cannot be resolved says why', async () => {
    const loop = join(dir, 'cwd-loop');
    symlinkSync(loop, loop);
    const o = await startRun(request('true', { cwd: loop }), clock).done;
    expect(o).toMatchObject(
      failedStart(
        `working directory ${loop} cannot be used: ELOOP: too many symbolic links encountered, stat '${loop}'`,
      ),
    );
  });

  it('a shell below a file is not found; a shell that cannot be resolved says why', async () => {
    const file = join(dir, 'plain-file-2');
    writeFileSync(file, '');
    const below = join(file, 'sh');
    const o1 = await startRun(
      request('true', { shell: { file: below, args: ['-c', 'true'] } }),
      clock,
    ).done;
    expect(o1).toMatchObject(failedStart(`shell ${below} not found`));
    const loop = join(dir, 'shell-loop');
    symlinkSync(loop, loop);
    const o2 = await startRun(
      request('true', { shell: { file: loop, args: ['-c', 'true'] } }),
      clock,
    ).done;
    expect(o2).toMatchObject(
      failedStart(
        `could not start shell ${loop}: ELOOP: too many symbolic links encountered, access '${loop}'`,
      ),
    );
  });

  it('a working directory removed between the check and the start is named, and nothing is recorded', async () => {
    const cwd = join(dir, 'vanishing');
    mkdirSync(cwd);
    const onSpawned = vi.fn();
    const handle = startRun(
      request('true', {
        cwd,
        shell: { file: '/bin/sh', args: ['-c', 'true'] },
        env: envDoing(() => rmSync(cwd, { recursive: true })),
        onSpawned,
      }),
      clock,
    );
    expect(handle.pid).toBeNull();
    const o = await handle.done;
    expect(o).toMatchObject(failedStart(`working directory ${cwd} does not exist`));
    expect(onSpawned).not.toHaveBeenCalled();
  });

  it('a shell removed between the check and the start is not found', async () => {
    const file = ownShell('removed');
    const o = await startRun(
      request('true', {
        shell: { file, args: ['-c', 'true'] },
        env: envDoing(() => rmSync(file)),
      }),
      clock,
    ).done;
    expect(o).toMatchObject(failedStart(`shell ${file} not found`));
  });

  it('a shell made non-executable between the check and the start says so', async () => {
    const file = ownShell('chmodded');
    const o = await startRun(
      request('true', {
        shell: { file, args: ['-c', 'true'] },
        env: envDoing(() => chmodSync(file, 0o644)),
      }),
      clock,
    ).done;
    expect(o).toMatchObject(failedStart(`shell ${file} is not executable (permission denied)`));
  });

  it('a cancel right after a start that fails leaves it a failure that says why', async () => {
    const file = ownShell('cancelled');
    const handle = startRun(
      request('true', {
        shell: { file, args: ['-c', 'true'] },
        env: envDoing(() => rmSync(file)),
      }),
      clock,
    );
    handle.cancel();
    expect(await handle.done).toMatchObject(failedStart(`shell ${file} not found`));
  });
});

describe.skipIf(process.platform !== 'linux')('runner: shells', () => {
  const run = (shell: ShellCommand, extra: Partial<RunRequest> = {}): RunHandle =>
    startRun(request('unused', { shell, ...extra }), clock);

  it('uses $SHELL when it is an existing file, not a directory', () => {
    const file = join(dir, 'some-shell');
    writeFileSync(file, '');
    expect(resolveShell('ls', { SHELL: file }).file).toBe(file);
    expect(resolveShell('ls', { SHELL: dir }).file).toBe('/bin/sh');
  });

  it('finds a shell given by name on the PATH', async () => {
    const o = await run({ file: 'sh', args: ['-c', 'echo hi'] }).done;
    expect(o).toMatchObject({ status: 'success', stdout: 'hi\n' });
  });

  it('a shell given by name that is not on the PATH fails in the gate, which names the app', async () => {
    const o = await run({ file: 'cmdop-no-such-shell', args: ['-c', 'true'] }).done;
    expect(o).toMatchObject({ status: 'failure', exitCode: 127 });
    expect(o.pid).toBeTypeOf('number');
    expect(o.stderr).toMatch(/^cmdop-scheduler: .*cmdop-no-such-shell.*not found/);
  });

  it('a POSIX shell runs the gate and the command as one script (no second exec)', async () => {
    const o = await run({ file: '/bin/sh', args: ['-c', `tr '\\0' ' ' < /proc/$$/cmdline`] }).done;
    expect(o.status).toBe('success');
    expect(o.stdout).toMatch(/^\/bin\/sh -c read -r cmdop_go <&3 \|\| exit 125; .*tr /);
  });

  it('a POSIX shell with other options before -c gets them, behind the gate', async () => {
    const o = await run({ file: '/bin/sh', args: ['-e', '-c', 'echo "$0 $1"', 'name', 'one'] })
      .done;
    expect(o).toMatchObject({ status: 'success', stdout: 'name one\n' });
  });

  it('a POSIX shell with -c but no script gets just that, and says so itself', async () => {
    const o = await run({ file: '/bin/sh', args: ['-c'] }).done;
    expect(o).toMatchObject({ status: 'failure', exitCode: 2 });
    expect(o.stderr).toContain('-c');
    expect(o.stderr).not.toContain('undefined');
  });
});

describe.skipIf(process.platform !== 'linux')('process groups', () => {
  it('a group of zombies only is not alive, though kill(-pgid, 0) still finds it', async () => {
    const pgid = await zombieGroup();
    expect(() => realKill(-pgid, 0)).not.toThrow();
    expect(groupAlive(pgid)).toBe(false);
    expect(isRunsGroup({ pgid, start: null })).toBe(false);
  });

  it("a group whose leader has exited is alive while a member runs, and is still the run's", async () => {
    const { pgid, exited } = await group('sleep 60 & echo up');
    await exited; // the leader (reaped): its pid is not reused while the group exists
    expect(existsSync(`/proc/${pgid}`)).toBe(false);
    expect(processStart(pgid)).toBeNull();
    expect(groupAlive(pgid)).toBe(true);
    expect(isRunsGroup({ pgid, start: '12345' })).toBe(true);
  });

  it('a group that kill() may not signal (EPERM: another user) counts as alive', async () => {
    const pgid = await gonePid();
    expect(groupAlive(pgid)).toBe(false); // ESRCH
    // As root nothing answers EPERM: kill()'s answer is put in.
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    expect(groupAlive(pgid)).toBe(true);
  });

  it('endGroup ends every process of the group, and resolves as soon as it is gone', async () => {
    const time = fakeTime();
    const { pgid } = await group('sleep 60 & sleep 60 & echo up; wait');
    let endedAt: number | null = null;
    void endGroup(pgid, 5000, time).then(() => (endedAt = time.ms));
    const from = time.ms;
    await until(() => !groupAlive(pgid)); // SIGTERM to all of them
    time.advanceBy(25);
    await realPause(10);
    expect(endedAt).toBe(from + 25);
  });

  it('endGroup SIGKILLs a group that ignores SIGTERM at the grace, not before', async () => {
    const time = fakeTime();
    const { pgid } = await group('trap "" TERM; sleep 60 & sleep 60 & echo up; wait');
    let endedAt: number | null = null;
    const from = time.ms;
    void endGroup(pgid, 1500, time).then(() => (endedAt = time.ms));
    time.advanceBy(1475);
    await realPause();
    expect(groupAlive(pgid)).toBe(true);
    expect(endedAt).toBeNull();
    time.advanceBy(25); // the grace: SIGKILL
    await until(() => !groupAlive(pgid));
    time.advanceBy(25);
    await realPause(10);
    expect(endedAt).toBe(from + 1525);
  });

  it('endGroup stops waiting 1 s after the SIGKILL when a process survives it (stuck in the kernel)', async () => {
    const time = fakeTime();
    const { pgid } = await group('trap "" TERM; echo up; exec sleep 60');
    const calls = watchKill((pid, signal) => pid === -pgid && signal === 'SIGKILL');
    let endedAt: number | null = null;
    const from = time.ms;
    void endGroup(pgid, 500, time).then(() => (endedAt = time.ms));
    time.advanceBy(500);
    await realPause(10);
    const sent = calls.filter(([pid, signal]) => pid === -pgid && signal !== 0);
    expect(sent.map(([, signal]) => signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(endedAt).toBeNull();
    time.advanceBy(975);
    await realPause(10);
    expect(endedAt).toBeNull();
    time.advanceBy(25);
    await realPause(10);
    expect(endedAt).toBe(from + 1500);
    expect(groupAlive(pgid)).toBe(true); // the survivor, ended by afterEach
  });
});
