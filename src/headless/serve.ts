// The headless `serve` mode: engine + REST server on one data directory, no Electron.
import { mkdirSync } from 'node:fs';
import { PRODUCT_NAME } from '../core/data-dir';
import { Engine } from '../core/engine';
import { EventBus } from '../core/events';
import { acquireDataDirLock } from '../core/lock';
import type { Logger } from '../core/log';
import { loadMachineIdentity } from '../core/machine';
import { NotificationCenter, nodeNotifierPort, type NotifierPort } from '../core/notifications';
import { realTimers, type Timers } from '../core/timers';
import { ScheduleRepository } from '../core/schedules';
import { LocalService } from '../core/service';
import { SettingsService } from '../core/settings-service';
import { generateToken, loadOrCreateToken, saveToken, type TokenSource } from '../core/token';
import { buildServer, type RunningServer } from '../server/app';
import type { Clock } from '../shared/time';
import { confStoreFactory } from './conf-store';

export interface HeadlessOptions {
  dataDir: string;
  host: string;
  port: number;
  /** CMDOP_SCHEDULER_TOKEN, when the user sets one. */
  envToken?: string;
  clock: Clock;
  timers?: Timers;
  log: Logger;
  /** The built renderer, served at `/`. */
  uiDir?: string;
  /** Where notifications go; default node-notifier (notify-send on Linux). */
  notifier?: NotifierPort;
  /** Grace between SIGTERM and SIGKILL for timeouts and cancels. */
  killGraceMs?: number;
}

export interface Headless {
  server: RunningServer;
  service: LocalService;
  settings: SettingsService;
  engine: Engine;
  events: EventBus;
  token: TokenSource;
  dataDir: string;
  /** Stops serving, cancels running commands (recorded as interrupted), frees the lock. */
  stop(): Promise<void>;
}

export async function startHeadless(options: HeadlessOptions): Promise<Headless> {
  const { dataDir, clock, log } = options;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireDataDirLock(dataDir);
  let engine: Engine | null = null;
  try {
    let token = loadOrCreateToken(dataDir, options.envToken);
    const machine = loadMachineIdentity(dataDir, clock, log);
    const repo = ScheduleRepository.open(confStoreFactory, dataDir, clock, log);
    const events = new EventBus();
    const notifications = new NotificationCenter({
      port: options.notifier ?? nodeNotifierPort({ appName: PRODUCT_NAME }),
      log,
      muted: () => repo.settings().notifications.muted,
    });
    const started = new Engine({
      dataDir,
      repo,
      clock,
      timers: options.timers ?? realTimers,
      events,
      log,
      killGraceMs: options.killGraceMs,
      onRunFinished: (run, schedule) => notifications.onRunFinished(run, schedule),
    });
    engine = started;
    const service = new LocalService({ repo, engine: started, machine, clock, events });
    started.start();
    let url: string | null = null;
    const settings = new SettingsService({
      repo,
      events,
      server: () => ({ mode: 'headless', url, token: token.token, token_source: token.origin }),
      rotate:
        token.origin === 'env'
          ? null
          : () => {
              token = { ...token, token: generateToken(), origin: 'generated' };
              saveToken(token.path, token.token);
              log.info('the API token was rotated; the old one no longer works');
            },
    });
    const { listen } = buildServer({
      api: service,
      events,
      settings,
      token: () => token.token,
      clock,
      log,
      uiDir: options.uiDir,
    });
    const server = await listen(options.host, options.port);
    url = server.url;
    let stopped: Promise<void> | null = null;
    return {
      server,
      service,
      settings,
      engine: started,
      events,
      get token() {
        return token;
      },
      dataDir,
      stop() {
        stopped ??= (async () => {
          try {
            await server.close();
            await started.stop('cancel');
            notifications.dispose();
          } finally {
            lock.release();
          }
        })();
        return stopped;
      },
    };
  } catch (e) {
    await engine?.stop('cancel');
    lock.release();
    throw e;
  }
}
