// A command starts only after the app has recorded its process group: otherwise a crash in
// between would leave a process nobody knows to end. Real processes, real files.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gated, startRun } from '../../src/core/runner';

const clock = { now: () => Date.now() };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cmdop-gate-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Blocks this thread, as a slow synchronous write of the run record would. */
function blockFor(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe.skipIf(process.platform === 'win32')('the start gate', () => {
  it('holds the command until the record is made, then lets it run, in the same group', async () => {
    const marker = join(dir, 'started');
    let atRecord: { existed: boolean; pgid: number } | null = null;
    const handle = startRun(
      {
        command: `touch '${marker}'; echo "$$"`,
        cwd: dir,
        env: process.env,
        timeoutMs: null,
        onSpawned: (pgid) => {
          blockFor(300);
          atRecord = { existed: existsSync(marker), pgid };
        },
      },
      clock,
    );
    const outcome = await handle.done;
    expect(atRecord).toEqual({ existed: false, pgid: handle.pid });
    expect(outcome.status).toBe('success');
    expect(existsSync(marker)).toBe(true);
    // exec keeps the pid: the shell that ran the command is the recorded group leader.
    expect(outcome.stdout.trim()).toBe(String(handle.pid));
  });

  it('if the app dies before recording, the command never starts', async () => {
    const marker = join(dir, 'never');
    const launch = gated({ file: '/bin/sh', args: ['-c', `touch '${marker}'`] });
    const child = spawn(launch.file, launch.args, {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    // The app's end of the gate closes without the go-ahead, as when the app is killed.
    (child.stdio[3] as NodeJS.WritableStream).end();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(125);
    expect(existsSync(marker)).toBe(false);
  });

  it('a record that fails does not keep the command from running', async () => {
    const outcome = await startRun(
      {
        command: 'echo ran',
        cwd: dir,
        env: process.env,
        timeoutMs: null,
        onSpawned: () => {
          throw new Error('disk on fire');
        },
      },
      clock,
    ).done;
    expect(outcome).toMatchObject({ status: 'success', stdout: 'ran\n' });
  });

  it('the command does not inherit the gate (fd 3 is closed for it)', async () => {
    const outcome = await startRun(
      {
        command:
          'if [ -e /proc/self/fd/3 ] || { true >&3; } 2>/dev/null; then echo open; else echo closed; fi',
        cwd: dir,
        env: process.env,
        timeoutMs: null,
        onSpawned: () => {},
      },
      clock,
    ).done;
    expect(outcome.stdout).toBe('closed\n');
  });

  it('in a POSIX shell the command runs in that shell itself, which sees nothing of the gate', async () => {
    const outcome = await startRun(
      {
        command: 'echo "[$cmdop_go]" "$(basename "$0")" "$$"',
        cwd: dir,
        env: process.env,
        timeoutMs: null,
        shell: { file: '/bin/sh', args: ['-c', 'echo "[$cmdop_go]" "$(basename "$0")" "$$"'] },
        onSpawned: () => {},
      },
      clock,
    ).done;
    expect(outcome.stdout).toMatch(/^\[\] sh \d+\n$/);
  });

  it('another shell (not POSIX) starts behind a /bin/sh gate through exec, same pid', async () => {
    const fish = join(dir, 'notposix');
    writeFileSync(fish, '#!/bin/sh\nexec /bin/sh "$@"\n');
    chmodSync(fish, 0o755);
    const marker = join(dir, 'ran');
    let existedAtRecord: boolean | null = null;
    const handle = startRun(
      {
        command: 'unused',
        cwd: dir,
        env: process.env,
        timeoutMs: null,
        shell: { file: fish, args: ['-c', `touch '${marker}'; echo "$$"`] },
        onSpawned: () => {
          blockFor(200);
          existedAtRecord = existsSync(marker);
        },
      },
      clock,
    );
    const outcome = await handle.done;
    expect(existedAtRecord).toBe(false);
    expect(existsSync(marker)).toBe(true);
    expect(outcome.stdout.trim()).toBe(String(handle.pid));
    // And without the go-ahead it never starts.
    const never = join(dir, 'never');
    const launch = gated({ file: fish, args: ['-c', `touch '${never}'`] });
    expect(launch.file).toBe('/bin/sh');
    const child = spawn(launch.file, launch.args, {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    (child.stdio[3] as NodeJS.WritableStream).end();
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(125);
    expect(existsSync(never)).toBe(false);
  });
});
