// @ts-nocheck
// 
// The Schedules API as the terminal client uses it: the shared HTTP client over the chosen
// transport, plus our extensions (batch, backups, settings, events) and the lookups every
// command needs (all pages of a list; a schedule by id or by name).
import { ApiError } from '../shared/errors';
import type { ApiEvent } from '../shared/events';
import { SchedulesHttpClient } from '../shared/http-client';
import type { BackupInfo, RestoreResult } from '../shared/backups';
import type { NotifyTestResult } from '../shared/alerts-api';
import { BATCH_MAX, type BatchItemInput } from '../shared/batch';
import type { AppSettings, SettingsPatchInput } from '../shared/settings';
import { parseSse } from '../shared/sse';
import type { Schedule } from '../shared/types';
import { CliError, EXIT } from './errors';
import type { Target } from './transport';

/** Requests stay well under the server's body limit for a batch. */
const BATCH_BYTES = 4 * 1024 * 1024;

/** `items.3.cron` of a later batch, as the index in the whole import. */
function renumber(error: ApiError, offset: number): ApiError {
  const fields = Object.fromEntries(
    Object.entries(error.details.fields ?? {}).map(([key, why]) => [
      key.replace(/^items\.(\d+)/, (_, n: string) => `items.${Number(n) + offset}`),
      why,
    ]),
  );
  return ApiError.invalid(fields, 'batch');
}

export class CliClient extends SchedulesHttpClient {
  constructor(readonly target: Target) {
    super({
      baseUrl: target.baseUrl,
      token: () => target.token,
      fetch: target.fetch,
      // A batch of 1,000 on a slow disk may take a while; a hung owner still ends.
      timeoutMs: 60_000,
    });
  }

  async #data<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.request<{ data: T }>(method, path, body)).data;
  }

  /** Every schedule, all pages. */
  async listAll(query: { enabled?: boolean; machine_id?: string } = {}): Promise<Schedule[]> {
    const all: Schedule[] = [];
    for (;;) {
      const page = await this.list({ ...query, limit: 100, offset: all.length });
      all.push(...page.data);
      if (page.data.length === 0 || all.length >= page.meta.total) return all;
    }
  }

  /** `ID|NAME`: an id as is; otherwise the one schedule with that name (exact, then any case). */
  async resolve(ref: string): Promise<Schedule> {
    if (/^sched_[0-9A-Za-z]+$/.test(ref)) return this.get(ref);
    const all = await this.listAll();
    let found = all.filter((s) => s.name === ref);
    if (found.length === 0) found = all.filter((s) => s.name.toLowerCase() === ref.toLowerCase());
    if (found.length === 1) return found[0] as Schedule;
    if (found.length === 0)
      throw new CliError(`no schedule has the id or name '${ref}'`, EXIT.notFound);
    const ids = found.map((s) => `${s.id} (${s.timezone}, ${s.cron})`).join(', ');
    throw new CliError(`'${ref}' names ${found.length} schedules; use an id: ${ids}`, EXIT.usage);
  }

  /**
   * Creates schedules in batches of up to 1,000 (and a few MiB). A server without the batch
   * route (a Cmdop-compatible remote) gets one POST each.
   */
  async createMany(items: BatchItemInput[], onBatch?: (done: number) => void): Promise<Schedule[]> {
    const created: Schedule[] = [];
    let start = 0;
    while (start < items.length) {
      let end = start;
      let bytes = 0;
      while (end < items.length && end - start < BATCH_MAX) {
        bytes += JSON.stringify(items[end]).length;
        if (bytes > BATCH_BYTES && end > start) break;
        end++;
      }
      const chunk = items.slice(start, end);
      try {
        created.push(
          ...(await this.#data<Schedule[]>('POST', '/schedules/batch', { items: chunk })),
        );
      } catch (e) {
        if (e instanceof ApiError && e.details.fields && start > 0) throw renumber(e, start);
        // A Cmdop-compatible server without our batch route: 404, with or without our envelope.
        const missing = e instanceof ApiError && (e.status === 404 || e.details.status === 404);
        if (!missing || start !== 0) throw e;
        for (const item of items) created.push(await this.create(item));
        return created;
      }
      start = end;
      onBatch?.(created.length);
    }
    return created;
  }

  getSettings(): Promise<AppSettings> {
    return this.#data('GET', '/settings');
  }
  updateSettings(patch: SettingsPatchInput): Promise<AppSettings> {
    return this.#data('PATCH', '/settings', patch);
  }
  listBackups(): Promise<BackupInfo[]> {
    return this.#data('GET', '/backups');
  }
  createBackup(): Promise<BackupInfo> {
    return this.#data('POST', '/backups');
  }
  /** "Send test": one sample to the schedule's webhook and ping, with how each went. */
  testNotify(id: string): Promise<NotifyTestResult> {
    return this.#data('POST', `/schedules/${encodeURIComponent(id)}/notify/test`, {});
  }

  restoreBackup(id: string): Promise<RestoreResult> {
    return this.#data('POST', `/backups/${encodeURIComponent(id)}/restore`);
  }

  /**
   * Live events until `signal` aborts or the server goes away. Resolves once subscribed
   * (so nothing that happens after it is missed), with a promise for the stream's end.
   */
  async events(
    onEvent: (event: ApiEvent) => void,
    signal: AbortSignal,
  ): Promise<{ ended: Promise<void> }> {
    const res = await (this.target.fetch ?? fetch)(`${this.target.baseUrl}/events`, {
      headers: { authorization: `Bearer ${this.target.token}`, accept: 'text/event-stream' },
      signal,
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new ApiError(
        res.status === 404 ? 'not_found' : 'upstream_unavailable',
        `${this.target.describe} does not stream events (HTTP ${res.status})`,
      );
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    // The server's first bytes (": connected") mean the subscription is in place.
    let buffer = '';
    const ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer = parseSse(buffer + decoder.decode(value, { stream: true }), onEvent);
        }
      } catch (e) {
        if (!signal.aborted) throw e;
      }
    })();
    return { ended };
  }
}
