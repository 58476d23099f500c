// Everything that owns a data directory, composed once for both owners: the headless
// server and the tray app. One lock, one store, one engine; the surfaces sit on top.
import { hostname } from 'node:os';
import type { Clock } from '../shared/time';
import type { Run } from '../shared/types';
import { Alerts, type AlertsOptions } from './alerts/alerts';
import { PRODUCT_NAME } from './data-dir';
import { Engine } from './engine';
import { EventBus } from './events';
import { acquireDataDirLock } from './lock';
import { securePrivateDir } from './private-fs';
import { StorageHealth } from './storage-health';
import type { Logger } from './log';
import { loadMachineIdentity } from './machine';
import { NotificationCenter, nodeNotifierPort, type NotifierPort } from './notifications';
import { ScheduleRepository, type StoreFactory } from './schedules';
import { LocalService } from './service';
import { generateToken, loadOrCreateToken, saveToken, type TokenSource } from './token';
import { CMDOP_CLOUD_URL, type RemoteStatus, type RemoteTestResult } from '../shared/settings';
import { RemoteService } from './remote';
import { probeRemote } from './remote-probe';
import { Router } from './router';
import { REMOTE_TOKEN_FILE, remoteTokenStore, type SecretStore } from './secrets';
import { realTimers, type Timers } from './timers';
import { Backups } from './backups';
import { FirePreview } from './fire-preview';
import type { FireDecision } from './fire-decisions';
import { sysfsPower, type PowerSource } from './power';
import { DecisionLog } from './decisions/recorder';
import { DecisionQueries } from './decisions/query';
import { readLastAlive } from './heartbeat';

export interface HostOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  clock: Clock;
  log: Logger;
  timers?: Timers;
  /** Where notifications go; default node-notifier (notify-send on Linux). */
  notifier?: NotifierPort;
  /** CMDOP_SCHEDULER_TOKEN, when the user sets one. */
  envToken?: string;
  /** Grace between SIGTERM and SIGKILL for timeouts and cancels. */
  killGraceMs?: number;
  /** --remote-url / CMDOP_API_TOKEN: when given they decide, over what settings hold. */
  remoteOverride?: { url?: string; token?: string };
  /** Where the Cmdop API token is kept; default a 0600 file in the data directory. */
  secrets?: SecretStore;
  /** Request timeout for the remote API (tests shorten it). */
  remoteTimeoutMs?: number;
  /** Battery or AC (the tray app: Electron's powerMonitor); default the power_supply tree. */
  power?: PowerSource;
  /** Where the kernel's power_supply class is read (default /sys/class/power_supply). */
  powerSupplyRoot?: string;
  /** The environment commands start from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Every decision about a planned fire or a retry. */
  onDecision?: (d: FireDecision) => void;
  /** Webhook and ping delivery limits (tests shorten the timeout and the backoff). */
  alertQueue?: AlertsOptions['queue'];
}

export interface RemoteControl {
  status(): RemoteStatus;
  /** Saves a new URL and/or token (null clears) and reconnects. */
  configure(patch: { url?: string | null; token?: string | null }): void;
  /** Tries a connection (the current one, or the given URL/token) without saving it. */
  test(input?: { url?: string; token?: string }): Promise<RemoteTestResult>;
}

export interface Host {
  readonly dataDir: string;
  readonly repo: ScheduleRepository;
  readonly events: EventBus;
  readonly engine: Engine;
  readonly service: LocalService;
  /** What every surface calls: local schedules here, other machines' at the Cmdop API. */
  readonly router: Router;
  readonly remote: RemoteControl;
  /** Whether the data directory can be written (a full disk, a read-only mount). */
  readonly storage: StorageHealth;
  /** Daily copies of the store, and restore. */
  readonly backups: Backups;
  /** Webhooks, health-check pings and stuck runs; "Send test". */
  readonly alerts: Alerts;
  /** When schedules fire, as the engine plans them (the preview routes). */
  readonly fires: FirePreview;
  /** What became of every planned fire, and why (the decision log). */
  readonly decisions: DecisionLog;
  readonly decisionQueries: DecisionQueries;
  /** The local API token (it can rotate). */
  readonly token: TokenSource;
  /** A new random token, stored; null when it comes from the environment. */
  readonly rotateToken: (() => void) | null;
  /** Stops the engine (cancelling or awaiting running commands) and frees the lock. */
  close(running?: 'cancel' | 'wait'): Promise<void>;
}

