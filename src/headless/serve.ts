// The headless `serve` mode: engine + REST server on one data directory, no Electron.
import { mkdirSync } from 'node:fs';
import { EventBus } from '../core/events';
import { acquireDataDirLock, type DataDirLock } from '../core/lock';
import type { Logger } from '../core/log';
import { loadMachineIdentity } from '../core/machine';
import { ScheduleRepository } from '../core/schedules';
import { LocalService } from '../core/service';
import { loadOrCreateToken, type TokenSource } from '../core/token';
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
  log: Logger;
  /** The built renderer, served at `/`. */
  uiDir?: string;
}

export interface Headless {
  server: RunningServer;
  service: LocalService;
  token: TokenSource;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startHeadless(options: HeadlessOptions): Promise<Headless> {
  const { dataDir, clock, log } = options;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = acquireDataDirLock(dataDir);
  try {
    const token = loadOrCreateToken(dataDir, options.envToken);
    const machine = loadMachineIdentity(dataDir, clock, log);
    const repo = ScheduleRepository.open(confStoreFactory, dataDir, clock, log);
    const service = new LocalService({ repo, machine, clock, events: new EventBus() });
    const { listen } = buildServer({
      api: service,
      token: () => token.token,
      clock,
      log,
      uiDir: options.uiDir,
    });
    const server = await listen(options.host, options.port);
    let stopped: Promise<void> | null = null;
    return {
      server,
      service,
      token,
      dataDir,
      stop() {
        stopped ??= server.close().finally(() => lock.release());
        return stopped;
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}
