// The delivery queue and the delivery records at their edges: which waits the queue asks of
// its timers, what it answers after stopping, how it holds a key and a receiver; which
// record lines a run shows, what the disk refusing costs, and what stays in memory.
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { DELIVERY_FILE_MAX_BYTES, DeliveryLog } from '../../src/core/alerts/delivery-log';
import { DeliveryQueue, type DeliveryOutcome } from '../../src/core/alerts/delivery-queue';
import { realTimers, type Timers } from '../../src/core/timers';
import type { Delivery } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { startReceiver, type Answer, type Receiver } from '../helpers/receiver';
import { captureLog, tempDirs } from '../helpers/server';

const newDir = tempDirs(afterEach);
let receivers: Receiver[] = [];
let queues: DeliveryQueue[] = [];
afterEach(async () => {
  for (const q of queues) q.stop();
  for (const r of receivers) await r.close();
  receivers = [];
  queues = [];
});

async function receiver(answer: (n: number) => Answer): Promise<Receiver> {
  const r = await startReceiver((_req, n) => answer(n));
  receivers.push(r);
  return r;
}

/** Timers that record each wait asked for and ring at once. */
function recordingTimers(): Timers & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    setTimeout: (fn, ms) => {
      waits.push(ms);
      return realTimers.setTimeout(fn, 0);
    },
    clearTimeout: (h) => realTimers.clearTimeout(h),
  };
}

function queue(options: Partial<ConstructorParameters<typeof DeliveryQueue>[0]> = {}) {
  const log = captureLog();
  const q = new DeliveryQueue({ log, clock: { now: () => 5_000 }, timeoutMs: 3000, ...options });
  queues.push(q);
  return { q, log };
}

function push(q: DeliveryQueue, url: string, key: string): Promise<DeliveryOutcome> {
  return new Promise((done) => q.push({ request: { method: 'GET', url }, key, done }));
}

describe('DeliveryQueue retries', () => {
  it('waits its own backoff before each retry, then gives up after the last attempt', async () => {
    const r = await receiver(() => 503);
    const timers = recordingTimers();
    const { q } = queue({ timers, attempts: 3, backoffMs: [1000, 7000] });
    const outcome = await push(q, r.url, 'k');
    expect(outcome).toEqual({
      ok: false,
      status_code: 503,
      error: 'HTTP 503: nope',
      attempts: 3,
      at: 5_000,
    });
    expect(timers.waits).toEqual([1000, 7000]);
    expect(r.received).toHaveLength(3);
  });

  it('uses the last backoff for later retries, and none when there is none', async () => {
    const r = await receiver(() => 500);
    const timers = recordingTimers();
    const { q } = queue({ timers, attempts: 4, backoffMs: [300] });
    expect((await push(q, r.url, 'k')).attempts).toBe(4);
    expect(timers.waits).toEqual([300, 300, 300]);
    const none = recordingTimers();
    const { q: q2 } = queue({ timers: none, attempts: 2, backoffMs: [] });
    expect((await push(q2, r.url, 'k')).attempts).toBe(2);
    expect(none.waits).toEqual([0]);
  });

  it('a Retry-After shorter than the backoff waits the backoff', async () => {
    const r = await receiver((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 200,
    );
    const timers = recordingTimers();
    const { q } = queue({ timers, attempts: 2, backoffMs: [4000] });
    expect(await push(q, r.url, 'k')).toMatchObject({ ok: true, attempts: 2 });
    expect(timers.waits).toEqual([4000]);
  });

  it('a refusal that is not worth retrying is answered after one attempt', async () => {
    const r = await receiver((n) => (n === 1 ? 400 : 200));
    const timers = recordingTimers();
    const { q } = queue({ timers, attempts: 3 });
    expect(await push(q, r.url, 'k')).toMatchObject({ ok: false, status_code: 400, attempts: 1 });
    expect(timers.waits).toEqual([]);
  });

  it('attempts: 2 means two', async () => {
    const r = await receiver(() => 502);
    const { q } = queue({ timers: recordingTimers(), attempts: 2 });
    expect((await push(q, r.url, 'k')).attempts).toBe(2);
    expect(r.received).toHaveLength(2);
  });
});

describe('DeliveryQueue holding back', () => {
  it('one key at a time: the second of a key starts after the first ended', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 60 }));
    const { q } = queue();
    const all = [push(q, `${r.url}/1`, 'same'), push(q, `${r.url}/2`, 'same')];
    expect(q.pending).toBe(2);
    await Promise.all(all);
    expect(r.maxInFlight).toBe(1);
    expect(r.received.map((x) => x.path)).toEqual(['/1', '/2']);
    expect(q.pending).toBe(0);
  });

  it('a later job of a key never overtakes an earlier one held back for its receiver', async () => {
    const a = await receiver(() => ({ status: 200, delayMs: 150 }));
    const b = await receiver(() => 200);
    const { q } = queue({ perReceiver: 1 });
    const order: string[] = [];
    const job = (url: string, key: string, name: string) =>
      push(q, url, key).then(() => void order.push(name));
    const all = [
      job(`${a.url}/slow`, 'other', 'slow'),
      job(`${a.url}/first`, 'k', 'first'),
      job(`${b.url}/second`, 'k', 'second'),
    ];
    await Promise.all(all);
    expect(order).toEqual(['slow', 'first', 'second']);
  });

  it('the per-receiver limit counts only that receiver', async () => {
    const a = await receiver(() => 'hang');
    const b = await receiver(() => 200);
    const { q } = queue({ perReceiver: 1, timeoutMs: 2000 });
    let aDone = false;
    const first = push(q, a.url, 'x').then(() => (aDone = true));
    expect((await push(q, b.url, 'y')).ok).toBe(true);
    // B did not wait for A's socket: A still hangs.
    expect(aDone).toBe(false);
    q.stop();
    await first;
  });
});

