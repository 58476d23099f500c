// @ts-nocheck
// 
// The headless `serve` mode: the host (engine on one data directory) plus the REST server
// and the browser UI, no Electron.
import { openHost, type Host, type HostOptions } from '../core/host';
import type { SettingsService } from '../core/settings-service';
import type { RunningServer } from '../server/app';
import { serveApi } from '../server/local-api';
import { serveLocalSocket } from '../server/local-socket';
import { confStoreFactory } from './conf-store';

export interface HeadlessOptions extends Omit<HostOptions, 'storeFactory'> {
  host: string;
  port: number;
  /** The built renderer, served at `/`. */
  uiDir?: string;
  rateLimitPerMinute?: number;
}

export interface Headless {
  server: RunningServer;
  /** The Unix socket (no token; file permissions), or null if it could not be opened. */
  socket: RunningServer | null;
  host: Host;
  settings: SettingsService;
  /** Stops serving, cancels running commands (recorded as interrupted), frees the lock. */
  stop(): Promise<void>;
}

export async function startHeadless(options: HeadlessOptions): Promise<Headless> {
  const host = openHost({ ...options, storeFactory: confStoreFactory });
  try {
    const server = await serveApi(host, options);
    const socket = await serveLocalSocket(host, server.settings, options);
    const stop = async () => {
      try {
        await Promise.all([server.close(), socket?.close()]);
      } finally {
        await host.close('cancel');
      }
    };
    let stopped: Promise<void> | null = null;
    return {
      server,
      socket,
      host,
      settings: server.settings,
      stop: () => (stopped ??= stop()),
    };
  } catch (e) {
    await host.close('cancel');
    throw e;
  }
}
