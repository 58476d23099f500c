// `stats` on a schedule (ours): how its recent runs went, read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

async function runToEnd(id: string) {
  const { json } = await srv.call('POST', `/v1/schedules/${id}/run`);
  for (;;) {
    const r = await srv.call('GET', `/v1/commands/${json.data.command_id}`);
    if (r.json.data.status !== 'running') return r.json.data;
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('schedule stats', () => {
  it('counts runs and failures, lists recent runs, and cannot be written', async () => {
    const created = await srv.call('POST', '/v1/schedules', {
      name: 'Flaky',
      machine_id: 'local',
      cron: '0 3 * * *',
      command: 'test -f "$HOME/never-there-$$"',
    });
    const id = created.json.data.id;
    expect(created.json.data.stats).toEqual({
      runs_24h: 0,
      failures_24h: 0,
      last_failure_at: null,
      recent: [],
    });
    const failed = await runToEnd(id);
    await srv.call('PATCH', `/v1/schedules/${id}`, { command: 'true' });
    await runToEnd(id);
    const { json } = await srv.call('GET', `/v1/schedules/${id}`);
    expect(json.data.stats).toMatchObject({
      runs_24h: 2,
      failures_24h: 1,
      last_failure_at: failed.started_at,
    });
    expect(json.data.stats.recent.map((r: { status: string }) => r.status)).toEqual([
      'success',
      'failure',
    ]);
    const write = await srv.call('PATCH', `/v1/schedules/${id}`, { stats: json.data.stats });
    expect(write.status).toBe(400);
    expect(write.json.error.details.fields).toEqual({ stats: 'is read-only' });
  });
});
