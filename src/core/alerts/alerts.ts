// Alerts beyond the desktop, fed by the engine and never called from inside the runner:
// `run.started` events start the health-check ping, the engine's once-per-run "finished for
// good" hook (after the last retry) sends the end ping and the webhook, and StuckWatch says
// when a run has gone on far longer than usual. Everything is queued (delivery-queue.ts) and
// recorded on its run (delivery-log.ts); nothing here waits for the network.
import { join } from 'node:path';
import {
  pingUrl,
  readsExitCodes,
  redactPing,
  redactUrl,
  type PingKind,
} from '../../shared/alert-url';
import type { AlertsApi, NotifyTestInput, NotifyTestResult } from '../../shared/alerts-api';
import { formatTimestamp, type Clock } from '../../shared/time';
import type { Delivery, Run } from '../../shared/types';
import { alertEventFor, wantsWebhook, type AlertEvent } from '../../shared/webhook-payload';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { StoredSchedule } from '../schedules';
import type { StorageHealth } from '../storage-health';
import type { Timers } from '../timers';
import { DeliveryLog } from './delivery-log';
import { DeliveryQueue, type DeliveryOutcome, type QueueOptions } from './delivery-queue';
import type { AlertRequest } from './http-send';
import { StuckWatch, type RunScanner, type StuckInfo } from './stuck-runs';
import { testChannels, webhookRequest, type Machine } from './requests';

/** How long stopping waits for alerts still on their way (an interrupted run's webhook). */
export const STOP_GRACE_MS = 3_000;

export interface AlertsOptions {
  dataDir: string;
  schedules: { get(id: string): StoredSchedule | undefined };
  events: EventBus;
  /** The history index: the usual duration of a schedule's runs. */
  history: RunScanner;
  clock: Clock;
  /** The engine's timers: stuck runs are found on the same clock as everything else. */
  timers: Timers;
  log: Logger;
  health?: StorageHealth;
  machine: Machine;
  /** A running command as it is now (its output so far), or null. */
  current(commandId: string): Run | null;
  /** A desktop notice for a stuck run (the notification center decides: on_failure, mute). */
  onStuckNotice?(run: Run, schedule: StoredSchedule, info: StuckInfo): void;
  /** Tests shorten the waits; the receivers are real. */
  queue?: Partial<Omit<QueueOptions, 'log' | 'clock'>>;
}

export class Alerts implements AlertsApi {
  readonly #o: AlertsOptions;
  readonly #queue: DeliveryQueue;
  readonly #records: DeliveryLog;
  readonly #stuck: StuckWatch;
  #unsubscribe: (() => void) | null = null;

