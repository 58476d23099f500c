// @ts-nocheck
// 
// The Schedules API over HTTP, for the browser UI of the headless server. Live events come
// from GET /v1/events read with fetch streaming, so the token stays in a header (an
// EventSource could only send it in the URL, where logs and history would keep it).
import type { ApiEvent } from '../../../shared/events';
import { SchedulesHttpClient } from '../../../shared/http-client';
import { parseSse } from '../../../shared/sse';
import type {
  AppSettings,
  RemoteTestInput,
  RemoteTestResult,
  SettingsPatchInput,
} from '../../../shared/settings';
import type { AppApi } from './types';
import type { BackupInfo, RestoreInput, RestoreResult } from '../../../shared/backups';
import type { BatchInput } from '../../../shared/batch';
import type { Schedule } from '../../../shared/types';
import type { NotifyTestInput, NotifyTestResult } from '../../../shared/alerts-api';

/** `unauthorized`: the server refused the token; retrying cannot help. */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'unauthorized';

const RECONNECT_MIN_MS = 1000;
// The server is on this machine: when it is back, it is back within seconds.
const RECONNECT_MAX_MS = 10_000;

export { parseSse };

export class HttpApi extends SchedulesHttpClient implements AppApi {
  readonly #listeners = new Set<(event: ApiEvent) => void>();
  #stream: AbortController | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #onConnection: (state: ConnectionState) => void = () => {};

  constructor(
    private readonly base: string,
    private readonly token: () => string,
  ) {
    super({ baseUrl: new URL('/v1', base).href, token });
  }

  /** Told when the live event stream connects or drops (the UI shows it). */
  onConnectionChange(listener: (state: ConnectionState) => void): void {
    this.#onConnection = listener;
  }

  async #settings(method: string, path: string): Promise<AppSettings> {
    return (await this.request<{ data: AppSettings }>(method, path)).data;
  }

  getSettings(): Promise<AppSettings> {
    return this.#settings('GET', '/settings');
  }
  async updateSettings(patch: SettingsPatchInput): Promise<AppSettings> {
    return (await this.request<{ data: AppSettings }>('PATCH', '/settings', patch)).data;
  }
  rotateToken(): Promise<AppSettings> {
    return this.#settings('POST', '/settings/token/rotate');
  }
  async testRemote(input: RemoteTestInput = {}): Promise<RemoteTestResult> {
    const res = await this.request<{ data: RemoteTestResult }>(
      'POST',
      '/settings/remote/test',
      input,
    );
    return res.data;
  }

  async createBatch(input: BatchInput): Promise<Schedule[]> {
    return (await this.request<{ data: Schedule[] }>('POST', '/schedules/batch', input)).data;
  }
  async listBackups(): Promise<BackupInfo[]> {
    return (await this.request<{ data: BackupInfo[] }>('GET', '/backups')).data;
  }
  async createBackup(): Promise<BackupInfo> {
    return (await this.request<{ data: BackupInfo }>('POST', '/backups')).data;
  }
  async restoreBackup(id: string, options: RestoreInput = {}): Promise<RestoreResult> {
    const path = `/backups/${encodeURIComponent(id)}/restore`;
    return (await this.request<{ data: RestoreResult }>('POST', path, options)).data;
  }

  async testNotify(id: string, input: NotifyTestInput = {}): Promise<NotifyTestResult> {
    const path = `/schedules/${encodeURIComponent(id)}/notify/test`;
    return (await this.request<{ data: NotifyTestResult }>('POST', path, input)).data;
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#stream) this.#connect(RECONNECT_MIN_MS);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stream?.abort();
        this.#stream = null;
        if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
        this.#retryTimer = null;
      }
    };
  }

  /** Tries the stream again now instead of at the end of the back-off (Retry, coming online). */
  reconnectNow(): void {
    if (!this.#stream || this.#listeners.size === 0) return;
    if (this.#retryTimer === null) return; // connected, or a try is under way
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect(RECONNECT_MIN_MS);
  }

  #connect(backoff: number) {
    const controller = new AbortController();
    this.#stream = controller;
    this.#onConnection('connecting');
    const retry = () => {
      if (controller.signal.aborted || this.#stream !== controller) return;
      this.#onConnection('offline');
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null;
        if (this.#stream === controller) this.#connect(Math.min(backoff * 2, RECONNECT_MAX_MS));
      }, backoff);
    };
    void (async () => {
      try {
        const res = await fetch(new URL('/v1/events', this.base), {
          headers: { authorization: `Bearer ${this.token()}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (res.status === 401) {
          // A rotated or wrong token: the page has to ask for the right one.
          this.#onConnection('unauthorized');
          return;
        }
        if (!res.ok || !res.body) return retry();
        this.#onConnection('online');
        backoff = RECONNECT_MIN_MS;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseSse(buffer + decoder.decode(value, { stream: true }), (event) => {
            for (const l of this.#listeners) l(event);
          });
        }
        retry();
      } catch {
        retry();
      }
    })();
  }
}
