// @ts-nocheck
// 
// The HTTP requests alerts make: a webhook POST for an event, and "Send test" — one attempt
// to each channel a schedule has, with a sample run, answered with how each went.
import { pingUrl, redactPing, redactUrl } from '../../shared/alert-url';
import {
  notifyTestSchema,
  type NotifyTestInput,
  type NotifyTestOutcome,
  type NotifyTestResult,
} from '../../shared/alerts-api';
import { ApiError } from '../../shared/errors';
import { hasAlertChannels, normalizeNotify, notifyProblems } from '../../shared/notify-fields';
import { parseInput } from '../../shared/schemas';
import { formatTimestamp } from '../../shared/time';
import type { Run } from '../../shared/types';
import { webhookBody, type AlertEvent } from '../../shared/webhook-payload';
import type { StoredSchedule } from '../schedules';
import { sendOnce, type AlertRequest } from './http-send';
import type { StuckInfo } from './stuck-runs';

export interface Machine {
  id: string;
  /** The host name, as the Machine object's `name`. */
  name: string;
}

type ScheduleFacts = Pick<StoredSchedule, 'id' | 'name' | 'cron' | 'timezone' | 'notify'>;

export function webhookRequest(
  event: AlertEvent,
  run: Run,
  schedule: ScheduleFacts,
  machine: Machine,
  now: number,
  stuck?: StuckInfo,
): AlertRequest {
  const { id, name, cron, timezone, notify } = schedule;
  const body = webhookBody(notify.webhook_format ?? 'json', {
    event,
    schedule: { id, name, cron, timezone },
    machine: { ...machine },
    run,
    stuck,
    sentAt: now,
  });
  return { method: 'POST', url: notify.webhook_url as string, body };
}

/** What a test sends as "the run": plainly a sample, shaped like the real thing. */
export function sampleRun(scheduleId: string, now: number): Run {
  return {
    id: 'run_test',
    command_id: 'cmd_test',
    schedule_id: scheduleId,
    started_at: formatTimestamp(now - 1200),
    finished_at: formatTimestamp(now),
    exit_code: 0,
    duration: 1200,
    stdout: 'This is a test from Cmdop Scheduler: no command ran.\n',
    stderr: '',
    trigger: 'manual',
    status: 'success',
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
  };
}

export interface TestDeps {
  schedules: { get(id: string): StoredSchedule | undefined };
  machine: Machine;
  now: number;
  /** Per attempt (tests shorten it). */
  timeoutMs?: number;
}

/**
 * One attempt per channel, at once: a person is waiting for the answer. The webhook gets a
 * `test` event; the ping goes to `<url>/log`, which healthchecks.io records without changing
 * the check's state (a success ping would mark a down check up).
 */
export async function testChannels(
  scheduleId: string,
  input: NotifyTestInput | undefined,
  deps: TestDeps,
): Promise<NotifyTestResult> {
  const body = parseInput(notifyTestSchema, input, 'request');
  const schedule = deps.schedules.get(scheduleId);
  if (!schedule) throw ApiError.notFound('Schedule', scheduleId);
  const notify = normalizeNotify({ ...schedule.notify, ...body.notify });
  const problems = notifyProblems(notify);
  if (Object.keys(problems).length > 0) {
    const fields = Object.fromEntries(Object.entries(problems).map(([k, v]) => [`notify.${k}`, v]));
    throw ApiError.invalid(fields, 'request');
  }
  if (!hasAlertChannels(notify)) {
    throw ApiError.invalid(
      { notify: 'has no webhook_url or ping_url to test; set one (here or on the schedule) first' },
      'request',
    );
  }
  const tries: Promise<NotifyTestOutcome>[] = [];
  const attempt = async (
    channel: NotifyTestOutcome['channel'],
    url: string,
    request: AlertRequest,
  ): Promise<NotifyTestOutcome> => {
    const r = await sendOnce(request, { timeoutMs: deps.timeoutMs });
    return { channel, url, ok: r.ok, status_code: r.status_code, error: r.error };
  };
  if (notify.webhook_url) {
    const request = webhookRequest(
      'test',
      sampleRun(schedule.id, deps.now),
      { ...schedule, notify },
      deps.machine,
      deps.now,
    );
    tries.push(attempt('webhook', redactUrl(notify.webhook_url), request));
  }
  if (notify.ping_url) {
    const url = pingUrl(notify.ping_url, 'log');
    tries.push(attempt('ping', redactPing(notify.ping_url, 'log'), { method: 'GET', url }));
  }
  const results = await Promise.all(tries);
  return { ok: results.every((r) => r.ok), results };
}
