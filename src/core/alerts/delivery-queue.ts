// Where alerts wait to be sent. The engine only ever pushes here and returns: sending, the
// 10 s timeouts and the retries all happen later, off its path. Bounded every way a bad day
// needs: a few sockets at a time (a burst of 100 failing runs does not open 100), at most two
// per receiver (one dead Slack hook cannot starve the health-check pings), and a cap on what
// waits (a receiver that is down while an every-second schedule fails does not grow memory:
// the oldest waiting alert is dropped, counted, and recorded as dropped on its run).
import type { Logger } from '../log';
import { realTimers, type Timers } from '../timers';
import { sendOnce, SEND_TIMEOUT_MS, type AlertRequest, type AttemptResult } from './http-send';

export interface QueueOptions {
  log: Logger;
  clock: { now(): number };
  /** Backoff waits; real timers by default (receivers live in real time). */
  timers?: Timers;
  concurrency?: number;
  perReceiver?: number;
  maxWaiting?: number;
  attempts?: number;
  /** The wait before each retry: [before the 2nd, before the 3rd]. */
  backoffMs?: readonly number[];
  timeoutMs?: number;
}

export interface DeliveryOutcome {
  ok: boolean;
  status_code: number | null;
  error: string | null;
  attempts: number;
  at: number;
}

export interface DeliveryJob {
  request: AlertRequest;
  /** Jobs with one key go one after another, in order (a run's /start before its end ping). */
  key: string;
  /** Told once, however it ended (sent, given up, dropped, the app stopping). */
  done(outcome: DeliveryOutcome): void;
}

export const QUEUE_DEFAULTS = {
  concurrency: 6,
  perReceiver: 2,
  maxWaiting: 256,
  attempts: 3,
  backoffMs: [2_000, 10_000],
} as const;
/** A receiver's Retry-After is obeyed up to this; past it, our own backoff. */
const RETRY_AFTER_MAX_MS = 60_000;

interface Active {
  job: DeliveryJob;
  origin: string;
  controller: AbortController;
  wait: unknown;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

type Settings = Required<Omit<QueueOptions, 'backoffMs'>> & { backoffMs: readonly number[] };

export class DeliveryQueue {
  readonly #o: Settings;
  readonly #waiting: DeliveryJob[] = [];
  readonly #active = new Set<Active>();
  #dropped = 0;
  #droppedInEpisode = 0;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(options: QueueOptions) {
    this.#o = {
      timers: realTimers,
      timeoutMs: SEND_TIMEOUT_MS,
      ...QUEUE_DEFAULTS,
      ...options,
    } as Settings;
  }

  /** Alerts dropped because too many waited, since start. */
  get dropped(): number {
    return this.#dropped;
  }

  get pending(): number {
    return this.#waiting.length + this.#active.size;
  }

  push(job: DeliveryJob): void {
    if (this.#stopped) {
      this.#finish(job, {
        ok: false,
        status_code: null,
        error: 'the app is stopping',
        attempts: 0,
      });
      return;
    }
    if (this.#waiting.length >= this.#o.maxWaiting) {
      const oldest = this.#waiting.shift() as DeliveryJob;
      this.#dropped++;
      // Stryker disable next-line UpdateOperator: only "was it 0" is read, and it is reset to 0
      if (this.#droppedInEpisode++ === 0) {
        this.#o.log.warn(
          `alerts: ${this.#o.maxWaiting} were waiting to be sent (a receiver is slow or ` +
            'unreachable); dropping the oldest until the queue empties',
        );
      }
      this.#finish(oldest, {
        ok: false,
        status_code: null,
        error: `dropped: ${this.#o.maxWaiting} alerts were already waiting to be sent`,
        attempts: 0,
      });
    }
    this.#waiting.push(job);
    this.#pump();
  }

  /** Resolves when nothing waits or runs, or after `ms` (shutdown gives alerts a moment). */
  drain(ms: number): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // Stryker disable next-line OptionalChaining: Node's timers always have unref
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#idle.push(done);
    });
  }

  /** Cancels what is in flight and what waits: each is told 'the app is stopping'. */
  stop(): void {
    this.#stopped = true;
    const stopped = { ok: false, status_code: null, error: 'the app is stopping', attempts: 0 };
    for (const job of this.#waiting.splice(0)) this.#finish(job, stopped);
    for (const a of this.#active) {
      a.controller.abort();
      if (a.wait !== null) {
        this.#o.timers.clearTimeout(a.wait);
        this.#settle(a, stopped);
      }
    }
  }

  #finish(job: DeliveryJob, outcome: Omit<DeliveryOutcome, 'at'>) {
    try {
      job.done({ ...outcome, at: this.#o.clock.now() });
    } catch (e) {
      this.#o.log.error(`alerts: recording a delivery failed: ${(e as Error).message}`);
    }
  }

  /** Starts whatever may start: free sockets, free receivers, keys not busy. */
  #pump() {
    if (this.#stopped) return;
    for (let i = 0; i < this.#waiting.length && this.#active.size < this.#o.concurrency;) {
      const job = this.#waiting[i] as DeliveryJob;
      const origin = originOf(job.request.url);
      let perOrigin = 0;
      let keyBusy = false;
      for (const a of this.#active) {
        if (a.origin === origin) perOrigin++;
        if (a.job.key === job.key) keyBusy = true;
      }
      // A busy key also holds back later jobs of that key: they stay in order behind it.
      const earlierSameKey = this.#waiting.slice(0, i).some((w) => w.key === job.key);
      if (keyBusy || earlierSameKey || perOrigin >= this.#o.perReceiver) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      const active: Active = { job, origin, controller: new AbortController(), wait: null };
      this.#active.add(active);
      void this.#attempt(active, 1);
    }
    if (this.pending === 0) {
      this.#droppedInEpisode = 0;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #attempt(a: Active, n: number): Promise<void> {
    let result: AttemptResult;
    try {
      result = await sendOnce(a.job.request, {
        timeoutMs: this.#o.timeoutMs,
        signal: a.controller.signal,
      });
    } catch (e) {
      // sendOnce never throws by design; a bug must still not strand the job.
      result = { ok: false, status_code: null, error: (e as Error).message, retryable: false };
    }
    const outcome = { ok: result.ok, status_code: result.status_code, error: result.error };
    if (result.ok || !result.retryable || n >= this.#o.attempts || this.#stopped) {
      this.#settle(a, { ...outcome, attempts: n });
      return;
    }
    const backoff = this.#o.backoffMs[n - 1] ?? this.#o.backoffMs.at(-1) ?? 0;
    const asked =
      result.retryAfterMs ??
      (result.retryAtMs === undefined ? undefined : result.retryAtMs - this.#o.clock.now());
    const wait =
      asked !== undefined ? Math.min(Math.max(asked, backoff), RETRY_AFTER_MAX_MS) : backoff;
    a.wait = this.#o.timers.setTimeout(() => {
      a.wait = null;
      void this.#attempt(a, n + 1);
    }, wait);
  }

  #settle(a: Active, outcome: Omit<DeliveryOutcome, 'at'>) {
    if (!this.#active.delete(a)) return;
    this.#finish(a.job, outcome);
    this.#pump();
  }
}