  constructor(options: AlertsOptions) {
    this.#o = options;
    this.#queue = new DeliveryQueue({ log: options.log, clock: options.clock, ...options.queue });
    this.#records = new DeliveryLog({
      dir: join(options.dataDir, 'deliveries'),
      log: options.log,
      health: options.health,
      timers: options.timers,
    });
    this.#stuck = new StuckWatch({
      events: options.events,
      history: options.history,
      clock: options.clock,
      timers: options.timers,
      onStuck: (run, info) => this.#guard('a stuck run', () => this.#onStuck(run, info)),
    });
  }

  /** Before the engine starts: runs interrupted by a crash are reported as it opens. */
  start(): void {
    this.#stuck.start();
    this.#unsubscribe ??= this.#o.events.subscribe((event) => {
      if (event.type === 'run.started') {
        this.#guard('a start ping', () => this.#started(event.run));
      } else if (event.type === 'schedule.deleted') {
        this.#records.deleteSchedule(event.id);
      }
    });
  }

  /** The engine's hook: a run ended for good (a retried failure only after its last attempt). */
  onRunFinished(run: Run, schedule: StoredSchedule): void {
    this.#guard(`the alerts of ${run.id}`, () => {
      const { notify } = schedule;
      // A skipped fire never started: no ping was opened, and none is closed.
      if (notify.ping_url && run.status !== 'skipped') {
        const kind: PingKind = run.status === 'success' ? 'success' : 'fail';
        const exit =
          run.status === 'failure' && readsExitCodes(notify.ping_url) ? run.exit_code : null;
        this.#ping(run, notify.ping_url, kind, exit);
      }
      const event = alertEventFor(run.status);
      if (event && notify.webhook_url && wantsWebhook(event, notify)) {
        this.#webhook(event, run, schedule);
      }
    });
  }

  /** A run as the API shows it: with its deliveries and, while it runs long, stuck_at. */
  decorate(run: Run): Run {
    const deliveries = this.#records.forRun(run.schedule_id, run.id);
    const stuckAt = run.status === 'running' ? this.#stuck.stuckAt(run.command_id) : null;
    if (deliveries.length === 0 && stuckAt === null) return run;
    const out: Run = { ...run };
    if (deliveries.length > 0) out.deliveries = deliveries;
    if (stuckAt !== null) out.stuck_at = formatTimestamp(stuckAt);
    return out;
  }

  runningLong(scheduleId: string): boolean {
    return this.#stuck.runningLong(scheduleId);
  }

  testNotify(scheduleId: string, input?: NotifyTestInput): Promise<NotifyTestResult> {
    return testChannels(scheduleId, input, {
      schedules: this.#o.schedules,
      machine: this.#o.machine,
      now: this.#o.clock.now(),
    });
  }

  /** Alerts dropped because too many waited (the log says so too). */
  get dropped(): number {
    return this.#queue.dropped;
  }

  /** Gives alerts on their way a moment, then cancels the rest (recorded as not sent). */
  async close(graceMs = STOP_GRACE_MS): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#stuck.stop();
    await this.#queue.drain(graceMs);
    this.#queue.stop();
    this.#records.close();
  }

  #guard(what: string, fn: () => void) {
    try {
      fn();
    } catch (e) {
      // An alert must never take a run, or the engine, down with it.
      this.#o.log.error(`alerts: ${what} failed: ${(e as Error).stack ?? String(e)}`);
    }
  }

  #started(run: Run) {
    const schedule = this.#o.schedules.get(run.schedule_id);
    const url = schedule?.notify.ping_url;
    if (url) this.#ping(run, url, 'start', null);
  }

  #onStuck(run: Run, info: StuckInfo) {
    const schedule = this.#o.schedules.get(run.schedule_id);
    if (!schedule) return;
    const now = formatTimestamp(this.#o.clock.now());
    const live: Run = { ...(this.#o.current(run.command_id) ?? run), stuck_at: now };
    this.#o.log.warn(
      `run ${run.id} of '${schedule.name}' is running long: ${Math.round(info.running_for / 1000)} s ` +
        `so far, usually ${Math.round(info.usual / 1000)} s`,
    );
    this.#o.events.emit({ type: 'run.stuck', run: live, ...info });
    this.#o.onStuckNotice?.(live, schedule, info);
    if (schedule.notify.webhook_url && wantsWebhook('run.stuck', schedule.notify)) {
      this.#webhook('run.stuck', live, schedule, info);
    }
  }

  #ping(run: Run, base: string, kind: PingKind, exit: number | null) {
    const request: AlertRequest = { method: 'GET', url: pingUrl(base, kind, exit) };
    const shown = redactPing(base, kind, exit);
    this.#send(run, 'ping', kind, shown, request, `${run.schedule_id}:ping`);
  }

  #webhook(event: AlertEvent, run: Run, schedule: StoredSchedule, stuck?: StuckInfo) {
    const request = webhookRequest(
      event,
      run,
      schedule,
      this.#o.machine,
      this.#o.clock.now(),
      stuck,
    );
    const url = schedule.notify.webhook_url as string;
    this.#send(run, 'webhook', event, redactUrl(url), request, `${run.schedule_id}:webhook`);
  }

  #send(
    run: Run,
    channel: Delivery['channel'],
    event: string,
    shown: string,
    request: AlertRequest,
    key: string,
  ) {
    this.#queue.push({
      request,
      key,
      done: (outcome: DeliveryOutcome) => {
        const delivery: Delivery = {
          channel,
          event,
          url: shown,
          at: formatTimestamp(outcome.at),
          attempts: outcome.attempts,
          ok: outcome.ok,
          status_code: outcome.status_code,
          error: outcome.error,
        };
        if (!outcome.ok) {
          this.#o.log.warn(
            `alerts: ${channel} ${event} for run ${run.id} to ${shown} failed after ` +
              `${outcome.attempts} attempt(s): ${outcome.error ?? 'no reason given'}`,
          );
        }
        // A schedule deleted meanwhile took its history with it: its records go too.
        if (!this.#o.schedules.get(run.schedule_id)) return;
        this.#records.record(run.schedule_id, run.id, delivery);
        this.#o.events.emit({
          type: 'run.delivery',
          command_id: run.command_id,
          schedule_id: run.schedule_id,
          delivery,
        });
      },
    });
  }
}