/** Opens the data directory and starts the engine. Throws DataDirLockedError if taken. */
export function openHost(options: HostOptions): Host {
  const { dataDir, clock, log } = options;
  securePrivateDir(dataDir, log);
  const lock = acquireDataDirLock(dataDir);
  try {
    let token = loadOrCreateToken(dataDir, options.envToken);
    const machine = loadMachineIdentity(dataDir, clock, log);
    const events = new EventBus();
    let notifications: NotificationCenter | null = null;
    const storage = new StorageHealth(clock, log, (status) => {
      events.emit({ type: 'storage.changed', storage: status });
      // Once per episode: the problem clears itself, and saying so needs no bubble.
      if (status.problem)
        notifications?.alert('Cmdop Scheduler cannot save', status.problem.message);
    });
    const repo = ScheduleRepository.open(options.storeFactory, dataDir, clock, log, storage);
    notifications = new NotificationCenter({
      port: options.notifier ?? nodeNotifierPort({ appName: PRODUCT_NAME }),
      log,
      muted: () => repo.settings().notifications.muted,
      timers: options.timers,
    });
    const center = notifications;
    let alerts: Alerts | null = null;
    let serviceRef: LocalService | null = null;
    const decisions = new DecisionLog({
      dataDir,
      clock,
      timers: options.timers ?? realTimers,
      log,
      retention: () => repo.settings().history,
      schedule: (id) => repo.get(id),
      // The row and the tray say "last planned fire skipped: paused": tell them it changed.
      onLastChanged: (id) => {
        // Stryker disable next-line OptionalChaining: the decision log first records once running (the bus, decisions.started), after serviceRef is set
        serviceRef
          ?.get(id)
          .then((schedule) => events.emit({ type: 'schedule.updated', schedule }))
          .catch(() => undefined);
      },
    });
    events.subscribe((e) => {
      if (e.type === 'schedule.deleted') decisions.scheduleDeleted(e.id);
      else if (e.type === 'schedule.updated' || e.type === 'schedule.created') {
        const s = repo.get(e.schedule.id);
        if (s) decisions.scheduleChanged(s);
      }
    });
    const engine = new Engine({
      dataDir,
      repo,
      clock,
      timers: options.timers ?? realTimers,
      events,
      log,
      killGraceMs: options.killGraceMs,
      health: storage,
      env: options.env,
      power: options.power ?? sysfsPower(options.powerSupplyRoot),
      onDecision: (d) => {
        decisions.record(d);
        options.onDecision?.(d);
      },
      onMissed: (m) => decisions.missed(m),
      onRunFinished: (run, schedule) => {
        center.onRunFinished(run, schedule);
        // Stryker disable next-line OptionalChaining: alerts is set before engine.start(); no run can end before that
        alerts?.onRunFinished(run, schedule);
      },
    });
    const runAlerts = new Alerts({
      dataDir,
      schedules: repo,
      events,
      history: engine.history,
      clock,
      timers: options.timers ?? realTimers,
      log,
      health: storage,
      machine: { id: machine.id, name: hostname() },
      current: (commandId) => runningNow(engine, commandId),
      onStuckNotice: (run, schedule, info) => center.onRunStuck(run, schedule, info),
      queue: options.alertQueue,
    });
    alerts = runAlerts;
    runAlerts.start();
    const service = new LocalService({
      repo,
      engine,
      machine,
      clock,
      events,
      alerts: runAlerts,
      lastDecision: (id) => decisions.last(id),
    });
    serviceRef = service;
    const router = new Router(service);
    const fires = new FirePreview({
      repo,
      clock,
      resumesAt: (s, now) => engine.policies.resumesAt(s, now),
    });
    const remote = remoteControl(options, repo, router, storage);
    const decisionQueries = new DecisionQueries({ decisions, repo, clock });
    // Before the engine's first fire: the fires of the time the app was off are decided.
    decisions.started(
      readLastAlive(dataDir),
      repo.all().filter((s) => repo.error(s.id) === null),
    );
    engine.start();
    const backups = new Backups({
      dataDir,
      copyTo: (path) => repo.copyTo(path),
      clock,
      timers: options.timers ?? realTimers,
      log,
      apply: (schedules, settings) => service.restore(schedules, settings),
    });
    backups.start();
    let closing: Promise<void> | null = null;
    return {
      dataDir,
      repo,
      events,
      engine,
      service,
      router,
      remote,
      storage,
      backups,
      alerts: runAlerts,
      fires,
      decisions,
      decisionQueries,
      get token() {
        return token;
      },
      rotateToken:
        token.origin === 'env'
          ? null
          : () => {
              const next = generateToken();
              try {
                saveToken(token.path, next);
              } catch (e) {
                storage.refuse('store', token.path, e); // the old token keeps working
              }
              token = { ...token, token: next, origin: 'generated' };
              log.info('the API token was rotated; the old one no longer works');
            },
      close(running = 'cancel') {
        backups.stop();
        closing ??= engine
          .stop(running)
          .then(() => runAlerts.close())
          .then(() => decisions.close())
          .then(() => center.dispose())
          .then(() => repo.close())
          .finally(() => lock.release());
        return closing;
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

export { REMOTE_TOKEN_FILE };

/** A command that is running, with its output so far; null once it has ended. */
function runningNow(engine: Engine, commandId: string): Run | null {
  try {
    const run = engine.getCommand(commandId);
    return run.status === 'running' ? run : null;
  } catch {
    return null;
  }
}

function remoteControl(
  options: HostOptions,
  repo: ScheduleRepository,
  router: Router,
  storage: StorageHealth,
): RemoteControl {
  const secrets = options.secrets ?? remoteTokenStore(options.dataDir);
  const override = options.remoteOverride ?? {};
  const fromCli = override.url !== undefined || override.token !== undefined;
  const current = () => {
    const token = override.token ?? secrets.get();
    // No default URL: Cmdop's cloud API is announced but not open to all, and a self-hosted
    // one is at the user's own address. A token alone connects nothing.
    const url = override.url ?? repo.settings().remote.url ?? null;
    return { url, token };
  };
  const make = (url: string, token: string) =>
    new RemoteService({ url, token }, { timeoutMs: options.remoteTimeoutMs });
  const connect = () => {
    const { url, token } = current();
    if (url && token) {
      router.setRemote(make(url, token), new URL(url).host);
      options.log.info(`connected to the Cmdop API at ${new URL(url).host}`);
    } else {
      if (token && !url) {
        const where = fromCli ? 'pass --remote-url' : 'set it in Settings → Cmdop connection';
        options.log.warn(
          `a Cmdop API token is set but no URL, so nothing is connected: ${where} (Cmdop's cloud ${CMDOP_CLOUD_URL} or a self-hosted https://HOST/api/v1)`,
        );
      }
      router.setRemote(null);
    }
  };
  connect();
  return {
    status() {
      const { url, token } = current();
      return {
        url,
        token_set: token !== null,
        source: fromCli ? 'cli' : 'settings',
        connected: router.remoteConnected,
        token_encrypted: !override.token && secrets.encrypted,
        token_unreadable: override.token ? null : (secrets.unreadable?.() ?? null),
      };
    },
    configure(patch) {
      if (patch.token !== undefined) {
        try {
          secrets.set(patch.token);
        } catch (e) {
          storage.refuse('store', options.dataDir, e);
        }
      }
      if (patch.url !== undefined) {
        const settings = repo.settings();
        repo.updateSettings({ ...settings, remote: { url: patch.url } });
      }
      connect();
    },
    async test(input = {}) {
      const { url: savedUrl, token: savedToken } = current();
      const url = input.url ?? savedUrl;
      const token = input.token ?? savedToken;
      if (!url) {
        return {
          ok: false,
          message:
            'No URL is set for the Cmdop connection: Cmdop cloud https://api.cmdop.com/v1, or a self-hosted https://HOST/api/v1',
        };
      }
      if (!token) return { ok: false, message: 'No API token is set for the Cmdop connection' };
      return probeRemote(url, (candidate) => make(candidate, token));
    },
  };
}
