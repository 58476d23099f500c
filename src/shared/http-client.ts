// The Schedules API as an HTTP client, shared by the browser UI (its own server) and the
// remote proxy (a Cmdop-compatible cloud API). Error envelopes from the server pass through
// unchanged; a server that cannot be reached or answers garbage is a 502 naming the host
// (never the token). Only idempotent GETs are retried, and only on 429/502/503.
import type { SchedulesApi } from './api';
import type { Command, CommandStarted } from './cmdop-command';
import { ApiError } from './errors';
import {
  SYNC_TIMEOUT_DEFAULT,
  type CommandRunInput,
  type CommandsQueryInput,
  type CommandStartInput,
  type HistoryQueryInput,
  type ListQueryInput,
  type MachinesQueryInput,
  type ScheduleCreateInput,
  type SchedulePatchInput,
} from './schemas';
import type { CronFiresInput, FiresQueryInput, FiresResult } from './fires-api';
import type {
  DecisionAt,
  DecisionAtQueryInput,
  DecisionsPage,
  DecisionsQueryInput,
} from './decisions-api';
import type { Identity } from './identity';
import type { ListResult, Machine, MachineStatus, Run, RunStarted, Schedule } from './types';

export type Query = Record<string, string | number | boolean | undefined>;

export interface HttpClientOptions {
  /** Up to and including the version, e.g. `https://api.cmdop.com/v1`. */
  baseUrl: string;
  /** Read on every request, so a rotated token takes effect at once. */
  token: () => string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for GETs answered 429/502/503; default 3. */
  retries?: number;
  /** The longest single wait before a retry; default 10 s. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** How requests travel; default the global fetch (the CLI passes one over a Unix socket). */
  fetch?: typeof fetch;
}

const RETRY_STATUSES = new Set([429, 502, 503]);

/**
 * A synchronous command holds the request until it ends: its timeout, the 5 s the server
 * gives it between SIGTERM and SIGKILL, and some slack for the answer.
 */
export const SYNC_ANSWER_SLACK_MS = 15_000;

/** How long to wait before retrying, from Retry-After or X-RateLimit-Reset, else backoff. */
export function retryDelay(headers: Headers, attempt: number, now: number): number {
  const after = headers.get('retry-after');
  if (after !== null) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-reset') !== null && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - now);
  }
  return 250 * 2 ** attempt;
}

export class SchedulesHttpClient implements SchedulesApi {
  readonly #o: HttpClientOptions;
  readonly host: string;

  constructor(options: HttpClientOptions) {
    this.#o = options;
    this.host = new URL(options.baseUrl).host;
  }

