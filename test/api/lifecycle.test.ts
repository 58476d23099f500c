// The server's life on disk: restarts, corrupt files, the data-dir lock, signals.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { startTestServer, tempDirs } from '../helpers/server';

const BODY = { name: 'Nightly', machine_id: 'local', command: 'echo hi', cron: '0 3 * * *' };

const dir = tempDirs(afterEach);

describe('persistence', () => {
  it('keeps schedules, the machine id and the token across a restart', async () => {
    const dataDir = dir();
    const first = await startTestServer({ dataDir });
    const created = (await first.call('POST', '/v1/schedules', BODY)).json.data;
    await first.call('PATCH', `/v1/schedules/${created.id}`, { enabled: false });
    await first.stop();

    const second = await startTestServer({ dataDir });
    expect(second.token).toBe(first.token);
    const got = await second.call('GET', `/v1/schedules/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.json.data).toMatchObject({
      name: 'Nightly',
      enabled: false,
      machine_id: created.machine_id,
    });
    await second.stop();
  });

  it('stores the token and the store file owner-only (0600)', async () => {
    const dataDir = dir();
    const srv = await startTestServer({ dataDir });
    await srv.call('POST', '/v1/schedules', BODY);
    await srv.stop();
    expect(statSync(join(dataDir, 'api-token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'api-token'), 'utf8').trim().length).toBeGreaterThanOrEqual(
      43,
    );
  });

  it('backs up a corrupt store file, says so, and still starts', async () => {
    const dataDir = dir();
    const garbage = '{"schemaVersion":1,"schedules":{"sched_a": {"name": "half-writ';
    writeFileSync(join(dataDir, 'config.json'), garbage);
    const srv = await startTestServer({ dataDir });
    const backups = readdirSync(dataDir).filter((f) => /^config\.json\.corrupt-.*\.bak$/.test(f));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dataDir, backups[0] as string), 'utf8')).toBe(garbage);
    expect(
      srv.log.lines.some((l) => l.startsWith('error') && l.includes(backups[0] as string)),
    ).toBe(true);
    expect((await srv.call('GET', '/v1/schedules')).json.meta.total).toBe(0);
    expect((await srv.call('POST', '/v1/schedules', BODY)).status).toBe(201);
    await srv.stop();
  });
});

describe('the headless CLI', () => {
  it('serves on --port 0, prints how to connect, and stops cleanly on SIGTERM', async () => {
    const dataDir = dir();
    const cli = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    const url = await cli.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    expect(cli.stdout()).toContain(`API token: ${token}`);
    expect(cli.stdout()).toContain(`curl -H "Authorization: Bearer ${token}" ${url}/v1/schedules`);
    const res = await fetch(`${url}/v1/machines`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(existsSync(join(dataDir, 'scheduler.lock'))).toBe(true);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(existsSync(join(dataDir, 'scheduler.lock'))).toBe(false);
    await expect(fetch(`${url}/v1/machines`)).rejects.toThrow();
  });

  it('refuses to start a second server on the same data directory', async () => {
    const dataDir = dir();
    const first = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    await first.listening;
    const second = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(
      `Another Cmdop Scheduler (pid ${first.child.pid}) is already using ${dataDir}`,
    );
    expect(second.stdout()).not.toContain('listening');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  });

  it('takes over the lock of a server that was killed with SIGKILL', async () => {
    const dataDir = dir();
    const first = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    await first.listening;
    first.child.kill('SIGKILL');
    await first.exited;
    const second = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    await second.listening;
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('uses CMDOP_SCHEDULER_TOKEN without printing or storing it', async () => {
    const dataDir = dir();
    const secret = 'env-token-0123456789abcdefghijklmnopqrstuvwxyz';
    const cli = runCli(['serve', '--port', '0', '--data-dir', dataDir], {
      CMDOP_SCHEDULER_TOKEN: secret,
    });
    const url = await cli.listening;
    expect(cli.stdout()).not.toContain(secret);
    expect(cli.stdout()).toContain('API token: from CMDOP_SCHEDULER_TOKEN');
    // A link that opens: no literal variable in it; the page asks for the token.
    const link = /open the UI: (\S+)/.exec(cli.stdout())?.[1];
    expect(link).toBe(`${url}/`);
    expect(cli.stdout()).toContain('paste the value of CMDOP_SCHEDULER_TOKEN when asked');
    const page = await fetch(link as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const res = await fetch(`${url}/v1/schedules`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
    expect(existsSync(join(dataDir, 'api-token'))).toBe(false);
    cli.child.kill('SIGTERM');
    await cli.exited;
  });

  it('explains bad arguments', async () => {
    const cli = runCli(['serve', '--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain("--port must be an integer 0-65535, got 'eighty'");
  });
});