describe('DeliveryQueue stopping and draining', () => {
  it('after stop, a new alert is answered at once: not sent, the app is stopping', async () => {
    const r = await receiver(() => 200);
    const { q } = queue();
    q.stop();
    expect(await push(q, r.url, 'k')).toEqual({
      ok: false,
      status_code: null,
      error: 'the app is stopping',
      attempts: 0,
      at: 5_000,
    });
    expect(r.received).toHaveLength(0);
  });

  it('stop answers an alert waiting for its retry as not sent', async () => {
    const r = await receiver(() => 503);
    const time = new FakeTime('2026-01-01T00:00:00Z');
    const { q } = queue({ timers: time, attempts: 3 });
    const outcome = push(q, r.url, 'k');
    await r.waitFor(1);
    for (let i = 0; i < 100 && time.pendingCount === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(time.pendingCount).toBe(1);
    q.stop();
    expect(time.pendingCount).toBe(0);
    expect(await outcome).toMatchObject({ ok: false, error: 'the app is stopping', attempts: 0 });
  });

  it('drain resolves at once when idle, and when the last alert is done', async () => {
    const { q } = queue();
    await q.drain(60_000);
    const r = await receiver(() => ({ status: 200, delayMs: 50 }));
    const sent = push(q, r.url, 'k');
    await q.drain(60_000);
    expect(q.pending).toBe(0);
    expect((await sent).ok).toBe(true);
  });

  it('drain gives up after its grace when a receiver hangs', async () => {
    const r = await receiver(() => 'hang');
    const { q } = queue({ timeoutMs: 30_000 });
    void push(q, r.url, 'k');
    await q.drain(50);
    expect(q.pending).toBe(1);
  });

  it('a recorder that throws is logged; the queue goes on', async () => {
    const r = await receiver(() => 200);
    const { q, log } = queue();
    q.push({
      request: { method: 'GET', url: r.url },
      key: 'k',
      done: () => {
        throw new Error('disk gone');
      },
    });
    expect((await push(q, r.url, 'k')).ok).toBe(true);
    expect(log.lines).toContain('error alerts: recording a delivery failed: disk gone');
  });

  it('a full queue says why it drops, once, naming the cap', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 100 }));
    const { q, log } = queue({ maxWaiting: 1, concurrency: 1 });
    const outcomes = [1, 2, 3].map((i) => push(q, `${r.url}/${i}`, `k${i}`));
    await Promise.all(outcomes);
    expect(q.dropped).toBe(1);
    expect(await outcomes[1]).toMatchObject({
      ok: false,
      error: 'dropped: 1 alerts were already waiting to be sent',
      attempts: 0,
    });
    expect(log.lines).toEqual([
      'warn alerts: 1 were waiting to be sent (a receiver is slow or unreachable); dropping the oldest until the queue empties',
    ]);
  });

  it('a URL that is no URL is still tried (its own origin) and answered', async () => {
    const { q } = queue({ attempts: 1 });
    expect(await push(q, 'not a url', 'k')).toMatchObject({ ok: false, attempts: 1 });
  });
});

