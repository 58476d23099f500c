// Real child processes throughout: process groups, signals and pipes are the point here,
// and a mock would only test the mock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveShell, startRun, type RunOutcome, type RunRequest } from '../../src/core/runner';
import { OUTPUT_HEAD_BYTES, OUTPUT_TAIL_BYTES, droppedMarker } from '../../src/core/output';
import { FakeTime } from '../helpers/fake-time';
import { clock, realPause, until } from '../helpers/runner-rig';

let dir: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'cmdop-runner-')));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function request(command: string, extra: Partial<RunRequest> = {}): RunRequest {
  return { command, cwd: dir, env: { ...process.env }, timeoutMs: null, ...extra };
}

function run(command: string, extra: Partial<RunRequest> = {}): Promise<RunOutcome> {
  return startRun(request(command, extra), clock).done;
}

/**
 * Members of a process group that can still run. Zombies do not count: orphans are
 * reparented to init, and the init of some containers (this CI's included) reaps late
 * or never.
 */
function liveMembers(pgid: number): string[] {
  const ps = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, g, stat]) => Number(g) === pgid && !stat?.startsWith('Z'))
    .map((fields) => fields.join(' '));
}

/** A run whose `ready` resolves once the command printed "ready" (its traps are set). */
function started(command: string, extra: Partial<RunRequest> = {}) {
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const run = startRun(
    request(command, {
      ...extra,
      onOutput: (_stream, chunk) => {
        if (chunk.includes('ready')) resolveReady();
      },
    }),
    clock,
  );
  let done = false;
  void run.done.then(() => (done = true));
  return { handle: { ...run, pid: run.pid, done: run.done, settled: () => done }, ready };
}

/** Moves FakeTime on in small steps (the waits after a kill) until the run is over. */
async function drive<T>(time: FakeTime, done: Promise<T>): Promise<T> {
  let over = false;
  void done.then(() => (over = true));
  for (let i = 0; i < 400 && !over; i++) {
    time.advanceBy(25);
    await new Promise((r) => setTimeout(r, 10));
  }
  return done;
}

