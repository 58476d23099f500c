// How a run starts: a working directory or a shell that fails the checks (or goes away
// right after them), and how the shell to run the command in is found and called.
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  resolveShell,
  startRun,
  type RunHandle,
  type RunRequest,
  type ShellCommand,
} from '../../src/core/runner';
import { clock, envDoing, failedStart, runnerRig } from '../helpers/runner-rig';

const rig = runnerRig(beforeAll, afterAll, afterEach);
const { request, ownShell } = rig;

describe.skipIf(process.platform !== 'linux')('runner: starts that fail', () => {
  it('a working directory below a file does not exist', async () => {
    const file = join(rig.dir, 'plain-file');
    writeFileSync(file, '');
    const cwd = join(file, 'sub');
    const o = await startRun(request('true', { cwd }), clock).done;
    expect(o).toMatchObject(failedStart(`working directory ${cwd} does not exist`));
  });

  it('a working directory that cannot be resolved says why', async () => {
    const loop = join(rig.dir, 'cwd-loop');
    symlinkSync(loop, loop);
    const o = await startRun(request('true', { cwd: loop }), clock).done;
    expect(o).toMatchObject(
      failedStart(
        `working directory ${loop} cannot be used: ELOOP: too many symbolic links encountered, stat '${loop}'`,
      ),
    );
  });

  it('a shell below a file is not found; a shell that cannot be resolved says why', async () => {
    const file = join(rig.dir, 'plain-file-2');
    writeFileSync(file, '');
    const below = join(file, 'sh');
    const o1 = await startRun(
      request('true', { shell: { file: below, args: ['-c', 'true'] } }),
      clock,
    ).done;
    expect(o1).toMatchObject(failedStart(`shell ${below} not found`));
    const loop = join(rig.dir, 'shell-loop');
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
    const cwd = join(rig.dir, 'vanishing');
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
    const file = join(rig.dir, 'some-shell');
    writeFileSync(file, '');
    expect(resolveShell('ls', { SHELL: file }).file).toBe(file);
    expect(resolveShell('ls', { SHELL: rig.dir }).file).toBe('/bin/sh');
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