const delivery = (over: Partial<Delivery> = {}): Delivery => ({
  channel: 'webhook',
  event: 'run.failed',
  url: 'https://hooks.example.com/…',
  at: '2026-06-01T10:00:00Z',
  attempts: 1,
  ok: true,
  status_code: 200,
  error: null,
  ...over,
});

function records(root: string, health = false) {
  const time = new FakeTime('2026-06-01T10:00:00Z');
  const log = captureLog();
  const dir = join(root, 'deliveries');
  const log2 = new DeliveryLog({
    dir,
    log,
    timers: time,
    health: health
      ? ({ failed() {}, succeeded() {} } as unknown as ConstructorParameters<
          typeof DeliveryLog
        >[0]['health'])
      : undefined,
  });
  return { records: log2, time, log, dir };
}

describe('DeliveryLog lines', () => {
  it('shows only whole, well-formed records of the run', () => {
    const root = newDir();
    const { records: r, dir } = records(root);
    mkdirSync(dir, { recursive: true });
    const good = delivery();
    const line = (v: unknown) => `${JSON.stringify(v)}\n`;
    const { channel: _c, ...noChannel } = good;
    writeFileSync(
      join(dir, 'sched_a.jsonl'),
      [
        line({ run: 'run_1', ...good }),
        '\n',
        line({ run: 'run_1', ...good, channel: 'email' }),
        line({ run: 'run_1', ...noChannel }),
        line({ run: 'run_1', ...good, event: 1 }),
        line({ run: 'run_1', ...good, url: null }),
        line({ run: 'run_1', ...good, at: 5 }),
        line({ run: 'run_1', ...good, attempts: '1' }),
        line({ run: 'run_1', ...good, ok: 'yes' }),
        line({ run: 2, ...good }),
        line({ ...good }),
        '{"run":"run_1","chan',
        '\n',
        line({ run: 'run_1', ...good, channel: 'ping', event: 'start' }),
      ].join(''),
    );
    expect(r.forRun('sched_a', 'run_1')).toEqual([
      good,
      { ...good, channel: 'ping', event: 'start' },
    ]);
  });

  it('ids that are not plain ids are neither written nor read nor removed', () => {
    const root = newDir();
    const { records: r, dir } = records(root);
    r.record('../evil', 'run_1', delivery());
    r.record('sched_a', '../run', delivery());
    expect(existsSync(dir) ? readFileSync(join(dir, 'sched_a.jsonl'), 'utf8') : '').toBe('');
    writeFileSync(join(root, 'x.jsonl'), 'keep');
    expect(r.forRun('../x', 'run_1')).toEqual([]);
    r.deleteSchedule('../x');
    expect(readFileSync(join(root, 'x.jsonl'), 'utf8')).toBe('keep');
  });

  it('a record of a run already read shows with the ones before it', () => {
    const root = newDir();
    const { records: r } = records(root);
    r.record('sched_a', 'run_1', delivery({ event: 'run.failed' }));
    expect(r.forRun('sched_a', 'run_1')).toHaveLength(1);
    r.record('sched_a', 'run_1', delivery({ event: 'run.stuck' }));
    r.record('sched_a', 'run_2', delivery({ event: 'run.succeeded' }));
    expect(r.forRun('sched_a', 'run_1').map((d) => d.event)).toEqual(['run.failed', 'run.stuck']);
    expect(r.forRun('sched_a', 'run_2').map((d) => d.event)).toEqual(['run.succeeded']);
  });

  it('a file that cannot be read is logged and shows nothing; a missing one is quiet', () => {
    const root = newDir();
    const { records: r, dir, log } = records(root);
    expect(r.forRun('sched_none', 'run_1')).toEqual([]);
    expect(log.lines).toEqual([]);
    mkdirSync(join(dir, 'sched_dir.jsonl'), { recursive: true });
    expect(r.forRun('sched_dir', 'run_1')).toEqual([]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(
      new RegExp(`^warn alerts: ${join(dir, 'sched_dir.jsonl')} could not be read: .*EISDIR`),
    );
  });

  it('holds the records of the 16 schedules read last; older ones are read again', () => {
    const root = newDir();
    const { records: r, dir } = records(root);
    for (let i = 0; i <= 16; i++) r.record(`sched_${i}`, 'run_1', delivery());
    for (let i = 0; i < 16; i++) r.forRun(`sched_${i}`, 'run_1');
    r.forRun('sched_0', 'run_1'); // read last now
    r.forRun('sched_16', 'run_1'); // the 17th: sched_1 is let go
    const extra = `${JSON.stringify({ run: 'run_1', ...delivery({ event: 'run.stuck' }) })}\n`;
    for (const i of [0, 1, 15]) appendFileSync(join(dir, `sched_${i}.jsonl`), extra);
    expect(r.forRun('sched_0', 'run_1')).toHaveLength(1);
    expect(r.forRun('sched_15', 'run_1')).toHaveLength(1);
    expect(r.forRun('sched_1', 'run_1')).toHaveLength(2);
  });
});

describe('DeliveryLog on a disk that refuses', () => {
  /** A folder where the schedule's file should be: every append fails (root ignores modes). */
  function block(dir: string, id: string) {
    mkdirSync(join(dir, `${id}.jsonl`), { recursive: true });
  }

  it('without StorageHealth it logs, retries once in 10 s, and writes when it can', () => {
    const root = newDir();
    const { records: r, dir, log, time } = records(root);
    block(dir, 'sched_c');
    r.record('sched_c', 'run_1', delivery());
    r.record('sched_c', 'run_2', delivery());
    expect(log.lines[0]).toMatch(new RegExp(`^warn alerts: could not write ${dir}: .*EISDIR`));
    expect(time.pendingCount).toBe(1);
    rmSync(join(dir, 'sched_c.jsonl'), { recursive: true });
    time.advanceBy(9_999);
    expect(existsSync(join(dir, 'sched_c.jsonl'))).toBe(false);
    time.advanceBy(1);
    expect(readFileSync(join(dir, 'sched_c.jsonl'), 'utf8').split('\n')).toHaveLength(3);
  });

  it('with StorageHealth the log stays quiet (health says it)', () => {
    const root = newDir();
    const { records: r, dir, log } = records(root, true);
    block(dir, 'sched_c');
    r.record('sched_c', 'run_1', delivery());
    expect(log.lines).toEqual([]);
  });

  it('past 1000 waiting records the oldest is lost, and the log says so', () => {
    const root = newDir();
    const { records: r, dir, log } = records(root, true);
    block(dir, 'sched_c');
    for (let i = 0; i < 1000; i++) r.record('sched_c', `run_${i}`, delivery());
    expect(log.lines).toEqual([]);
    r.record('sched_c', 'run_1000', delivery());
    expect(log.lines).toEqual([
      'warn alerts: a delivery record was lost: the disk refused too many',
    ]);
    expect(r.forRun('sched_c', 'run_0')).toEqual([]);
    expect(r.forRun('sched_c', 'run_1')).toHaveLength(1);
  });

  it('records waiting for the disk show on their own schedule only', () => {
    const root = newDir();
    const { records: r, dir } = records(root, true);
    block(dir, 'sched_c');
    block(dir, 'sched_d');
    r.record('sched_c', 'run_1', delivery({ event: 'run.failed' }));
    r.record('sched_d', 'run_1', delivery({ event: 'run.stuck' }));
    expect(r.forRun('sched_c', 'run_1').map((d) => d.event)).toEqual(['run.failed']);
    expect(r.forRun('sched_d', 'run_1').map((d) => d.event)).toEqual(['run.stuck']);
  });

  it('deleting a schedule drops its waiting records, not the others', () => {
    const root = newDir();
    const { records: r, dir, time } = records(root, true);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'blocker'), '');
    block(dir, 'sched_c');
    r.record('sched_c', 'run_1', delivery());
    r.record('sched_d', 'run_1', delivery());
    rmSync(join(dir, 'sched_c.jsonl'), { recursive: true });
    r.deleteSchedule('sched_c');
    time.advanceBy(10_000);
    expect(existsSync(join(dir, 'sched_c.jsonl'))).toBe(false);
    expect(readFileSync(join(dir, 'sched_d.jsonl'), 'utf8')).toContain('"run":"run_1"');
  });

  it('close writes what waits once more and leaves no retry behind', () => {
    const root = newDir();
    const { records: r, dir, time } = records(root, true);
    block(dir, 'sched_c');
    r.record('sched_c', 'run_1', delivery());
    expect(time.pendingCount).toBe(1);
    rmSync(join(dir, 'sched_c.jsonl'), { recursive: true });
    r.close();
    expect(time.pendingCount).toBe(0);
    expect(readFileSync(join(dir, 'sched_c.jsonl'), 'utf8')).toContain('"run":"run_1"');
  });

  it('close on a disk still refusing arms no retry', () => {
    const root = newDir();
    const { records: r, dir, time } = records(root, true);
    block(dir, 'sched_c');
    r.record('sched_c', 'run_1', delivery());
    r.close();
    expect(time.pendingCount).toBe(0);
  });

  it('a record file that cannot be removed is logged', () => {
    const root = newDir();
    const { records: r, dir, log } = records(root);
    mkdirSync(join(dir, 'sched_e.jsonl', 'inner'), { recursive: true });
    r.deleteSchedule('sched_e');
    expect(log.lines.at(-1)).toMatch(
      new RegExp(`^warn alerts: could not remove ${join(dir, 'sched_e.jsonl')}: `),
    );
    r.deleteSchedule('sched_never');
    expect(log.lines).toHaveLength(1);
  });
});

