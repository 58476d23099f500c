// The Schedules API over HTTP, for the browser UI of the headless server. Live events come
// from GET /v1/events read with fetch streaming, so the token stays in a header (an
// EventSource could only send it in the URL, where logs and history would keep it).
import type { HistoryQueryInput, ListQueryInput, PagingQueryInput } from '../../../shared/schemas';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../../shared/schemas';
import { ApiError } from '../../../shared/errors';
import type { ApiEvent } from '../../../shared/events';
import type { AppSettings, SettingsPatchInput } from '../../../shared/settings';
import type { ListResult, Machine, Run, RunStarted, Schedule } from '../../../shared/types';
import type { AppApi } from './types';

type Query = Record<string, string | number | boolean | undefined>;

export type ConnectionState = 'connecting' | 'online' | 'offline';

const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30_000;

/** Splits an SSE byte stream into events; returns the unparsed rest. */
export function parseSse(buffer: string, emit: (event: ApiEvent) => void): string {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '') continue; // comments and keep-alives
    try {
      emit(JSON.parse(data) as ApiEvent);
    } catch {
      // A malformed event is dropped; the next list refresh corrects the view.
    }
  }
  return rest;
}

export class HttpApi implements AppApi {
  readonly #listeners = new Set<(event: ApiEvent) => void>();
  #stream: AbortController | null = null;
  #onConnection: (state: ConnectionState) => void = () => {};

  constructor(
    private readonly base: string,
    private readonly token: () => string,
  ) {}

  /** Told when the live event stream connects or drops (the UI shows it). */
  onConnectionChange(listener: (state: ConnectionState) => void): void {
    this.#onConnection = listener;
  }

  async #call<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = new URL(`/v1${path}`, this.base);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(
        'upstream_unavailable',
        `Cannot reach Cmdop Scheduler at ${this.base} (${(e as Error).message})`,
      );
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new ApiError('internal', `Unexpected answer from the server (HTTP ${res.status})`);
    }
    if (!res.ok) {
      if (ApiError.isErrorBody(json)) throw ApiError.fromBody(json, res.status);
      throw new ApiError('internal', `Unexpected answer from the server (HTTP ${res.status})`);
    }
    return json as T;
  }

  async #one<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.#call<{ data: T }>(method, path, body)).data;
  }

  list(query: ListQueryInput = {}): Promise<ListResult<Schedule>> {
    return this.#call('GET', '/schedules', undefined, query as Query);
  }
  get(id: string): Promise<Schedule> {
    return this.#one('GET', `/schedules/${encodeURIComponent(id)}`);
  }
  create(input: ScheduleCreateInput): Promise<Schedule> {
    return this.#one('POST', '/schedules', input);
  }
  update(id: string, patch: SchedulePatchInput): Promise<Schedule> {
    return this.#one('PATCH', `/schedules/${encodeURIComponent(id)}`, patch);
  }
  remove(id: string): Promise<{ deleted: true }> {
    return this.#one('DELETE', `/schedules/${encodeURIComponent(id)}`);
  }
  runNow(id: string): Promise<RunStarted> {
    return this.#one('POST', `/schedules/${encodeURIComponent(id)}/run`);
  }
  history(id: string, query: HistoryQueryInput = {}): Promise<ListResult<Run>> {
    return this.#call(
      'GET',
      `/schedules/${encodeURIComponent(id)}/history`,
      undefined,
      query as Query,
    );
  }
  getCommand(id: string): Promise<Run> {
    return this.#one('GET', `/commands/${encodeURIComponent(id)}`);
  }
  cancelCommand(id: string): Promise<{ cancelled: true }> {
    return this.#one('DELETE', `/commands/${encodeURIComponent(id)}`);
  }
  listMachines(query: PagingQueryInput = {}): Promise<ListResult<Machine>> {
    return this.#call('GET', '/machines', undefined, query as Query);
  }
  getMachine(id: string): Promise<Machine> {
    return this.#one('GET', `/machines/${encodeURIComponent(id)}`);
  }
  getSettings(): Promise<AppSettings> {
    return this.#one('GET', '/settings');
  }
  updateSettings(patch: SettingsPatchInput): Promise<AppSettings> {
    return this.#one('PATCH', '/settings', patch);
  }
  rotateToken(): Promise<AppSettings> {
    return this.#one('POST', '/settings/token/rotate');
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#stream) this.#connect(RECONNECT_MIN_MS);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stream?.abort();
        this.#stream = null;
      }
    };
  }

  #connect(backoff: number) {
    const controller = new AbortController();
    this.#stream = controller;
    this.#onConnection('connecting');
    const retry = () => {
      if (controller.signal.aborted || this.#stream !== controller) return;
      this.#onConnection('offline');
      setTimeout(() => {
        if (this.#stream === controller) this.#connect(Math.min(backoff * 2, RECONNECT_MAX_MS));
      }, backoff);
    };
    void (async () => {
      try {
        const res = await fetch(new URL('/v1/events', this.base), {
          headers: { authorization: `Bearer ${this.token()}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
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
