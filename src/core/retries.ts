// Pending retries: a failed or timed-out run of a schedule with `retries` is tried again after
// `retry_delay`, each further time `retry_backoff` times longer (capped at an hour). At most
// one retry waits per schedule. They are kept in `retries.json`, so a restart resumes them
// (one that fell due while the app was off runs at once). The wait is in absolute time, so
// a retry that falls in a DST spring gap is not lost: it runs that many ms later.
import { join } from 'node:path';
import { z } from 'zod';
import { RETRY_DELAY_MAX } from '../shared/schemas';
import type { Clock } from '../shared/time';
import type { RunTrigger } from '../shared/types';
import type { Logger } from './log';
import { PersistedMap } from './persisted-map';
import { MAX_WAIT_MS } from './scheduler';
import type { StorageHealth } from './storage-health';
import { Alarm, type Timers } from './timers';

export const RETRIES_FILE = 'retries.json';

const pendingSchema = z.object({
  schedule_id: z.string(),
  /** The failed attempt's command: cancelling it cancels this retry. */
  after: z.string(),
  /** The first attempt's command, carried by every retry as `retry_of`. */
  retry_of: z.string(),
  /** The attempt this retry will be (2 for the first retry). */
  attempt: z.number().int().min(2),
  at: z.number(),
  trigger: z.enum(['schedule', 'manual', 'catch_up']),
  scheduled_for: z.string().nullable(),
});

export type PendingRetry = z.output<typeof pendingSchema> & { trigger: RunTrigger };

/** The wait after attempt `failed` (1-based) failed: delay × backoff^(failed-1), at most 1 h. */
export function retryWait(
  s: { retry_delay: number; retry_backoff: number },
  failed: number,
): number {
  const wait = s.retry_delay * s.retry_backoff ** Math.max(0, failed - 1);
  return Math.round(Math.min(wait, RETRY_DELAY_MAX));
}

export interface RetryQueueOptions {
  dataDir: string;
  clock: Clock;
  timers: Timers;
  log: Logger;
  health?: StorageHealth;
  /** A retry fell due (it has been taken off the queue). */
  onDue(retry: PendingRetry): void;
}

export class RetryQueue {
  readonly #o: RetryQueueOptions;
  readonly #pending: PersistedMap<PendingRetry>;
  // Capped like the scheduler's wait, so a suspend or a clock change is noticed.
  readonly #alarm: Alarm;
  #running = false;

  constructor(options: RetryQueueOptions) {
    this.#o = options;
    this.#pending = new PersistedMap({
      path: join(options.dataDir, RETRIES_FILE),
      entry: pendingSchema,
      log: options.log,
      timers: options.timers,
      health: options.health,
    });
    this.#alarm = new Alarm(options.timers, options.clock, MAX_WAIT_MS, () => this.#tick());
  }

  start(): void {
    this.#pending.load();
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    this.#alarm.clear();
    this.#pending.close();
  }

  /** Queues a retry; one already waiting for the schedule is replaced and returned. */
  add(retry: PendingRetry): PendingRetry | undefined {
    const old = this.#pending.get(retry.schedule_id);
    this.#pending.set(retry.schedule_id, retry);
    this.#arm();
    return old;
  }

  forSchedule(scheduleId: string): PendingRetry | undefined {
    return this.#pending.get(scheduleId);
  }

  /** The retry waiting after this command (the failed attempt's, or the first attempt's). */
  forCommand(commandId: string): PendingRetry | undefined {
    return this.#pending.values().find((r) => r.after === commandId || r.retry_of === commandId);
  }

  remove(scheduleId: string): PendingRetry | undefined {
    const old = this.#pending.delete(scheduleId);
    this.#arm();
    return old;
  }

  #arm() {
    const pending = this.#pending.values();
    const first = pending.length > 0 ? Math.min(...pending.map((r) => r.at)) : null;
    this.#alarm.set(this.#running ? first : null);
  }

  #tick() {
    const now = this.#o.clock.now();
    const due = this.#pending.values().filter((r) => r.at <= now);
    for (const retry of due.sort((a, b) => a.at - b.at)) {
      this.#pending.delete(retry.schedule_id);
      try {
        this.#o.onDue(retry);
      } catch (e) {
        this.#o.log.error(`retrying ${retry.schedule_id} failed: ${(e as Error).message}`);
      }
    }
    this.#arm();
  }
}
