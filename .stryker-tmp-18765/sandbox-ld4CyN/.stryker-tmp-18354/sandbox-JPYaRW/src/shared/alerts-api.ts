// @ts-nocheck
// 
// "Send test" (ours): `POST /v1/schedules/:id/notify/test` and the editor's button deliver a
// sample to each channel the schedule has — its webhook, its ping URL — once, and say how
// each went. The body may carry a `notify` to try before saving it (the editor's values).
import { z } from 'zod';
import { notifyPatch } from './schemas';

export const notifyTestSchema = z.strictObject({ notify: notifyPatch.optional() });
export type NotifyTestInput = z.input<typeof notifyTestSchema>;

export interface NotifyTestOutcome {
  channel: 'webhook' | 'ping';
  /** Redacted (`https://hooks.slack.com/…`), or with the suffix pinged (`…/log`). */
  url: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

export interface NotifyTestResult {
  /** Every channel answered with a 2xx. */
  ok: boolean;
  results: NotifyTestOutcome[];
}

export interface AlertsApi {
  testNotify(scheduleId: string, input?: NotifyTestInput): Promise<NotifyTestResult>;
}
