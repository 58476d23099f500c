// Everything that owns a data directory, composed once for both owners: the headless
// server and the tray app. One lock, one store, one engine; the surfaces sit on top.
import { mkdirSync } from 'node:fs';
import type { Clock } from '../shared/time';
import { PRODUCT_NAME } from './data-dir';
import { Engine } from './engine';
import { EventBus } from './events';
import { acquireDataDirLock } from './lock';
import type { Logger } from './log';
import { loadMachineIdentity } from './machine';
import { NotificationCenter, nodeNotifierPort, type NotifierPort } from './notifications';
import { ScheduleRepository, type StoreFactory } from './schedules';
import { LocalService } from './service';
import { generateToken, loadOrCreateToken, saveToken, type TokenSource } from './token';
import { realTimers, type Timers } from './timers';

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
}

export interface Host {
  readonly dataDir: string;
  readonly repo: ScheduleRepository;
  readonly events: EventBus;
  readonly engine: Engine;
  readonly service: LocalService;
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
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireDataDirLock(dataDir);
  try {
    let token = loadOrCreateToken(dataDir, options.envToken);
    const machine = loadMachineIdentity(dataDir, clock, log);
    const repo = ScheduleRepository.open(options.storeFactory, dataDir, clock, log);
    const events = new EventBus();
    const notifications = new NotificationCenter({
      port: options.notifier ?? nodeNotifierPort({ appName: PRODUCT_NAME }),
      log,
      muted: () => repo.settings().notifications.muted,
    });
    const engine = new Engine({
      dataDir,
      repo,
      clock,
      timers: options.timers ?? realTimers,
      events,
      log,
      killGraceMs: options.killGraceMs,
      onRunFinished: (run, schedule) => notifications.onRunFinished(run, schedule),
    });
    const service = new LocalService({ repo, engine, machine, clock, events });
    engine.start();
    let closing: Promise<void> | null = null;
    return {
      dataDir,
      repo,
      events,
      engine,
      service,
      get token() {
        return token;
      },
      rotateToken:
        token.origin === 'env'
          ? null
          : () => {
              token = { ...token, token: generateToken(), origin: 'generated' };
              saveToken(token.path, token.token);
              log.info('the API token was rotated; the old one no longer works');
            },
      close(running = 'cancel') {
        closing ??= engine
          .stop(running)
          .then(() => notifications.dispose())
          .finally(() => lock.release());
        return closing;
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}