function killGroup(pgid: number | null): void {
  if (pgid === null) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('startRun: exit status and environment', () => {
  it('captures stdout and stderr of a successful command', async () => {
    const o = await run('echo out; echo err >&2; exit 0');
    expect(o).toMatchObject({
      status: 'success',
      exitCode: 0,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
      truncated: false,
    });
    expect(o.pid).toBeTypeOf('number');
  });

  it('reports a non-zero exit as a failure with its code', async () => {
    const o = await run('echo bad >&2; exit 3');
    expect(o).toMatchObject({ status: 'failure', exitCode: 3, signal: null, stderr: 'bad\n' });
  });

  it('reports a shell killed by someone else as a failure with the signal name', async () => {
    const o = await run('kill -KILL $$');
    expect(o).toMatchObject({ status: 'failure', exitCode: null, signal: 'SIGKILL' });
  });

  it('passes the environment of the request', async () => {
    const o = await run('echo "$FOO"', { env: { ...process.env, FOO: 'bar baz' } });
    expect(o.stdout).toBe('bar baz\n');
  });

  it('runs in the requested working directory', async () => {
    const o = await run('pwd');
    expect(o.stdout).toBe(`${dir}\n`);
  });

  it('takes startedAt and finishedAt from the injected clock', async () => {
    let t = 1000;
    const o = await startRun(request('true'), { now: () => (t += 5) }).done;
    expect(o.startedAt).toBe(1005);
    expect(o.finishedAt).toBeGreaterThan(o.startedAt);
  });

  it('leaves no timer behind once done', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const o = await run('echo hi', { timeoutMs: 60_000 });
    expect(o.status).toBe('success');
    // Not more than before: a timer of an earlier test may end meanwhile (a busy machine).
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe('startRun: timeout and cancel kill the whole process group', () => {
  // Timeouts and graces run on FakeTime: the test moves time, the processes are real.
  it('times out a command with children at the timeout, and nothing of its group survives', async () => {
    const time = new FakeTime('2026-01-01T00:00:00Z');
    const { handle, ready } = started('sleep 30 & sleep 30 & echo ready; wait', {
      timeoutMs: 1000,
      timers: time,
    });
    try {
      await ready;
      time.advanceBy(999);
      await realPause();
      expect(handle.settled()).toBe(false);
      expect(liveMembers(handle.pid as number)).toHaveLength(3);
      time.advanceBy(1);
      const o = await drive(time, handle.done);
      expect(o.status).toBe('timeout');
      expect(o.exitCode).toBeNull();
      expect(liveMembers(handle.pid as number)).toEqual([]);
    } finally {
      killGroup(handle.pid);
    }
  });

  // README, "Runs": "a timeout or cancel sends SIGTERM to the whole group and SIGKILL after 5 s".
  it('SIGKILLs a group that ignores SIGTERM 5 s after the SIGTERM, not before', async () => {
    const time = new FakeTime('2026-01-01T00:00:00Z');
    const { handle, ready } = started('trap "" TERM; sleep 30 & sleep 30 & echo ready; wait', {
      timeoutMs: 1000,
      timers: time,
    });
    try {
      await ready;
      time.advanceBy(1000); // SIGTERM, ignored
      await realPause();
      time.advanceBy(4999);
      await realPause();
      expect(handle.settled()).toBe(false);
      expect(liveMembers(handle.pid as number)).toHaveLength(3);
      time.advanceBy(1);
      const o = await drive(time, handle.done);
      expect(o.status).toBe('timeout');
      expect(o.signal).toBe('SIGKILL');
      expect(liveMembers(handle.pid as number)).toEqual([]);
    } finally {
      killGroup(handle.pid);
    }
  });

  it('SIGKILLs after the grace the request sets', async () => {
    const time = new FakeTime('2026-01-01T00:00:00Z');
    const { handle, ready } = started('trap "" TERM; sleep 30 & echo ready; wait', {
      timeoutMs: 300,
      killGraceMs: 500,
      timers: time,
    });
    try {
      await ready;
      time.advanceBy(300 + 499);
      await realPause();
      expect(liveMembers(handle.pid as number)).toHaveLength(2);
      time.advanceBy(1);
      const o = await drive(time, handle.done);
      expect(o).toMatchObject({ status: 'timeout', signal: 'SIGKILL' });
      expect(liveMembers(handle.pid as number)).toEqual([]);
    } finally {
      killGroup(handle.pid);
    }
  });

  it('waits for the SIGKILL when the shell dies on SIGTERM but a child ignores it', async () => {
    // The child ignores TERM and does not hold the pipes: only the group check sees it.
    const handle = startRun(
      request('(trap "" TERM; exec sleep 30) >/dev/null 2>&1 & wait', {
        timeoutMs: 300,
        killGraceMs: 400,
      }),
      clock,
    );
    try {
      const o = await handle.done;
      expect(o.status).toBe('timeout');
      expect(liveMembers(handle.pid as number)).toEqual([]);
    } finally {
      killGroup(handle.pid);
    }
  });

  it('cancels a running command', async () => {
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const handle = startRun(
      request('sleep 30 & sleep 30 & echo ready; wait', {
        onOutput: (_stream, chunk) => {
          if (chunk.includes('ready')) ready();
        },
      }),
      clock,
    );
    try {
      await started;
      handle.cancel();
      const o = await handle.done;
      expect(o).toMatchObject({ status: 'cancelled', exitCode: null, stdout: 'ready\n' });
      expect(liveMembers(handle.pid as number)).toEqual([]);
      handle.cancel(); // after the end: a no-op, not a throw
      expect((await handle.done).status).toBe('cancelled');
    } finally {
      killGroup(handle.pid);
    }
  });

  it('ignores cancel after the run ended', async () => {
    const handle = startRun(request('exit 4'), clock);
    const o = await handle.done;
    handle.cancel();
    expect(o).toMatchObject({ status: 'failure', exitCode: 4 });
  });

  it('lets go of a background child that keeps the pipes open, a second after the shell exits', async () => {
    const time = new FakeTime('2026-01-01T00:00:00Z');
    const { handle } = started('sleep 20 & echo hi', { timers: time });
    try {
      // The shell has exited once the wait for the pipes is armed (no timeout is set).
      await until(() => time.pendingCount === 1);
      time.advanceBy(999);
      await realPause();
      expect(handle.settled()).toBe(false);
      time.advanceBy(1);
      const o = await handle.done;
      expect(o).toMatchObject({ status: 'success', exitCode: 0, stdout: 'hi\n' });
      expect(liveMembers(handle.pid as number)).toHaveLength(1); // the sleep, let go
    } finally {
      killGroup(handle.pid);
    }
  });
});

describe('startRun: output', () => {
  it('bounds 50 MB per stream to head + marker + tail, with bounded memory', async () => {
    const size = 50 * 1024 * 1024;
    const total = 'START'.length + size + 'END'.length;
    const body = (ch: string) =>
      `printf START; head -c ${size} /dev/zero | tr '\\0' ${ch}; printf END`;
    const rssBefore = process.memoryUsage().rss;
    let rssMax = rssBefore;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
    }, 10);
    let o: RunOutcome;
    try {
      o = await run(`(${body('a')}) & (${body('b')}) >&2; wait`);
    } finally {
      clearInterval(sampler);
    }
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    expect(o.status).toBe('success');
    expect(o.truncated).toBe(true);
    const kept = OUTPUT_HEAD_BYTES + OUTPUT_TAIL_BYTES;
    const marker = droppedMarker(total - kept);
    expect(marker).toBe(`\n[… ${total - kept} bytes dropped …]\n`);
    for (const [text, ch] of [
      [o.stdout, 'a'],
      [o.stderr, 'b'],
    ] as const) {
      expect(text.length).toBe(kept + marker.length);
      expect(text.startsWith(`START${ch.repeat(100)}`)).toBe(true);
      expect(text.endsWith(`${ch.repeat(100)}END`)).toBe(true);
      expect(text.slice(OUTPUT_HEAD_BYTES, OUTPUT_HEAD_BYTES + marker.length)).toBe(marker);
    }
    expect(rssMax - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('passes live chunks to onOutput in order', async () => {
    const chunks: { stream: string; chunk: string }[] = [];
    const o = await run('for i in 1 2 3 4 5; do echo $i; echo e$i >&2; sleep 0.05; done', {
      onOutput: (stream, chunk) => chunks.push({ stream, chunk }),
    });
    const joined = (s: string) =>
      chunks
        .filter((c) => c.stream === s)
        .map((c) => c.chunk)
        .join('');
    expect(joined('stdout')).toBe('1\n2\n3\n4\n5\n');
    expect(joined('stderr')).toBe('e1\ne2\ne3\ne4\ne5\n');
    expect(joined('stdout')).toBe(o.stdout);
    // Live, not one chunk at the end.
    expect(chunks.filter((c) => c.stream === 'stdout').length).toBeGreaterThan(1);
  });

  it('does not split a multibyte character across live chunks', async () => {
    const chunks: string[] = [];
    const o = await run(`printf '\\342\\202'; sleep 0.2; printf '\\254\\n'`, {
      onOutput: (_stream, chunk) => chunks.push(chunk),
    });
    expect(chunks.join('')).toBe('€\n');
    expect(chunks.join('')).not.toContain('\uFFFD');
    expect(o.stdout).toBe('€\n');
  });

  it('survives an onOutput listener that throws', async () => {
    const o = await run('echo a', {
      onOutput: () => {
        throw new Error('listener bug');
      },
    });
    expect(o).toMatchObject({ status: 'success', stdout: 'a\n' });
  });
});

describe('startRun: failures to start never reject', () => {
  it('reports a missing working directory clearly', async () => {
    const handle = startRun(request('true', { cwd: '/nope/missing' }), clock);
    expect(handle.pid).toBeNull();
    const o = await handle.done;
    expect(o).toMatchObject({ status: 'failure', exitCode: null, signal: null, pid: null });
    expect(o.stderr).toContain('cmdop-scheduler: working directory /nope/missing does not exist');
  });

  it('reports a working directory that is a file', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const o = await run('true', { cwd: file });
    expect(o.status).toBe('failure');
    expect(o.stderr).toContain(`working directory ${file} is not a directory`);
  });

  it('reports a missing shell clearly', async () => {
    const o = await run('true', { shell: { file: '/bin/nosuch-shell', args: ['-c', 'true'] } });
    expect(o).toMatchObject({ status: 'failure', exitCode: null, pid: null });
    expect(o.stderr).toContain('cmdop-scheduler: shell /bin/nosuch-shell not found');
  });

  it('reports a shell that is not executable', async () => {
    const file = join(dir, 'not-exec');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o644);
    const o = await run('true', { shell: { file, args: ['-c', 'true'] } });
    expect(o.status).toBe('failure');
    expect(o.stderr).toContain(`shell ${file} is not executable`);
  });

  it('reports a command spawn rejects outright (NUL byte)', async () => {
    const o = await run('echo a\0b');
    expect(o.status).toBe('failure');
    expect(o.stderr).toContain('cmdop-scheduler: could not start shell');
  });
});

describe('resolveShell', () => {
  const exists = (p: string) => p === '/usr/bin/fish';

  it('uses $SHELL -c when it exists', () => {
    expect(resolveShell('ls', { SHELL: '/usr/bin/fish' }, 'linux', exists)).toEqual({
      file: '/usr/bin/fish',
      args: ['-c', 'ls'],
    });
  });

  it('falls back to /bin/sh when SHELL is unset, empty or missing', () => {
    for (const env of [{}, { SHELL: '' }, { SHELL: '/usr/bin/zsh' }]) {
      expect(resolveShell('ls', env, 'darwin', exists)).toEqual({
        file: '/bin/sh',
        args: ['-c', 'ls'],
      });
    }
  });

  it('checks the real file system by default', () => {
    expect(resolveShell('ls', { SHELL: '/nonexistent/shell' }, 'linux').file).toBe('/bin/sh');
    expect(resolveShell('ls', { SHELL: '/bin/sh' }, 'linux').file).toBe('/bin/sh');
  });

  it('uses cmd.exe /d /s /c on Windows', () => {
    expect(resolveShell('dir', { SHELL: '/usr/bin/fish' }, 'win32', exists)).toEqual({
      file: 'cmd.exe',
      args: ['/d', '/s', '/c', '"dir"'],
    });
  });
});
