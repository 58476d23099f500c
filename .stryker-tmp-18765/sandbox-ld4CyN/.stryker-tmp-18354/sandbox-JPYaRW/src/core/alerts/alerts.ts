// @ts-nocheck
// 
// Alerts beyond the desktop, fed by the engine and never called from inside the runner:
// `run.started` events start the health-check ping, the engine's once-per-run "finished for
// good" hook (after the last retry) sends the end ping and the webhook, and StuckWatch says
// when a run has gone on far longer than usual. Everything is queued (delivery-queue.ts) and
// recorded on its run (delivery-log.ts); nothing here waits for the network.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { join } from 'node:path';
import { pingUrl, readsExitCodes, redactPing, redactUrl, type PingKind } from '../../shared/alert-url';
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
  schedules: {
    get(id: string): StoredSchedule | undefined;
  };
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
    if (stryMutAct_9fa48("0")) {
      {}
    } else {
      stryCov_9fa48("0");
      this.#o = options;
      this.#queue = new DeliveryQueue(stryMutAct_9fa48("1") ? {} : (stryCov_9fa48("1"), {
        log: options.log,
        clock: options.clock,
        ...options.queue
      }));
      this.#records = new DeliveryLog(stryMutAct_9fa48("2") ? {} : (stryCov_9fa48("2"), {
        dir: join(options.dataDir, stryMutAct_9fa48("3") ? "" : (stryCov_9fa48("3"), 'deliveries')),
        log: options.log,
        health: options.health,
        timers: options.timers
      }));
      this.#stuck = new StuckWatch(stryMutAct_9fa48("4") ? {} : (stryCov_9fa48("4"), {
        events: options.events,
        history: options.history,
        clock: options.clock,
        timers: options.timers,
        onStuck: stryMutAct_9fa48("5") ? () => undefined : (stryCov_9fa48("5"), (run, info) => this.#guard(stryMutAct_9fa48("6") ? "" : (stryCov_9fa48("6"), 'a stuck run'), stryMutAct_9fa48("7") ? () => undefined : (stryCov_9fa48("7"), () => this.#onStuck(run, info))))
      }));
    }
  }

  /** Before the engine starts: runs interrupted by a crash are reported as it opens. */
  start(): void {
    if (stryMutAct_9fa48("8")) {
      {}
    } else {
      stryCov_9fa48("8");
      this.#stuck.start();
      stryMutAct_9fa48("9") ? this.#unsubscribe &&= this.#o.events.subscribe(event => {
        if (event.type === 'run.started') {
          this.#guard('a start ping', () => this.#started(event.run));
        } else if (event.type === 'schedule.deleted') {
          this.#records.deleteSchedule(event.id);
        }
      }) : (stryCov_9fa48("9"), this.#unsubscribe ??= this.#o.events.subscribe(event => {
        if (stryMutAct_9fa48("10")) {
          {}
        } else {
          stryCov_9fa48("10");
          if (stryMutAct_9fa48("13") ? event.type !== 'run.started' : stryMutAct_9fa48("12") ? false : stryMutAct_9fa48("11") ? true : (stryCov_9fa48("11", "12", "13"), event.type === (stryMutAct_9fa48("14") ? "" : (stryCov_9fa48("14"), 'run.started')))) {
            if (stryMutAct_9fa48("15")) {
              {}
            } else {
              stryCov_9fa48("15");
              this.#guard(stryMutAct_9fa48("16") ? "" : (stryCov_9fa48("16"), 'a start ping'), stryMutAct_9fa48("17") ? () => undefined : (stryCov_9fa48("17"), () => this.#started(event.run)));
            }
          } else if (stryMutAct_9fa48("20") ? event.type !== 'schedule.deleted' : stryMutAct_9fa48("19") ? false : stryMutAct_9fa48("18") ? true : (stryCov_9fa48("18", "19", "20"), event.type === (stryMutAct_9fa48("21") ? "" : (stryCov_9fa48("21"), 'schedule.deleted')))) {
            if (stryMutAct_9fa48("22")) {
              {}
            } else {
              stryCov_9fa48("22");
              this.#records.deleteSchedule(event.id);
            }
          }
        }
      }));
    }
  }

  /** The engine's hook: a run ended for good (a retried failure only after its last attempt). */
  onRunFinished(run: Run, schedule: StoredSchedule): void {
    if (stryMutAct_9fa48("23")) {
      {}
    } else {
      stryCov_9fa48("23");
      this.#guard(stryMutAct_9fa48("24") ? `` : (stryCov_9fa48("24"), `the alerts of ${run.id}`), () => {
        if (stryMutAct_9fa48("25")) {
          {}
        } else {
          stryCov_9fa48("25");
          const {
            notify
          } = schedule;
          // A skipped fire never started: no ping was opened, and none is closed.
          if (stryMutAct_9fa48("28") ? notify.ping_url || run.status !== 'skipped' : stryMutAct_9fa48("27") ? false : stryMutAct_9fa48("26") ? true : (stryCov_9fa48("26", "27", "28"), notify.ping_url && (stryMutAct_9fa48("30") ? run.status === 'skipped' : stryMutAct_9fa48("29") ? true : (stryCov_9fa48("29", "30"), run.status !== (stryMutAct_9fa48("31") ? "" : (stryCov_9fa48("31"), 'skipped')))))) {
            if (stryMutAct_9fa48("32")) {
              {}
            } else {
              stryCov_9fa48("32");
              const kind: PingKind = (stryMutAct_9fa48("35") ? run.status !== 'success' : stryMutAct_9fa48("34") ? false : stryMutAct_9fa48("33") ? true : (stryCov_9fa48("33", "34", "35"), run.status === (stryMutAct_9fa48("36") ? "" : (stryCov_9fa48("36"), 'success')))) ? stryMutAct_9fa48("37") ? "" : (stryCov_9fa48("37"), 'success') : stryMutAct_9fa48("38") ? "" : (stryCov_9fa48("38"), 'fail');
              const exit = (stryMutAct_9fa48("41") ? run.status === 'failure' || readsExitCodes(notify.ping_url) : stryMutAct_9fa48("40") ? false : stryMutAct_9fa48("39") ? true : (stryCov_9fa48("39", "40", "41"), (stryMutAct_9fa48("43") ? run.status !== 'failure' : stryMutAct_9fa48("42") ? true : (stryCov_9fa48("42", "43"), run.status === (stryMutAct_9fa48("44") ? "" : (stryCov_9fa48("44"), 'failure')))) && readsExitCodes(notify.ping_url))) ? run.exit_code : null;
              this.#ping(run, notify.ping_url, kind, exit);
            }
          }
          const event = alertEventFor(run.status);
          if (stryMutAct_9fa48("47") ? event && notify.webhook_url || wantsWebhook(event, notify) : stryMutAct_9fa48("46") ? false : stryMutAct_9fa48("45") ? true : (stryCov_9fa48("45", "46", "47"), (stryMutAct_9fa48("49") ? event || notify.webhook_url : stryMutAct_9fa48("48") ? true : (stryCov_9fa48("48", "49"), event && notify.webhook_url)) && wantsWebhook(event, notify))) {
            if (stryMutAct_9fa48("50")) {
              {}
            } else {
              stryCov_9fa48("50");
              this.#webhook(event, run, schedule);
            }
          }
        }
      });
    }
  }

  /** A run as the API shows it: with its deliveries and, while it runs long, stuck_at. */
  decorate(run: Run): Run {
    if (stryMutAct_9fa48("51")) {
      {}
    } else {
      stryCov_9fa48("51");
      const deliveries = this.#records.forRun(run.schedule_id, run.id);
      const stuckAt = (stryMutAct_9fa48("54") ? run.status !== 'running' : stryMutAct_9fa48("53") ? false : stryMutAct_9fa48("52") ? true : (stryCov_9fa48("52", "53", "54"), run.status === (stryMutAct_9fa48("55") ? "" : (stryCov_9fa48("55"), 'running')))) ? this.#stuck.stuckAt(run.command_id) : null;
      if (stryMutAct_9fa48("58") ? deliveries.length === 0 || stuckAt === null : stryMutAct_9fa48("57") ? false : stryMutAct_9fa48("56") ? true : (stryCov_9fa48("56", "57", "58"), (stryMutAct_9fa48("60") ? deliveries.length !== 0 : stryMutAct_9fa48("59") ? true : (stryCov_9fa48("59", "60"), deliveries.length === 0)) && (stryMutAct_9fa48("62") ? stuckAt !== null : stryMutAct_9fa48("61") ? true : (stryCov_9fa48("61", "62"), stuckAt === null)))) return run;
      const out: Run = stryMutAct_9fa48("63") ? {} : (stryCov_9fa48("63"), {
        ...run
      });
      if (stryMutAct_9fa48("67") ? deliveries.length <= 0 : stryMutAct_9fa48("66") ? deliveries.length >= 0 : stryMutAct_9fa48("65") ? false : stryMutAct_9fa48("64") ? true : (stryCov_9fa48("64", "65", "66", "67"), deliveries.length > 0)) out.deliveries = deliveries;
      if (stryMutAct_9fa48("70") ? stuckAt === null : stryMutAct_9fa48("69") ? false : stryMutAct_9fa48("68") ? true : (stryCov_9fa48("68", "69", "70"), stuckAt !== null)) out.stuck_at = formatTimestamp(stuckAt);
      return out;
    }
  }
  runningLong(scheduleId: string): boolean {
    if (stryMutAct_9fa48("71")) {
      {}
    } else {
      stryCov_9fa48("71");
      return this.#stuck.runningLong(scheduleId);
    }
  }
  testNotify(scheduleId: string, input?: NotifyTestInput): Promise<NotifyTestResult> {
    if (stryMutAct_9fa48("72")) {
      {}
    } else {
      stryCov_9fa48("72");
      return testChannels(scheduleId, input, stryMutAct_9fa48("73") ? {} : (stryCov_9fa48("73"), {
        schedules: this.#o.schedules,
        machine: this.#o.machine,
        now: this.#o.clock.now()
      }));
    }
  }

  /** Alerts dropped because too many waited (the log says so too). */
  get dropped(): number {
    if (stryMutAct_9fa48("74")) {
      {}
    } else {
      stryCov_9fa48("74");
      return this.#queue.dropped;
    }
  }

  /** Gives alerts on their way a moment, then cancels the rest (recorded as not sent). */
  async close(graceMs = STOP_GRACE_MS): Promise<void> {
    if (stryMutAct_9fa48("75")) {
      {}
    } else {
      stryCov_9fa48("75");
      stryMutAct_9fa48("76") ? this.#unsubscribe() : (stryCov_9fa48("76"), this.#unsubscribe?.());
      this.#unsubscribe = null;
      this.#stuck.stop();
      await this.#queue.drain(graceMs);
      this.#queue.stop();
      this.#records.close();
    }
  }
  #guard(what: string, fn: () => void) {
    if (stryMutAct_9fa48("77")) {
      {}
    } else {
      stryCov_9fa48("77");
      try {
        if (stryMutAct_9fa48("78")) {
          {}
        } else {
          stryCov_9fa48("78");
          fn();
        }
      } catch (e) {
        if (stryMutAct_9fa48("79")) {
          {}
        } else {
          stryCov_9fa48("79");
          // An alert must never take a run, or the engine, down with it.
          this.#o.log.error(stryMutAct_9fa48("80") ? `` : (stryCov_9fa48("80"), `alerts: ${what} failed: ${stryMutAct_9fa48("81") ? (e as Error).stack && String(e) : (stryCov_9fa48("81"), (e as Error).stack ?? String(e))}`));
        }
      }
    }
  }
  #started(run: Run) {
    if (stryMutAct_9fa48("82")) {
      {}
    } else {
      stryCov_9fa48("82");
      const schedule = this.#o.schedules.get(run.schedule_id);
      const url = stryMutAct_9fa48("83") ? schedule.notify.ping_url : (stryCov_9fa48("83"), schedule?.notify.ping_url);
      if (stryMutAct_9fa48("85") ? false : stryMutAct_9fa48("84") ? true : (stryCov_9fa48("84", "85"), url)) this.#ping(run, url, stryMutAct_9fa48("86") ? "" : (stryCov_9fa48("86"), 'start'), null);
    }
  }
  #onStuck(run: Run, info: StuckInfo) {
    if (stryMutAct_9fa48("87")) {
      {}
    } else {
      stryCov_9fa48("87");
      const schedule = this.#o.schedules.get(run.schedule_id);
      if (stryMutAct_9fa48("90") ? false : stryMutAct_9fa48("89") ? true : stryMutAct_9fa48("88") ? schedule : (stryCov_9fa48("88", "89", "90"), !schedule)) return;
      const now = formatTimestamp(this.#o.clock.now());
      const live: Run = stryMutAct_9fa48("91") ? {} : (stryCov_9fa48("91"), {
        ...(stryMutAct_9fa48("92") ? this.#o.current(run.command_id) && run : (stryCov_9fa48("92"), this.#o.current(run.command_id) ?? run)),
        stuck_at: now
      });
      this.#o.log.warn((stryMutAct_9fa48("93") ? `` : (stryCov_9fa48("93"), `run ${run.id} of '${schedule.name}' is running long: ${Math.round(stryMutAct_9fa48("94") ? info.running_for * 1000 : (stryCov_9fa48("94"), info.running_for / 1000))} s `)) + (stryMutAct_9fa48("95") ? `` : (stryCov_9fa48("95"), `so far, usually ${Math.round(stryMutAct_9fa48("96") ? info.usual * 1000 : (stryCov_9fa48("96"), info.usual / 1000))} s`)));
      this.#o.events.emit(stryMutAct_9fa48("97") ? {} : (stryCov_9fa48("97"), {
        type: stryMutAct_9fa48("98") ? "" : (stryCov_9fa48("98"), 'run.stuck'),
        run: live,
        ...info
      }));
      stryMutAct_9fa48("99") ? this.#o.onStuckNotice(live, schedule, info) : (stryCov_9fa48("99"), this.#o.onStuckNotice?.(live, schedule, info));
      if (stryMutAct_9fa48("102") ? schedule.notify.webhook_url || wantsWebhook('run.stuck', schedule.notify) : stryMutAct_9fa48("101") ? false : stryMutAct_9fa48("100") ? true : (stryCov_9fa48("100", "101", "102"), schedule.notify.webhook_url && wantsWebhook(stryMutAct_9fa48("103") ? "" : (stryCov_9fa48("103"), 'run.stuck'), schedule.notify))) {
        if (stryMutAct_9fa48("104")) {
          {}
        } else {
          stryCov_9fa48("104");
          this.#webhook(stryMutAct_9fa48("105") ? "" : (stryCov_9fa48("105"), 'run.stuck'), live, schedule, info);
        }
      }
    }
  }
  #ping(run: Run, base: string, kind: PingKind, exit: number | null) {
    if (stryMutAct_9fa48("106")) {
      {}
    } else {
      stryCov_9fa48("106");
      const request: AlertRequest = stryMutAct_9fa48("107") ? {} : (stryCov_9fa48("107"), {
        method: stryMutAct_9fa48("108") ? "" : (stryCov_9fa48("108"), 'GET'),
        url: pingUrl(base, kind, exit)
      });
      const shown = redactPing(base, kind, exit);
      this.#send(run, stryMutAct_9fa48("109") ? "" : (stryCov_9fa48("109"), 'ping'), kind, shown, request, stryMutAct_9fa48("110") ? `` : (stryCov_9fa48("110"), `${run.schedule_id}:ping`));
    }
  }
  #webhook(event: AlertEvent, run: Run, schedule: StoredSchedule, stuck?: StuckInfo) {
    if (stryMutAct_9fa48("111")) {
      {}
    } else {
      stryCov_9fa48("111");
      const request = webhookRequest(event, run, schedule, this.#o.machine, this.#o.clock.now(), stuck);
      const url = schedule.notify.webhook_url as string;
      this.#send(run, stryMutAct_9fa48("112") ? "" : (stryCov_9fa48("112"), 'webhook'), event, redactUrl(url), request, stryMutAct_9fa48("113") ? `` : (stryCov_9fa48("113"), `${run.schedule_id}:webhook`));
    }
  }
  #send(run: Run, channel: Delivery['channel'], event: string, shown: string, request: AlertRequest, key: string) {
    if (stryMutAct_9fa48("114")) {
      {}
    } else {
      stryCov_9fa48("114");
      this.#queue.push(stryMutAct_9fa48("115") ? {} : (stryCov_9fa48("115"), {
        request,
        key,
        done: (outcome: DeliveryOutcome) => {
          if (stryMutAct_9fa48("116")) {
            {}
          } else {
            stryCov_9fa48("116");
            const delivery: Delivery = stryMutAct_9fa48("117") ? {} : (stryCov_9fa48("117"), {
              channel,
              event,
              url: shown,
              at: formatTimestamp(outcome.at),
              attempts: outcome.attempts,
              ok: outcome.ok,
              status_code: outcome.status_code,
              error: outcome.error
            });
            if (stryMutAct_9fa48("120") ? false : stryMutAct_9fa48("119") ? true : stryMutAct_9fa48("118") ? outcome.ok : (stryCov_9fa48("118", "119", "120"), !outcome.ok)) {
              if (stryMutAct_9fa48("121")) {
                {}
              } else {
                stryCov_9fa48("121");
                this.#o.log.warn((stryMutAct_9fa48("122") ? `` : (stryCov_9fa48("122"), `alerts: ${channel} ${event} for run ${run.id} to ${shown} failed after `)) + (stryMutAct_9fa48("123") ? `` : (stryCov_9fa48("123"), `${outcome.attempts} attempt(s): ${stryMutAct_9fa48("124") ? outcome.error && 'no reason given' : (stryCov_9fa48("124"), outcome.error ?? (stryMutAct_9fa48("125") ? "" : (stryCov_9fa48("125"), 'no reason given')))}`)));
              }
            }
            // A schedule deleted meanwhile took its history with it: its records go too.
            if (stryMutAct_9fa48("128") ? false : stryMutAct_9fa48("127") ? true : stryMutAct_9fa48("126") ? this.#o.schedules.get(run.schedule_id) : (stryCov_9fa48("126", "127", "128"), !this.#o.schedules.get(run.schedule_id))) return;
            this.#records.record(run.schedule_id, run.id, delivery);
            this.#o.events.emit(stryMutAct_9fa48("129") ? {} : (stryCov_9fa48("129"), {
              type: stryMutAct_9fa48("130") ? "" : (stryCov_9fa48("130"), 'run.delivery'),
              command_id: run.command_id,
              schedule_id: run.schedule_id,
              delivery
            }));
          }
        }
      }));
    }
  }
}