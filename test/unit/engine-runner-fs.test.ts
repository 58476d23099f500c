// What the file system answers that a test running as root cannot make it answer for real:
// a working directory the user may not enter, a /proc that cannot be listed, and a process
// that exits while /proc is being read. node:fs passes everything through but the one answer
// a test puts in; the processes are real.
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { groupAlive } from '../../src/core/process-groups';
import { startRun } from '../../src/core/runner';

const fsAnswer = vi.hoisted(() => ({
  /** Throws for paths the test picks, before the real accessSync. */
  access: null as ((path: string) => void) | null,
  /** Replaces the listing of /proc. */
  procEntries: null as ((real: () => string[]) => string[]) | null,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const accessSync: typeof fs.accessSync = (path, mode) => {
    fsAnswer.access?.(String(path));
    fs.accessSync(path, mode);
  };
  const readdirSync = ((path: string, ...rest: unknown[]) => {
    const real = () => (fs.readdirSync as (...a: unknown[]) => string[])(path, ...rest);
    return path === '/proc' && fsAnswer.procEntries ? fsAnswer.procEntries(real) : real();
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, accessSync, readdirSync }, accessSync, readdirSync };
});

const clock = { now: () => Date.now() };
let dir: string;
const groups: number[] = [];

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'cmdop-runner-fs-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  fsAnswer.access = null;
  fsAnswer.procEntries = null;
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function refuse(target: string, code: 'EACCES' | 'EPERM') {
  fsAnswer.access = (path) => {
    if (path === target) {
      const what = code === 'EACCES' ? 'permission denied' : 'operation not permitted';
      throw Object.assign(new Error(`${code}: ${what}, access '${path}'`), { code });
    }
  };
}

/** A real process group of its own (a sleep), alive until afterEach. */
async function liveGroup(): Promise<number> {
  const child = spawn('/bin/sh', ['-c', 'echo up; exec sleep 60'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  groups.push(child.pid as number);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.unref();
  return child.pid as number;
}

describe.skipIf(process.platform !== 'linux')('a working directory the user may not enter', () => {
  for (const code of ['EACCES', 'EPERM'] as const) {
    it(`(${code}) fails the run, saying so`, async () => {
      refuse(dir, code);
      const handle = startRun(
        { command: 'true', cwd: dir, env: process.env, timeoutMs: null },
        clock,
      );
      expect(handle.pid).toBeNull();
      expect(await handle.done).toMatchObject({
        status: 'failure',
        exitCode: null,
        stdout: '',
        stderr: `cmdop-scheduler: working directory ${dir} is not accessible (permission denied)\n`,
        pid: null,
      });
    });
  }
});

describe.skipIf(process.platform !== 'linux')('groupAlive and /proc', () => {
  it('a group kill() finds counts as alive when /proc cannot be listed', async () => {
    const pgid = await liveGroup();
    fsAnswer.procEntries = () => {
      throw Object.assign(new Error('EACCES: permission denied, scandir /proc'), {
        code: 'EACCES',
      });
    };
    expect(groupAlive(pgid)).toBe(true);
  });

  it('a process that exits while /proc is read is passed over', async () => {
    const pgid = await liveGroup();
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    // Listed, then gone before its stat is read.
    fsAnswer.procEntries = (real) => [String(gone.pid), ...real()];
    expect(groupAlive(pgid)).toBe(true);
    process.kill(-pgid, 'SIGKILL');
    await expect.poll(() => groupAlive(pgid)).toBe(false);
  });
});
