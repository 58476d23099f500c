// @ts-nocheck
// 
// The editor's alert fields (webhook, its format, health-check ping, plain http) as data:
// their form state, what goes into `notify`, and what only the whole form can judge. No
// React; the section is AlertFields.tsx, and the rules are the shared ones.
import type { NotifyTestResult } from '../../../../shared/alerts-api';
import { notifyProblems, type NotifyInput } from '../../../../shared/notify-fields';
import type { Notify, Schedule, WebhookFormat } from '../../../../shared/types';

export const ALERT_LABELS = {
  webhook_url: 'Webhook URL',
  webhook_format: 'Webhook format',
  ping_url: 'Ping URL',
  allow_http: 'Plain http',
} as const;

export type AlertField = keyof typeof ALERT_LABELS;

export const isAlertField = (name: string): name is AlertField => Object.hasOwn(ALERT_LABELS, name);

export interface AlertForm {
  webhookUrl: string;
  webhookFormat: WebhookFormat;
  pingUrl: string;
  allowHttp: boolean;
  /**
   * The schedule had alerts when the editor opened: clearing them must then be sent (as
   * nulls), while a schedule that never had any keeps Cmdop's plain notify.
   */
  had: boolean;
}

export function initialAlerts(s?: Partial<Schedule>): AlertForm {
  const n: Partial<Notify> = s?.notify ?? {};
  return {
    webhookUrl: n.webhook_url ?? '',
    webhookFormat: n.webhook_format ?? 'json',
    pingUrl: n.ping_url ?? '',
    allowHttp: n.allow_http ?? false,
    had: !!(n.webhook_url || n.ping_url || n.allow_http || n.webhook_format),
  };
}

type AlertNotify = Omit<NotifyInput, 'on_success' | 'on_failure'>;

/** The alert keys of `notify`: none when nothing is or was set, else all four. */
export function alertNotify(a: AlertForm): AlertNotify {
  const fields: AlertNotify = {
    webhook_url: a.webhookUrl.trim() === '' ? null : a.webhookUrl.trim(),
    webhook_format: a.webhookFormat,
    ping_url: a.pingUrl.trim() === '' ? null : a.pingUrl.trim(),
    allow_http: a.allowHttp,
  };
  const any = fields.webhook_url || fields.ping_url || a.allowHttp || a.webhookFormat !== 'json';
  return any || a.had ? fields : {};
}

/** The rule across fields (plain http needs allow_http), as the server judges it. */
export function alertProblems(a: AlertForm): Partial<Record<AlertField, string>> {
  return notifyProblems(alertNotify(a));
}

export function hasChannels(a: AlertForm): boolean {
  return a.webhookUrl.trim() !== '' || a.pingUrl.trim() !== '';
}

/** "Webhook: delivered (HTTP 200). Ping: not delivered — HTTP 404: not found." */
export function describeTest(result: NotifyTestResult): string {
  return result.results
    .map((r) => {
      const what = r.channel === 'webhook' ? 'Webhook' : 'Ping';
      return r.ok
        ? `${what}: delivered (HTTP ${r.status_code ?? '?'}).`
        : `${what}: not delivered — ${r.error ?? 'no reason given'}.`;
    })
    .join(' ');
}
