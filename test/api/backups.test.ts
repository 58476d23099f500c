// Backups of the store over the real API: a daily copy (seven kept), copies on request, and
// restore — which first saves the current store, so a restore can be undone.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, startTestServer, tempDirs, type TestServer } from '../helpers/server';

const newDir = tempDirs(afterEach);
let srv: TestServer | null = null;

afterEach(async () => {
  await srv?.stop();
  srv = null;
});

const job = (name: string) => ({ name, machine_id: 'local', command: 'true', cron: '0 3 * * *' });

async function names(s: TestServer): Promise<string[]> {
  return (await s.call('GET', '/v1/schedules')).json.data.map((x: any) => x.name);
}

describe('daily backups', () => {
  it('copies the store at start and once a day after that, keeping seven', async () => {
    const dir = newDir();
    const clock = new FakeClock(Date.parse('2026-03-01T08:00:00Z'));
    for (let day = 0; day < 9; day++) {
      srv = await startTestServer({ dataDir: dir, clock });
      // A restart within the day adds nothing.
      if (day === 0) {
        await srv.stop();
        srv = await startTestServer({ dataDir: dir, clock });
      }
      await srv.stop();
      srv = null;
      clock.advance(24 * 3600_000);
    }
    srv = await startTestServer({ dataDir: dir, clock });
    const list = (await srv.call('GET', '/v1/backups')).json;
    expect(list.data.map((b: any) => b.created_at)).toEqual(
      [10, 9, 8, 7, 6, 5, 4].map((d) => `2026-03-${String(d).padStart(2, '0')}T08:00:00Z`),
    );
    expect(list.data.every((b: any) => b.kind === 'daily' && b.schedules === 0)).toBe(true);
    const folder = join(dir, 'backups');
    expect(lstatSync(folder).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(folder))
      expect(lstatSync(join(folder, f)).mode & 0o777).toBe(0o600);
  });
});

describe('restore', () => {
  it('brings back the schedules of a backup, and can itself be undone', async () => {
    srv = await startTestServer({ dataDir: newDir() });
    await srv.call('POST', '/v1/schedules', job('kept in the backup'));
    const made = await srv.call('POST', '/v1/backups');
    expect(made.status).toBe(201);
    expect(made.json.data).toMatchObject({ kind: 'manual', schedules: 1 });
    const gone = (await srv.call('GET', '/v1/schedules')).json.data[0].id;
    await srv.call('DELETE', `/v1/schedules/${gone}`);
    await srv.call('POST', '/v1/schedules', job('made after the backup'));
    await srv.call('PATCH', '/v1/settings', { paused: true });

    const restored = await srv.call('POST', `/v1/backups/${made.json.data.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.json.data.schedules).toBe(1);
    expect(restored.json.data.previous.kind).toBe('before-restore');
    expect(await names(srv)).toEqual(['kept in the backup']);
    expect((await srv.call('GET', '/v1/settings')).json.data.paused).toBe(false);
    // The restored schedule is planned again: it has a next run.
    expect((await srv.call('GET', '/v1/schedules')).json.data[0].next_run).not.toBeNull();

    const undo = await srv.call('POST', `/v1/backups/${restored.json.data.previous.id}/restore`);
    expect(undo.status).toBe(200);
    expect(await names(srv)).toEqual(['made after the backup']);
    expect((await srv.call('GET', '/v1/settings')).json.data.paused).toBe(true);
  });

  it('404 for a backup that does not exist or a name that leaves the folder', async () => {
    srv = await startTestServer({ dataDir: newDir() });
    for (const id of ['config-20260101T000000Z-manual.json', '..%2Fconfig.json', 'api-token']) {
      const res = await srv.call('POST', `/v1/backups/${id}/restore`);
      expect(res.status, id).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
  });
});
