// @ts-nocheck
// 
// The REST API over a host, for both owners: `serve` always runs it, the tray app when the
// user turns the local API on. Lives in server/ so neither owner imports the other.
import type { Host } from '../core/host';
import type { Logger } from '../core/log';
import { SettingsService } from '../core/settings-service';
import type { Clock } from '../shared/time';
import { buildServer, type RunningServer } from './app';
import { hostServerOptions } from './host-server';

export interface LocalApiOptions {
  host: string;
  port: number;
  /** The built renderer, served at `/`. */
  uiDir?: string;
  clock: Clock;
  log: Logger;
  mode?: 'headless' | 'tray';
  /** Requests per minute per token (long fuzz runs raise it). */
  rateLimitPerMinute?: number;
}

/** The REST API (and the UI, when built) over a host: used by `serve` and the tray app. */
export async function serveApi(
  host: Host,
  options: LocalApiOptions,
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
    storage: () => host.storage.status(),
    pause: host.engine.policies,
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
