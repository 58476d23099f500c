// The headless `serve` mode: the host (engine on one data directory) plus the REST server
// and the browser UI, no Electron.
import { openHost, type Host, type HostOptions } from '../core/host';
import { SettingsService } from '../core/settings-service';
import { buildServer, type RunningServer } from '../server/app';
import { serveLocalSocket } from '../server/local-socket';
import { hostServerOptions } from '../server/host-server';
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

/** The REST API (and the UI, when built) over a host: used by `serve` and the tray app. */
export async function serveApi(
  host: Host,
  options: Pick<
    HeadlessOptions,
    'host' | 'port' | 'uiDir' | 'clock' | 'log' | 'rateLimitPerMinute'
  > & {
    mode?: 'headless' | 'tray';
  },
): Promise<RunningServer & { settings: SettingsService }> {
  let url: string | null = null;
  const settings = new SettingsService({
    repo: host.repo,
    events: host.events,
    server: () => ({
      mode: options.mode ?? 'headless',
      url,
      token: host.token.token,
      token_source: host.token.origin,
    }),
    rotate: host.rotateToken,
    remote: host.remote,
  });
  const { listen } = buildServer({
    ...hostServerOptions(host, settings, options),
    uiDir: options.uiDir,
    rateLimitPerMinute: options.rateLimitPerMinute,
  });
  const server = await listen(options.host, options.port);
  url = server.url;
  return { ...server, settings };
}
