// Run output holds secrets: nothing the app writes under the data directory may be readable
// by group or others — not by the folder's mode alone, by each file's own — and an existing
// folder that others can read is made private, or refused when it is someone else's.
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirPermissionError } from '../../src/core/private-fs';
import { runCli } from '../helpers/cli';
import { startTestServer, tempDirs, type TestServer } from '../helpers/server';

const newDir = tempDirs(afterEach);
const isRoot = process.getuid?.() === 0;
const SECRET = 'hunter2-secret-value';

function walk(dir: string): { path: string; mode: number; dir: boolean }[] {
  const out = [{ path: dir, mode: statSync(dir).mode & 0o777, dir: true }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...walk(path));
    else out.push({ path, mode: stat.mode & 0o777, dir: false });
  }
  return out;
}

function shared(dataDir: string): string[] {
  return walk(dataDir)
    .filter((e) => (e.mode & 0o077) !== 0)
    .map((e) => `${e.path.slice(dataDir.length)} ${e.mode.toString(8)}`);
}

async function finish(srv: TestServer, commandId: string) {
  for (;;) {
    const run = await srv.call('GET', `/v1/commands/${commandId}`);
    if (run.json.data.status !== 'running') return run.json.data;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A server that has written every kind of file: store, token, history, output, heartbeat. */
async function busyServer(dataDir: string) {
  const srv = await startTestServer({ dataDir });
  const created = await srv.call('POST', '/v1/schedules', {
    name: 'leaks a secret',
    machine_id: 'local',
    command: `echo "password=${SECRET}"; echo "${SECRET}" >&2`,
    cron: '0 0 1 1 *',
    env: { API_KEY: SECRET },
  });
  const run = await srv.call('POST', `/v1/schedules/${created.json.data.id}/run`);
  const done = await finish(srv, run.json.data.command_id);
  expect(done.stdout).toContain(SECRET);
  await srv.call('PATCH', '/v1/settings', { notifications: { muted: true } });
  await srv.call('POST', '/v1/settings/token/rotate');
  await srv.stop();
  return srv;
}

describe('files under the data directory', () => {
  it('are 0600 and folders 0700, output with a secret included, whatever the umask', async () => {
    const previous = process.umask(0o022); // the usual umask: files 0644 unless the app says
    try {
      const dataDir = join(newDir(), 'data');
      await busyServer(dataDir);
      const entries = walk(dataDir);
      const withSecret = entries.filter(
        (e) => !e.dir && readFileSync(e.path, 'utf8').includes(SECRET),
      );
      // The walk sees the output file and the store (the env holds the secret too).
      expect(withSecret.map((e) => e.path.slice(dataDir.length))).toEqual(
        expect.arrayContaining([
          '/config.json',
          expect.stringMatching(/^\/history\/sched_\w+\/run_\w+\.json$/),
        ]),
      );
      expect(entries.some((e) => e.path.endsWith('.jsonl'))).toBe(true);
      expect(entries.some((e) => e.path.endsWith('state.json'))).toBe(true);
      expect(shared(dataDir)).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it('an existing folder others can read (a copy, a backup tool) is made private at start', async () => {
    const dataDir = join(newDir(), 'data');
    await busyServer(dataDir);
    for (const e of walk(dataDir)) chmodSync(e.path, e.dir ? 0o755 : 0o644);
    expect(shared(dataDir).length).toBeGreaterThan(5);

    const srv = await startTestServer({ dataDir });
    await srv.stop();
    expect(shared(dataDir)).toEqual([]);
    expect(srv.log.lines.join('\n')).toMatch(/readable by other users; made it and \d+ item/);
    const list = await (async () => {
      const again = await startTestServer({ dataDir });
      try {
        return await again.call('GET', '/v1/schedules');
      } finally {
        await again.stop();
      }
    })();
    expect(list.json.data[0].name).toBe('leaks a secret'); // tightened, not wiped
  });

  it.skipIf(!isRoot)('someone else’s open folder is refused with how to fix it', async () => {
    const dataDir = join(newDir(), 'theirs');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    chownSync(dataDir, 65534, 65534);
    await expect(startTestServer({ dataDir })).rejects.toThrow(DataDirPermissionError);
    await expect(startTestServer({ dataDir })).rejects.toThrow(/chmod -R go-rwx/);
    expect(readdirSync(dataDir)).toEqual([]); // nothing written into it

    const cli = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain('readable by other users');
    expect(cli.stderr()).not.toContain('    at '); // a message, not a stack trace
  });

  it.skipIf(!isRoot)('someone else’s private folder is left alone', async () => {
    const dataDir = join(newDir(), 'theirs-private');
    mkdirSync(dataDir, { mode: 0o700 });
    chownSync(dataDir, 65534, 65534);
    const srv = await startTestServer({ dataDir });
    await srv.stop();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});
