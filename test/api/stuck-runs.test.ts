// A run that goes on far longer than usual, with real processes and an injected clock: the
// usual duration comes from the schedule's own successful runs, nothing is said before three
// exist, and past twice the usual (at least a minute) `run.stuck` is said once — as an
// event, a notice, a webhook, and a marker on the run and its schedule.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/events';
import { getCommand } from '../helpers/alert-server';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, sleep, until, type PolicyServer } from '../helpers/policies';
import { curlExamples, shape } from '../helpers/readme-alerts';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const T0 = '2026-06-01T10:00:00Z';

let servers: PolicyServer[] = [];
let receivers: Receiver[] = [];
afterEach(async () => {
  for (const p of servers) await p.stop();
  for (const r of receivers) await r.close();
  servers = [];
  receivers = [];
});

async function setup() {
  const time = new FakeTime(T0);
  const rx = await startReceiver();
  receivers.push(rx);
  const p = await policyServer({ time, dataDir: dir(), killGraceMs: 300 });
  servers.push(p);
  const stuck: Extract<ApiEvent, { type: 'run.stuck' }>[] = [];
  p.srv.headless.host.events.subscribe((e) => {
    if (e.type === 'run.stuck') stuck.push(e);
  });
  return { time, rx, p, stuck };
}

const command = (p: PolicyServer, id: string) => getCommand(p.srv, id);

/** A real run that takes `seconds` on the injected clock: the clock moves while it sleeps. */
async function runTaking(p: PolicyServer, id: string, seconds: number) {
  const before = (await p.runs(id)).length;
  await p.runNow(id);
  p.time.advanceBy(seconds * 1000);
  const runs = await p.settled(id, before + 1);
  expect(runs.at(-1)).toMatchObject({ status: 'success', duration: seconds * 1000 });
}

describe('stuck runs', () => {
  it('says run.stuck once, at twice the median of the last successful runs', async () => {
    const { time, rx, p, stuck } = await setup();
    const s = await p.create({
      name: 'Backup',
      command: 'sleep 1',
      notify: { on_failure: true, webhook_url: `${rx.url}/hook` },
    });
    await runTaking(p, s.id, 100);
    await runTaking(p, s.id, 90);

    // Two successful runs say too little about "usual": a long third is not called stuck.
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { command: 'sleep 30' });
    const early = await p.runNow(s.id);
    time.advanceBy(30 * 60_000);
    await sleep(50);
    expect(stuck).toEqual([]);
    await p.srv.call('DELETE', `/v1/commands/${early}`);
    await until(
      () => command(p, early),
      (r) => r.status !== 'running',
    );

    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { command: 'sleep 1' });
    await runTaking(p, s.id, 110);
    // Median of 90, 100 and 110 s: called stuck 200 s in.
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { command: 'echo working; sleep 30' });
    const long = await p.runNow(s.id);
    await until(
      () => command(p, long),
      (r) => r.stdout === 'working\n',
    );
    time.advanceBy(199_999);
    await sleep(50);
    expect(stuck).toEqual([]);
    expect((await command(p, long)).stuck_at).toBeUndefined();

    time.advanceBy(1);
    await until(
      async () => stuck.length,
      (n) => n === 1,
    );
    expect(stuck[0]).toMatchObject({
      running_for: 200_000,
      usual: 100_000,
      run: { command_id: long, status: 'running', stuck_at: '2026-06-01T10:38:20Z' },
    });
    // The run and its schedule show it; the desktop was told; the webhook says run.stuck.
    expect(await command(p, long)).toMatchObject({ stuck_at: '2026-06-01T10:38:20Z' });
    expect(await p.get(s.id)).toMatchObject({ running: true, running_long: true });
    expect(p.srv.notices).toContainEqual(
      expect.objectContaining({
        title: 'Backup is running long',
        body: 'Running for 3 min 20 s; it usually takes about 1 min 40 s',
        commandId: long,
      }),
    );
    const [hook] = await rx.waitFor(1);
    expect(hook?.json).toMatchObject({
      event: 'run.stuck',
      run: { command_id: long, status: 'running', finished_at: null, stdout_tail: 'working\n' },
      stuck: { running_for: 200_000, usual_duration: 100_000 },
    });
    expect(hook?.json.text).toMatch(
      /^Backup is running long: 3 min 20 s so far, usually about 1 min 40 s/,
    );
    // As the README prints it: the same fields, of the same types.
    const documented = curlExamples().find((e) => e.body?.event === 'run.stuck');
    expect(shape(hook?.json)).toEqual(shape(documented?.body));

    // Once per run, however long it goes on.
    time.advanceBy(60 * 60_000);
    await sleep(50);
    expect(stuck).toHaveLength(1);
    await p.srv.call('DELETE', `/v1/commands/${long}`);
    const ended = await until(
      () => command(p, long),
      (r) => r.status !== 'running',
    );
    expect(ended.stuck_at).toBeUndefined();
    expect((await p.get(s.id)).running_long).toBeUndefined();
    expect(rx.received).toHaveLength(1); // a cancel is the user's own doing: no webhook
  });

  it('waits at least a minute for runs that usually take a moment, and respects on_failure', async () => {
    const { time, rx, p, stuck } = await setup();
    const s = await p.create({
      command: 'true',
      notify: { on_failure: false, webhook_url: `${rx.url}/hook` },
    });
    for (let i = 0; i < 3; i++) await runTaking(p, s.id, 0);
    await p.srv.call('PATCH', `/v1/schedules/${s.id}`, { command: 'sleep 30' });
    const long = await p.runNow(s.id);
    time.advanceBy(59_999);
    await sleep(50);
    expect(stuck).toEqual([]);
    time.advanceBy(1);
    await until(
      async () => stuck.length,
      (n) => n === 1,
    );
    expect(stuck[0]).toMatchObject({ running_for: 60_000, usual: 0 });
    // on_failure off: the event and the marker, but no notice and no webhook.
    expect(p.srv.notices.filter((n) => n.title.includes('running long'))).toEqual([]);
    await p.srv.call('DELETE', `/v1/commands/${long}`);
    await sleep(100);
    expect(rx.received).toEqual([]);
  });
});
