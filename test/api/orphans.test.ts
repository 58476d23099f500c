// kill -9 of the server while a command runs: its process group outlives it. The next start
// must find that group, count it as running (overlap 'skip' holds, no second copy), end it
// (SIGTERM, then SIGKILL after the grace) and record the run interrupted with the reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, groupAlive, startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDirs } from '../helpers/server';

const newDir = tempDirs(afterEach);
const running: ServeProcess[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.stop();
});

/** The process group the server recorded for the run (in its history log). */
function recordedGroup(dataDir: string, scheduleId: string, commandId: string): number | null {
  try {
    const log = readFileSync(join(dataDir, 'history', `${scheduleId}.jsonl`), 'utf8');
    for (const line of log.trim().split('\n')) {
      const record = JSON.parse(line);
      if (record.command_id === commandId && typeof record.pgid === 'number') return record.pgid;
    }
  } catch {
    // not written yet
  }
  return null;
}

describe.skipIf(process.platform === 'win32')('kill -9 while a command runs', () => {
  it('the restarted app ends the orphaned group, records it interrupted, never runs two copies', async () => {
    const dataDir = newDir();
    const first = await startServe(dataDir);
    const created = await first.call('POST', '/v1/schedules', {
      name: 'long job',
      machine_id: 'local',
      // Ignores SIGTERM, and has a child that ignores it too: only SIGKILL ends the group.
      command: "trap '' TERM; sleep 300 & sleep 300; wait",
      cron: '0 0 1 1 *',
      overlap: 'skip',
    });
    const id = created.json.data.id;
    const started = await first.call('POST', `/v1/schedules/${id}/run`);
    const commandId = started.json.data.command_id;
    const pgid = await eventually('the recorded group', () =>
      recordedGroup(dataDir, id, commandId),
    );

    await first.kill9();
    expect(groupAlive(pgid)).toBe(true); // the orphan is real

    const second = await startServe(dataDir);
    running.push(second);
    // While the group lives, the run counts as running: no second copy under 'skip'.
    expect((await second.call('GET', `/v1/schedules/${id}`)).json.data.running).toBe(true);
    const refused = await second.call('POST', `/v1/schedules/${id}/run`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.details.command_id).toBe(commandId);
    expect((await second.call('GET', `/v1/commands/${commandId}`)).json.data.run_status).toBe(
      'running',
    );

    // Ended within the grace (5 s) plus a moment, SIGKILL included.
    await eventually('the orphaned group to be gone', () => !groupAlive(pgid), 15_000);
    const run = await eventually('the run recorded interrupted', async () => {
      const r = (await second.call('GET', `/v1/commands/${commandId}`)).json.data;
      return r.run_status === 'interrupted' ? r : null;
    });
    expect(run.stderr).toContain('its processes were still running and were ended');
    expect(second.cli.stderr()).toContain(`process group ${pgid}`);

    const again = await second.call('POST', `/v1/schedules/${id}/run`);
    expect(again.status).toBe(200);
    expect((await second.call('GET', `/v1/schedules/${id}`)).json.data.running).toBe(true);
    // Ends the new run at once (it ignores SIGTERM; stopping would wait out the grace).
    const next = again.json.data.command_id;
    process.kill(
      -(await eventually('its group', () => recordedGroup(dataDir, id, next))),
      'SIGKILL',
    );
  }, 30_000);

  it('an ad-hoc command is found and ended the same way (same start gate, same history)', async () => {
    const dataDir = newDir();
    const first = await startServe(dataDir);
    const started = await first.call('POST', '/v1/commands/async', {
      machine_id: 'local',
      command: "trap '' TERM; sleep 300 & sleep 300; wait",
    });
    const commandId = started.json.data.id;
    const pgid = await eventually('the recorded group', () =>
      recordedGroup(dataDir, 'adhoc', commandId),
    );
    await first.kill9();
    expect(groupAlive(pgid)).toBe(true);

    const second = await startServe(dataDir);
    running.push(second);
    expect((await second.call('GET', `/v1/commands/${commandId}`)).json.data.status).toBe(
      'running',
    );
    await eventually('the orphaned group to be gone', () => !groupAlive(pgid), 15_000);
    const run = await eventually('the command recorded interrupted', async () => {
      const r = (await second.call('GET', `/v1/commands/${commandId}`)).json.data;
      return r.run_status === 'interrupted' ? r : null;
    });
    expect(run).toMatchObject({
      status: 'failed',
      schedule_id: 'adhoc',
      command: "trap '' TERM; sleep 300 & sleep 300; wait",
    });
    expect(run.stderr).toContain('its processes were still running and were ended');
  }, 30_000);

  it('a group that ended while the app was down is just recorded interrupted', async () => {
    const dataDir = newDir();
    const first = await startServe(dataDir);
    const id = (
      await first.call('POST', '/v1/schedules', {
        name: 'short',
        machine_id: 'local',
        command: 'sleep 300',
        cron: '0 0 1 1 *',
      })
    ).json.data.id;
    const commandId = (await first.call('POST', `/v1/schedules/${id}/run`)).json.data.command_id;
    const pgid = await eventually('the recorded group', () =>
      recordedGroup(dataDir, id, commandId),
    );
    await first.kill9();
    process.kill(-pgid, 'SIGKILL');
    await eventually('the group to be gone', () => !groupAlive(pgid));

    const second = await startServe(dataDir);
    running.push(second);
    const run = (await second.call('GET', `/v1/commands/${commandId}`)).json.data;
    expect(run).toMatchObject({ status: 'failed', run_status: 'interrupted' });
    expect(run.stderr).toContain('the app stopped while this command ran');
    expect(run.stderr).not.toContain('were ended');
    expect((await second.call('GET', `/v1/schedules/${id}`)).json.data.running).toBe(false);
  });
});
