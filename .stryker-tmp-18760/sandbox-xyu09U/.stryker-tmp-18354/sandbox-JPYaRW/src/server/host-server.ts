// @ts-nocheck
// 
// The server's options for an owner's host: the same API, events, settings, batch, backups
// and fire preview whether the transport is the TCP API or the Unix socket.
import type { Host } from '../core/host';
import type { Logger } from '../core/log';
import type { SettingsApi } from '../shared/settings';
import type { Clock } from '../shared/time';
import type { ServerOptions } from './app';

export function hostServerOptions(
  host: Host,
  settings: SettingsApi,
  options: { clock: Clock; log: Logger },
): ServerOptions {
  return {
    api: host.router,
    events: host.events,
    settings,
    batch: host.service,
    backups: host.backups,
    alerts: host.alerts,
    fires: host.fires,
    decisions: host.decisionQueries,
    token: () => host.token.token,
    clock: options.clock,
    log: options.log,
  };
}