it('a trimmed file keeps the newest records that fit in half the cap, whole lines', () => {
  const root = newDir();
  const { records: r, dir } = records(root);
  const big = 'x'.repeat(1000);
  const file = join(dir, 'sched_t.jsonl');
  let n = 0;
  let before = 0;
  for (;;) {
    r.record('sched_t', `run_${n}`, delivery({ error: big }));
    const size = statSync(file).size;
    if (size < before) break;
    before = size;
    n++;
  }
  expect(before).toBeGreaterThan(DELIVERY_FILE_MAX_BYTES - 2000);
  expect(before).toBeLessThanOrEqual(DELIVERY_FILE_MAX_BYTES);
  const text = readFileSync(file, 'utf8');
  expect(text.length).toBeLessThanOrEqual(DELIVERY_FILE_MAX_BYTES / 2);
  expect(text.length).toBeGreaterThan(DELIVERY_FILE_MAX_BYTES / 2 - 2000);
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.split('\n').slice(0, -1);
  for (const l of lines) expect(JSON.parse(l)).toHaveProperty('run');
  expect(JSON.parse(lines.at(-1) as string).run).toBe(`run_${n}`);
  expect(r.forRun('sched_t', `run_${n}`)).toHaveLength(1);
  expect(r.forRun('sched_t', 'run_0')).toEqual([]);
});