  #unreachable(reason: string): ApiError {
    return new ApiError('upstream_unavailable', `${this.host} is unreachable: ${reason}`, {
      host: this.host,
    });
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#o.timeoutMs ?? 10_000;
    const url = new URL(`${this.#o.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    const retries = method === 'GET' ? (this.#o.retries ?? 3) : 0;
    const sleep = this.#o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = this.#o.now ?? (() => Date.now());
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await (this.#o.fetch ?? fetch)(url, {
          method,
          headers: {
            authorization: `Bearer ${this.#o.token()}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          // No body stays no body: JSON.stringify(undefined) is undefined.
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const err = e as Error;
        const reason =
          err.name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : ((err.cause as Error | undefined)?.message ?? err.message);
        throw this.#unreachable(reason);
      }
      if (attempt < retries && RETRY_STATUSES.has(res.status)) {
        const wait = Math.min(
          retryDelay(res.headers, attempt, now()),
          this.#o.maxRetryWaitMs ?? 10_000,
        );
        await res.body?.cancel();
        await sleep(wait);
        continue;
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new ApiError(
          'upstream_unavailable',
          `${this.host} answered HTTP ${res.status} with a body that is not JSON`,
          { host: this.host },
        );
      }
      if (!res.ok) {
        // The server's own error, code and status as it sent them.
        if (ApiError.isErrorBody(json)) throw ApiError.fromBody(json, res.status);
        throw new ApiError(
          'upstream_unavailable',
          `${this.host} answered HTTP ${res.status} without an error body`,
          { host: this.host, status: res.status },
        );
      }
      if (typeof json !== 'object' || json === null || !('data' in json)) {
        throw new ApiError(
          'upstream_unavailable',
          `${this.host} answered without the expected {"data": …} envelope`,
          { host: this.host },
        );
      }
      return json as T;
    }
  }

  async #one<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.request<{ data: T }>(method, path, body)).data;
  }

  list(query: ListQueryInput = {}): Promise<ListResult<Schedule>> {
    return this.request('GET', '/schedules', undefined, query as Query);
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
    const path = `/schedules/${encodeURIComponent(id)}/history`;
    return this.request('GET', path, undefined, query as Query);
  }
  getCommand(id: string): Promise<Command> {
    return this.#one('GET', `/commands/${encodeURIComponent(id)}`);
  }
  async runCommand(input: CommandRunInput): Promise<Command> {
    const timeout = (input as { timeout?: unknown } | null)?.timeout;
    const wait = typeof timeout === 'number' ? timeout : SYNC_TIMEOUT_DEFAULT;
    const options = { timeoutMs: Math.max(wait + SYNC_ANSWER_SLACK_MS, this.#o.timeoutMs ?? 0) };
    return (await this.request<{ data: Command }>('POST', '/commands', input, {}, options)).data;
  }
  startCommand(input: CommandStartInput): Promise<CommandStarted> {
    return this.#one('POST', '/commands/async', input);
  }
  listCommands(machineId: string, query: CommandsQueryInput = {}): Promise<ListResult<Command>> {
    const path = `/machines/${encodeURIComponent(machineId)}/commands`;
    return this.request('GET', path, undefined, query as Query);
  }
  cancelCommand(id: string): Promise<{ cancelled: true }> {
    return this.#one('DELETE', `/commands/${encodeURIComponent(id)}`);
  }
  listMachines(query: MachinesQueryInput = {}): Promise<ListResult<Machine>> {
    return this.request('GET', '/machines', undefined, query as Query);
  }
  getMachine(id: string): Promise<Machine> {
    return this.#one('GET', `/machines/${encodeURIComponent(id)}`);
  }

  // ours: the fire preview (a Cmdop server without it answers 404).
  async scheduleFires(id: string, query: FiresQueryInput = {}): Promise<FiresResult> {
    const path = `/schedules/${encodeURIComponent(id)}/fires`;
    return withoutRequestId(
      await this.request<FiresResult>('GET', path, undefined, query as Query),
    );
  }
  async cronFires(input: CronFiresInput): Promise<FiresResult> {
    return withoutRequestId(await this.request<FiresResult>('POST', '/cron/fires', input));
  }
  // ours: the decision log.
  decisions(id: string, query: DecisionsQueryInput = {}): Promise<DecisionsPage> {
    const path = `/schedules/${encodeURIComponent(id)}/decisions`;
    return this.request('GET', path, undefined, query as Query);
  }
  decisionAt(id: string, query: DecisionAtQueryInput): Promise<DecisionAt> {
    const path = `/schedules/${encodeURIComponent(id)}/decisions/at`;
    return this.request<{ data: DecisionAt }>('GET', path, undefined, { time: query.time }).then(
      (r) => r.data,
    );
  }
  getMachineStatus(id: string): Promise<MachineStatus> {
    return this.#one('GET', `/machines/${encodeURIComponent(id)}/status`);
  }
  /** GET /v1/auth/me: who the token is (Cmdop's SDKs call it to check a token). */
  whoami(): Promise<Identity> {
    return this.#one('GET', '/auth/me');
  }
}

/** The same answer as over IPC: the request id belongs to one HTTP exchange. */
function withoutRequestId(result: FiresResult): FiresResult {
  const { request_id: _id, ...meta } = result.meta as FiresResult['meta'] & { request_id?: string };
  return { data: result.data, meta };
}
