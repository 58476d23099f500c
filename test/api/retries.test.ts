// Retries with real processes and an injected clock: how many, when (delay and backoff),
// what each attempt records, one notification after the last, cancelling, and a restart.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { retryWait } from '../../src/core/retries';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, sleep, until, type PolicyServer } from '../helpers/policies';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const T0 = '2026-06-01T10:00:00Z';
const at = (iso: string, s: number) =>
  new Date(Date.parse(iso) + s * 1000).toISOString().replace('.000', '');

let open: PolicyServer[] = [];
afterEach(async () => {
  for (const p of open) await p.stop();
  open = [];
});

async function server(time: FakeTime, dataDir = dir()) {
  const p = await policyServer({ time, dataDir, killGraceMs: 300 });
  open.push(p);
  return p;
}

describe('retries', () => {
  it('retries a failure `retries` times, waiting retry_delay × backoff^n, then notifies once', async () => {
    const time = new FakeTime(T0);
    const p = await server(time);
    const s = await p.create({
      name: 'Flaky',
      command: 'echo "try $$"; echo "disk full" >&2; exit 3',
      retries: 3,
      retry_delay: 10_000,
      retry_backoff: 2,
    });
    const first = await p.runNow(s.id);
    let runs = await p.settled(s.id, 1);
    expect(runs[0]).toMatchObject({ status: 'failure', exit_code: 3, attempt: 1, retry_of: null });
    // The retry waits, visibly, and can be found from the failed command.
    expect(await p.get(s.id)).toMatchObject({
      next_retry_at: at(T0, 10),
      retry_command_id: first,
    });
    expect((await p.srv.call('GET', `/v1/commands/${first}`)).json.data.next_retry_at).toBe(
      at(T0, 10),
    );

    time.advanceBy(9_999);
    expect(await p.runs(s.id)).toHaveLength(1);
    time.advanceBy(1); // 10 s after the failure
    await p.settled(s.id, 2);
    time.advanceBy(20_000); // then 20 s
    await p.settled(s.id, 3);
    time.advanceBy(39_999);
    expect(await p.runs(s.id)).toHaveLength(3);
    time.advanceBy(1); // then 40 s
    runs = await p.settled(s.id, 4);

    expect(runs.map((r) => [r.attempt, r.started_at, r.status])).toEqual([
      [1, T0, 'failure'],
      [2, at(T0, 10), 'failure'],
      [3, at(T0, 30), 'failure'],
      [4, at(T0, 70), 'failure'],
    ]);
    // Each attempt is its own run and command, all pointing at the first.
    expect(new Set(runs.map((r) => r.command_id)).size).toBe(4);
    expect(runs.slice(1).map((r) => r.retry_of)).toEqual([first, first, first]);
    expect(runs.every((r) => r.trigger === 'manual' && r.stdout.startsWith('try '))).toBe(true);
    expect((await p.get(s.id)).next_retry_at).toBeNull();

    // Nothing was said while attempts remained; one notice after the last, with the count.
    time.advanceBy(2_000);
    await until(
      async () => p.srv.notices.length,
      (n) => n > 0,
    );
    expect(p.srv.notices).toEqual([
      expect.objectContaining({
        title: 'Flaky failed after 4 attempts — exit 3',
        body: 'disk full',
        commandId: runs[3]?.command_id,
      }),
    ]);
    time.advanceBy(600_000);
    expect(await p.runs(s.id)).toHaveLength(4);
  });

  it('stops retrying at the first success; a timed-out run is retried', async () => {
    const time = new FakeTime(T0);
    const p = await server(time);
    const marker = join(dir(), 'second-time');
    const s = await p.create({
      // Fails the first time, succeeds the second.
      command: `if [ -e ${marker} ]; then echo ok; else touch ${marker}; exit 1; fi`,
      retries: 5,
      retry_delay: 1_000,
    });
    await p.runNow(s.id);
    await p.settled(s.id, 1);
    time.advanceBy(1_000);
    const runs = await p.settled(s.id, 2);
    expect(runs.map((r) => r.status)).toEqual(['failure', 'success']);
    time.advanceBy(3_600_000);
    expect(await p.runs(s.id)).toHaveLength(2);

    const slow = await p.create({ command: 'sleep 30', timeout: 1000, retries: 1 });
    await p.runNow(slow.id);
    await p.settled(slow.id, 1);
    time.advanceBy(60_000);
    const slowRuns = await p.settled(slow.id, 2);
    expect(slowRuns.map((r) => [r.status, r.attempt])).toEqual([
      ['timeout', 1],
      ['timeout', 2],
    ]);
  });

  it('a cancelled run is never retried; cancelling a waiting retry ends the chain', async () => {
    const time = new FakeTime(T0);
    const p = await server(time);
    const long = await p.create({ command: 'sleep 30', retries: 3, retry_delay: 1000 });
    const cmd = await p.runNow(long.id);
    await until(
      () => p.runs(long.id),
      (r) => r.length === 1,
    );
    expect((await p.srv.call('DELETE', `/v1/commands/${cmd}`)).status).toBe(200);
    expect((await p.settled(long.id, 1))[0]?.status).toBe('cancelled');
    expect((await p.get(long.id)).next_retry_at).toBeNull();
    time.advanceBy(60_000);
    expect(await p.runs(long.id)).toHaveLength(1);

    const failing = await p.create({ command: 'exit 1', retries: 3, retry_delay: 5000 });
    const first = await p.runNow(failing.id);
    await p.settled(failing.id, 1);
    time.advanceBy(5000);
    const [, second] = await p.settled(failing.id, 2);
    expect((await p.get(failing.id)).retry_command_id).toBe(second?.command_id);
    // Any command of the chain stops it: here the first attempt's.
    const cancel = await p.srv.call('DELETE', `/v1/commands/${first}`);
    expect(cancel.json.data).toEqual({ cancelled: true });
    expect(await p.get(failing.id)).toMatchObject({ next_retry_at: null, retry_command_id: null });
    time.advanceBy(3_600_000);
    expect(await p.runs(failing.id)).toHaveLength(2);
    expect((await p.srv.call('DELETE', `/v1/commands/${first}`)).status).toBe(409);
    // The user stopped it: no notice.
    time.advanceBy(2000);
    await sleep(50);
    expect(p.srv.notices.filter((n) => n.scheduleId === failing.id)).toEqual([]);
  });

  it('a pending retry survives a restart, and one that fell due meanwhile runs at start', async () => {
    const time = new FakeTime(T0);
    const dataDir = dir();
    const p = await server(time, dataDir);
    const s = await p.create({ command: 'exit 2', retries: 2, retry_delay: 60_000 });
    const first = await p.runNow(s.id);
    await p.settled(s.id, 1);
    await p.stop();
    open = [];
    const file = join(dataDir, 'retries.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    time.advanceBy(30_000);
    const q = await server(time, dataDir);
    expect(await q.get(s.id)).toMatchObject({ next_retry_at: at(T0, 60), retry_command_id: first });
    time.advanceBy(30_000);
    const runs = await q.settled(s.id, 2);
    expect(runs[1]).toMatchObject({ attempt: 2, retry_of: first, started_at: at(T0, 60) });
    await q.stop();
    open = [];

    // Down for an hour across the third attempt's time: it runs as soon as the app is back.
    time.jump(3_600_000);
    const r = await server(time, dataDir);
    time.advanceBy(0);
    const after = await r.settled(s.id, 3);
    expect(after[2]).toMatchObject({ attempt: 3, retry_of: first, started_at: at(T0, 3660) });
  });

  it('a newer run gives the pending retry up; a PATCH to fewer retries ends the chain', async () => {
    const time = new FakeTime(T0);
    const p = await server(time);
    const s = await p.create({ command: 'exit 1', retries: 2, retry_delay: 60_000 });
    await p.runNow(s.id);
    await p.settled(s.id, 1);
    await p.runNow(s.id); // a new chain: the old retry is dropped
    await p.settled(s.id, 2);
    time.advanceBy(60_000);
    const runs = await p.settled(s.id, 3);
    expect(runs.map((r) => [r.attempt, r.trigger])).toEqual([
      [1, 'manual'],
      [1, 'manual'],
      [2, 'manual'],
    ]);
    expect(runs[2]?.retry_of).toBe(runs[1]?.command_id);
    // The retry after the third run would be attempt 3; retries is now 1: no more.
    expect((await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { retries: 1 })).status).toBe(200);
    time.advanceBy(3_600_000);
    expect(await p.runs(s.id)).toHaveLength(3);
  });
});

describe('retry waits', () => {
  it('grow by the backoff and stop growing at an hour', () => {
    const s = { retry_delay: 60_000, retry_backoff: 2 };
    expect([1, 2, 3, 4].map((n) => retryWait(s, n))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryWait({ retry_delay: 1_000_000, retry_backoff: 10 }, 3)).toBe(3_600_000);
    expect(retryWait({ retry_delay: 5000, retry_backoff: 1 }, 9)).toBe(5000);
  });
});
