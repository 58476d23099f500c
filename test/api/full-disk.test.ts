// A real full file system (a small tmpfs, as root): the server process stays up, keeps
// firing and answering reads, reports the condition, refuses writes with 507 changing
// nothing — and when space returns, the runs kept in memory land on disk and everything
// works again, without a restart.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDirs } from '../helpers/server';
import { storeBytes } from '../helpers/store-files';

const isRoot = process.getuid?.() === 0;
const newDir = tempDirs(afterEach);
const cleanups: (() => void | Promise<unknown>)[] = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function mountTmpfs(size: string): string {
  const mnt = join(newDir(), 'mnt');
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', mnt]);
  cleanups.push(() => void execFileSync('umount', ['-l', mnt]));
  return mnt;
}

/** Writes zeros until the file system says ENOSPC; returns the filler's path. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  // Small writes can still land in the tail of a page: fill that too.
  const tail = openSync(filler, 'a');
  try {
    for (;;) writeSync(tail, Buffer.alloc(512));
  } catch {
    // full to the byte
  } finally {
    closeSync(tail);
  }
  return filler;
}

async function totalRuns(serve: ServeProcess, id: string): Promise<number> {
  return (await serve.call('GET', `/v1/schedules/${id}/history?limit=1`)).json.meta.total;
}

describe.skipIf(!isRoot)('a full disk (real tmpfs)', () => {
  it('keeps running, reports, refuses writes with 507, and recovers by itself', async () => {
    const mnt = mountTmpfs('3m');
    const dataDir = join(mnt, 'data');
    const serve = await startServe(dataDir);
    cleanups.push(() => serve.stop());

    const ticker = await serve.call('POST', '/v1/schedules', {
      name: 'ticker',
      machine_id: 'local',
      command: 'echo tick',
      cron: '* * * * * *',
    });
    expect(ticker.status).toBe(201);
    const tickerId = ticker.json.data.id;
    const manual = (
      await serve.call('POST', '/v1/schedules', {
        name: 'manual',
        machine_id: 'local',
        command: 'echo "from the full disk"',
        cron: '0 0 1 1 *',
      })
    ).json.data.id;
    await eventually('a first run on disk', async () => (await totalRuns(serve, tickerId)) >= 2);

    const filler = fill(mnt);
    const problem = await eventually('the storage problem in settings', async () => {
      const s = (await serve.call('GET', '/v1/settings')).json.data.storage;
      return s.ok ? null : s.problem;
    });
    expect(problem).toMatchObject({ code: 'ENOSPC' });
    expect(problem.path.startsWith(dataDir)).toBe(true);
    expect(problem.message).toMatch(/no space left/);

    // It keeps firing and answering: the runs are kept in memory.
    const whileFull = await totalRuns(serve, tickerId);
    await eventually(
      'runs while the disk is full',
      async () => (await totalRuns(serve, tickerId)) > whileFull + 1,
    );
    const run = await serve.call('POST', `/v1/schedules/${manual}/run`);
    expect(run.status).toBe(200);
    const done = await eventually('the manual run to end', async () => {
      const r = (await serve.call('GET', `/v1/commands/${run.json.data.command_id}`)).json.data;
      return r.status === 'running' ? null : r;
    });
    expect(done).toMatchObject({ run_status: 'success', stdout: 'from the full disk\n' });

    // Writes are refused with the envelope, naming the path and the free space; nothing
    // changes. (A small write can still fit in the last page of the journal file: such a
    // write truly succeeds and is durable, so keep writing until the disk says no.)
    let accepted = 0;
    let create: { status: number; json: any } | null = null;
    for (let i = 0; i < 200; i++) {
      const before = storeBytes(dataDir);
      const res = await serve.call('POST', '/v1/schedules', {
        name: `while full ${i}`,
        machine_id: 'local',
        command: 'true',
        cron: '0 3 * * *',
      });
      if (res.status === 201) {
        accepted++;
        continue;
      }
      expect(storeBytes(dataDir)).toBe(before);
      create = res;
      break;
    }
    expect(create?.status).toBe(507);
    expect(create?.json.error).toMatchObject({
      code: 'insufficient_storage',
      details: { path: join(dataDir, 'config.journal'), errno: 'ENOSPC' },
    });
    expect(typeof create?.json.error.details.free_bytes).toBe('number');
    expect((await serve.call('GET', '/v1/schedules')).json.meta.total).toBe(2 + accepted);
    const before = storeBytes(dataDir);
    const patch = await serve.call('PATCH', `/v1/schedules/${manual}`, { name: 'renamed' });
    expect(patch.status).toBe(507);
    expect((await serve.call('GET', `/v1/schedules/${manual}`)).json.data.name).toBe('manual');
    expect(storeBytes(dataDir)).toBe(before);
    const rotate = await serve.call('POST', '/v1/settings/token/rotate');
    expect(rotate.status).toBe(507);
    expect((await serve.call('GET', '/v1/machines')).status).toBe(200); // the old token still works
    expect(serve.cli.child.exitCode).toBeNull();

    // Space returns: no restart, the kept runs land on disk, writes work again.
    rmSync(filler);
    await eventually('the storage problem to clear', async () => {
      return (await serve.call('GET', '/v1/settings')).json.data.storage.ok;
    });
    await eventually('the kept runs on disk', () => {
      try {
        const manualLog = readFileSync(join(dataDir, 'history', `${manual}.jsonl`), 'utf8');
        return manualLog.includes(`"status":"success"`);
      } catch {
        return false; // not written yet
      }
    });
    const output = readFileSync(join(dataDir, 'history', manual, `${done.run_id}.json`), 'utf8');
    expect(JSON.parse(output).stdout).toBe('from the full disk\n');
    const lines = readFileSync(join(dataDir, 'history', `${tickerId}.jsonl`), 'utf8')
      .trim()
      .split('\n').length;
    expect(lines).toBeGreaterThan(whileFull);
    expect(
      (
        await serve.call('POST', '/v1/schedules', {
          name: 'after',
          machine_id: 'local',
          command: 'true',
          cron: '0 3 * * *',
        })
      ).status,
    ).toBe(201);
    expect(serve.cli.child.exitCode).toBeNull();
    expect(serve.cli.stderr()).not.toMatch(/unhandled|uncaught/i);
    expect(serve.cli.stderr()).toMatch(/storage: cannot write .*no space left/);
  });

  it('a data directory that cannot be written at all: serve says so and exits 1', async () => {
    const mnt = mountTmpfs('64k');
    fill(mnt);
    const cli = (await import('../helpers/cli')).runCli([
      'serve',
      '--port',
      '0',
      '--data-dir',
      join(mnt, 'data'),
    ]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(
      /cannot use the data directory .*no space left on the device \(ENOSPC\)/,
    );
    expect(cli.stderr()).not.toContain('    at ');
  });
});
