// @ts-nocheck
// 
// The run policy fields of the schedule editor (retries, random delay, shell, env file, pause,
// battery) as data: their form state and its conversion to the API's fields. No React; the
// section itself is RunPolicyFields.tsx, and the rules are the shared schema's.
import {
  POLICY_DEFAULTS,
  RANDOM_DELAY_MAX,
  RETRIES_MAX,
  RETRY_BACKOFF_MAX,
  RETRY_BACKOFF_MIN,
  RETRY_DELAY_MAX,
  RETRY_DELAY_MIN,
} from '../../../../shared/schemas';
import type { PolicyFields } from '../../../../shared/policy-fields';
import type { Schedule, ShellMode } from '../../../../shared/types';

export const POLICY_LABELS = {
  retries: 'Retries',
  retry_delay: 'Retry delay',
  retry_backoff: 'Backoff',
  random_delay: 'Random delay',
  shell: 'Shell',
  env_file: 'Env file',
  paused_until: 'Paused until',
  run_on_battery: 'On battery',
} as const;

export type PolicyField = keyof typeof POLICY_LABELS;

/** As typed: numbers in seconds, the pause as a local date-time ('' = none). */
export interface PolicyForm {
  retries: string;
  retryDelay: string;
  retryBackoff: string;
  randomDelay: string;
  shell: ShellMode;
  envFile: string;
  pausedUntil: string;
  runOnBattery: boolean;
}

/** The API's run policy fields. */
export type PolicyBody = PolicyFields;

const seconds = (ms: number) => String(ms / 1000);

/** `2026-06-01T11:00` in this browser's zone, for <input type="datetime-local">. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * A new schedule runs in a login shell: "works in my terminal" should mean it works here.
 * An existing one keeps what it has (a remote Cmdop server may lack our fields: defaults).
 */
export function initialPolicy(s?: Partial<Schedule>): PolicyForm {
  const d = POLICY_DEFAULTS;
  return {
    retries: String(s?.retries ?? d.retries),
    retryDelay: seconds(s?.retry_delay ?? d.retry_delay),
    retryBackoff: String(s?.retry_backoff ?? d.retry_backoff),
    randomDelay: seconds(s?.random_delay ?? d.random_delay),
    shell: s ? (s.shell ?? d.shell) : 'login',
    envFile: s?.env_file ?? '',
    pausedUntil: toLocalInput(s?.paused_until ?? null),
    runOnBattery: s?.run_on_battery ?? d.run_on_battery,
  };
}

const RETRY_DELAY_RULE = `must be ${RETRY_DELAY_MIN / 1000} to ${RETRY_DELAY_MAX / 1000} seconds`;
const RANDOM_DELAY_RULE = `must be 0 to ${RANDOM_DELAY_MAX / 1000} seconds (an hour)`;

function number(text: string, scale: number): number {
  const t = text.trim();
  // Not a number: NaN, which the schema refuses with the field's rule.
  return /^\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * scale * 1000) / 1000 : NaN;
}

/** The API's fields from the form, and problems only the form sees (a number that is not). */
export function policyBody(p: PolicyForm): {
  fields: PolicyBody;
  local: Partial<Record<PolicyField, string>>;
} {
  const local: Partial<Record<PolicyField, string>> = {};
  const fields: PolicyBody = {
    retries: number(p.retries, 1),
    retry_delay: Math.round(number(p.retryDelay, 1000)),
    retry_backoff: number(p.retryBackoff, 1),
    random_delay: p.randomDelay.trim() === '' ? 0 : Math.round(number(p.randomDelay, 1000)),
    shell: p.shell,
    env_file: p.envFile.trim() === '' ? null : p.envFile.trim(),
    paused_until: p.pausedUntil === '' ? null : new Date(p.pausedUntil).toISOString(),
    run_on_battery: p.runOnBattery,
  };
  if (Number.isNaN(fields.retries)) local.retries = `must be a whole number 0..${RETRIES_MAX}`;
  if (Number.isNaN(fields.retry_delay)) local.retry_delay = RETRY_DELAY_RULE;
  if (Number.isNaN(fields.retry_backoff)) {
    local.retry_backoff = `must be a number ${RETRY_BACKOFF_MIN}..${RETRY_BACKOFF_MAX}`;
  }
  if (Number.isNaN(fields.random_delay)) local.random_delay = RANDOM_DELAY_RULE;
  return { fields, local };
}

/** The schema counts milliseconds; the form asks for seconds. */
export function policyMessage(field: string, message: string): string {
  if (field === 'retry_delay') return RETRY_DELAY_RULE;
  if (field === 'random_delay') return RANDOM_DELAY_RULE;
  return message;
}
