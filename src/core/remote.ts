// RemoteService: the Schedules API of a Cmdop-compatible server (by default Cmdop's cloud),
// reached over HTTP with a Bearer token. The client itself is shared with the browser UI;
// this module fixes the policy for the proxy: 10 s timeout, GET-only retries.
import { SchedulesHttpClient } from '../shared/http-client';

export { DEFAULT_REMOTE_URL, remoteUrlError } from '../shared/settings';

export interface RemoteConfig {
  url: string;
  token: string;
}

export class RemoteService extends SchedulesHttpClient {
  constructor(config: RemoteConfig, options: { timeoutMs?: number; maxRetryWaitMs?: number } = {}) {
    super({
      baseUrl: config.url,
      token: () => config.token,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: 3,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 10_000,
    });
  }
}
