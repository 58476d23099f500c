// How a run ends: killed on a timeout or a cancel (SIGTERM, the grace, a SIGKILL that does
// not take), or over on its own once its shell and pipes are done.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../src/core/process-groups';
import { startRun, type RunOutcome } from '../../src/core/runner';
import {
  blockUntilDead,
  clock,
  drive,
  fakeTime,
  groupOf,
  realKill,
  realPause,
  recording,
  runnerRig,
  until,
  watchKill,
} from '../helpers/runner-rig';

const { pids, request, started } = runnerRig(beforeAll, afterAll, afterEach);

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
