// The delivery queue against real receivers on 127.0.0.1: a burst does not open a socket per
// alert, one dead receiver cannot hold every slot, a run's pings leave in order, and a flood
// is cut at a fixed size with every dropped alert accounted for.
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryQueue, type DeliveryOutcome } from '../../src/core/alerts/delivery-queue';
import { realTimers, type Timers } from '../../src/core/timers';
import { startReceiver, type Answer, type Receiver } from '../helpers/receiver';
import { captureLog } from '../helpers/server';

let receivers: Receiver[] = [];
let queues: DeliveryQueue[] = [];
afterEach(async () => {
  for (const q of queues) q.stop();
  for (const r of receivers) await r.close();
  receivers = [];
  queues = [];
});

async function receiver(answer: () => Answer) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

function queue(options: Partial<ConstructorParameters<typeof DeliveryQueue>[0]> = {}) {
  const log = captureLog();
  const q = new DeliveryQueue({
    log,
    clock: { now: () => 0 },
    timeoutMs: 2000,
    backoffMs: [10, 10],
    ...options,
  });
  queues.push(q);
  return { q, log };
}

function push(q: DeliveryQueue, url: string, key: string): Promise<DeliveryOutcome> {
  return new Promise((done) => q.push({ request: { method: 'GET', url }, key, done }));
}

describe('DeliveryQueue', () => {
  it('sends a burst of 100 with a few sockets: at most 2 per receiver, 6 in all', async () => {
    let open = 0;
    let most = 0;
    const slow = (): Answer => {
      most = Math.max(most, ++open);
      setTimeout(() => open--, 30);
      return { status: 200, delayMs: 30 };
    };
    const [a, b, c, d] = [
      await receiver(slow),
      await receiver(slow),
      await receiver(slow),
      await receiver(slow),
    ] as Receiver[];
    const { q } = queue();
    const all = Array.from({ length: 100 }, (_, i) =>
      push(q, `${[a, b, c, d][i % 4]?.url}/run/${i}`, `sched_${i}`),
    );
    const outcomes = await Promise.all(all);
    expect(outcomes.every((o) => o.ok && o.attempts === 1)).toBe(true);
    for (const r of [a, b, c, d]) {
      expect(r.received).toHaveLength(25);
      expect(r.maxInFlight).toBeLessThanOrEqual(2);
    }
    expect(most).toBeLessThanOrEqual(6);
    expect(q.pending).toBe(0);
  });

  it('keeps one key in order: a run start ping leaves before its end ping', async () => {
    let first = true;
    // The first answer is slow: a later job of the same key must still wait for it.
    const r = await receiver(() => {
      const slow = first;
      first = false;
      return { status: 200, delayMs: slow ? 100 : 0 };
    });
    const { q } = queue();
    const sent = [
      push(q, `${r.url}/p/start`, 'sched_a:ping'),
      push(q, `${r.url}/p`, 'sched_a:ping'),
      push(q, `${r.url}/q/start`, 'sched_b:ping'),
    ];
    await Promise.all(sent);
    const paths = r.received.map((x) => x.path);
    expect(paths.indexOf('/p/start')).toBeLessThan(paths.indexOf('/p'));
  });

  it('caps what waits: the oldest waiting are dropped, counted and told so', async () => {
    const r = await receiver(() => 'hang');
    const { q, log } = queue({ maxWaiting: 10, timeoutMs: 300, attempts: 1 });
    const all = Array.from({ length: 30 }, (_, i) => push(q, `${r.url}/x/${i}`, `k${i}`));
    const outcomes = await Promise.all(all);
    const dropped = outcomes.filter((o) => o.error?.startsWith('dropped:'));
    // 2 in flight (one receiver), 10 waiting; 18 had to go.
    expect(dropped).toHaveLength(18);
    expect(dropped.every((o) => o.attempts === 0 && !o.ok)).toBe(true);
    expect(q.dropped).toBe(18);
    expect(outcomes.filter((o) => o.error === 'no answer within 0.3 s')).toHaveLength(12);
    // Told once per episode, not 18 times.
    expect(log.lines.filter((l) => l.includes('dropping the oldest'))).toHaveLength(1);
  });

  it('waits as long as Retry-After asks, in seconds or as a date on its clock, at most a minute', async () => {
    // The queue's clock, not this machine's: a date is read against the clock it was given.
    // The waits are read off the queue's timers (which then ring at once), not a wall clock.
    const now = Date.parse('2020-01-02T03:04:05Z');
    const asks: [string, number][] = [
      ['1', 1000],
      [new Date(now + 1000).toUTCString(), 1000],
      // README: "a `Retry-After` is obeyed up to a minute".
      ['120', 60_000],
    ];
    for (const [i, [retryAfter, expected]] of asks.entries()) {
      let calls = 0;
      const r = await receiver(() =>
        ++calls === 1 ? { status: 429, headers: { 'retry-after': retryAfter } } : 204,
      );
      const waits: number[] = [];
      const timers: Timers = {
        setTimeout: (fn, ms) => {
          waits.push(ms);
          return realTimers.setTimeout(fn, 0);
        },
        clearTimeout: (h) => realTimers.clearTimeout(h),
      };
      const { q } = queue({ clock: { now: () => now }, timers });
      const outcome = await push(q, `${r.url}/hook`, `k${i}`);
      expect(outcome).toMatchObject({ ok: true, attempts: 2, status_code: 204 });
      // The receiver's wait, not our own 10 ms backoff.
      expect(waits, retryAfter).toEqual([expected]);
    }
  });

  it('stops: what is in flight and what waits is told the app is stopping', async () => {
    const r = await receiver(() => 'hang');
    const { q } = queue({ timeoutMs: 10_000 });
    const all = [1, 2, 3].map((i) => push(q, `${r.url}/${i}`, `k${i}`));
    await r.waitFor(2);
    q.stop();
    const outcomes = await Promise.all(all);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false]);
    expect(outcomes[2]?.error).toBe('the app is stopping');
    expect(outcomes[0]?.error).toMatch(/app is stopping/);
  });
});
