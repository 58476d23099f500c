// @ts-nocheck
// 
// The owner's local transport: the same routes as the TCP API on a Unix domain socket in
// the data directory (a named pipe on Windows), without a token, so the terminal client
// works even when the tray app's TCP API is off. Started by both owners (serve, tray).
import type { Host } from '../core/host';
import { SOCKET_FILE, socketPath } from '../core/socket-path';
import type { Logger } from '../core/log';
import type { SettingsApi } from '../shared/settings';
import type { Clock } from '../shared/time';
import { buildServer, type RunningServer } from './app';
import { hostServerOptions } from './host-server';

export { SOCKET_FILE, socketPath };

export interface LocalSocketOptions {
  clock: Clock;
  log: Logger;
}

/**
 * Listens on the data directory's socket. A failure (a path longer than the OS allows, say)
 * is logged and the owner goes on without it: schedules matter more than the CLI.
 */
export async function serveLocalSocket(
  host: Host,
  settings: SettingsApi,
  options: LocalSocketOptions,
): Promise<RunningServer | null> {
  const path = socketPath(host.dataDir);
  const { listenSocket } = buildServer({
    ...hostServerOptions(host, settings, options),
    transport: 'socket',
  });
  try {
    return await listenSocket(path);
  } catch (e) {
    options.log.warn(
      `the local socket ${path} could not be opened (${(e as Error).message}); the terminal client needs --remote-url until this is fixed`,
    );
    return null;
  }
}
