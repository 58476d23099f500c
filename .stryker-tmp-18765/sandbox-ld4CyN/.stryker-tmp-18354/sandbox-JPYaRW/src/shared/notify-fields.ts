// @ts-nocheck
// 
// A schedule's `notify` beyond Cmdop's two flags (ours): webhook, its format, health-check
// pings and the plain-http opt-in. Kept in one normal form — only what is set, in a fixed
// order — so a schedule without alerts has exactly Cmdop's `{on_success, on_failure}`, and
// two equal settings compare equal as JSON.
import { plainHttpProblem } from './alert-url';
import type { Notify, WebhookFormat } from './types';

export const WEBHOOK_FORMATS = ['json', 'slack', 'discord'] as const satisfies WebhookFormat[];

/** The alert fields inside `notify`, in the order they are written. */
export const ALERT_NOTIFY_FIELDS = ['webhook_url', 'webhook_format', 'ping_url', 'allow_http'];

/** Any notify: URLs may be null (cleared), defaults may be spelled out. */
export type NotifyInput = Notify;

/** Only what is set: null URLs, the json format and allow_http false are the defaults. */
export function normalizeNotify(n: NotifyInput): Notify {
  const out: Notify = { on_success: n.on_success, on_failure: n.on_failure };
  if (n.webhook_url) out.webhook_url = n.webhook_url;
  if (n.webhook_format && n.webhook_format !== 'json') out.webhook_format = n.webhook_format;
  if (n.ping_url) out.ping_url = n.ping_url;
  if (n.allow_http === true) out.allow_http = true;
  return out;
}

/**
 * The rules that need the whole notify (a PATCH may send the URL and leave allow_http as
 * stored): `{webhook_url: why}`, empty when fine.
 */
export function notifyProblems(n: Partial<NotifyInput>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of ['webhook_url', 'ping_url'] as const) {
    const url = n[field];
    const problem = url ? plainHttpProblem(url, n.allow_http === true) : null;
    if (problem) problems[field] = problem;
  }
  return problems;
}

/** Whether a schedule sends anything beyond desktop notices. */
export function hasAlertChannels(n: Notify | undefined): boolean {
  return !!(n?.webhook_url || n?.ping_url);
}
