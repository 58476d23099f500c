// @ts-nocheck
// 
// RemoteService: the Schedules API of a Cmdop-compatible server (Cmdop's cloud or a self-hosted one),
// reached over HTTP with a Bearer token. The client itself is shared with the browser UI;
// this module fixes the policy for the proxy: 10 s timeout, GET-only retries.
import { SchedulesHttpClient } from '../shared/http-client';

export { remoteUrlError } from '../shared/settings';

export interface RemoteConfig {
  url: string;
  token: string;
}

export class RemoteService extends SchedulesHttpClient {
  constructor(
    config: RemoteConfig,
    options: {
      timeoutMs?: number;
      maxRetryWaitMs?: number;
      /** The wait before a retry and the clock it reads; tests drive them. */
      sleep?: (ms: number) => Promise<void>;
      now?: () => number;
    } = {},
  ) {
    super({
      baseUrl: config.url,
      token: () => config.token,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: 3,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 10_000,
      sleep: options.sleep,
      now: options.now,
    });
  }
}
