// @ts-nocheck
// 
// The editor's form as data: its fields, how they become an API body, what changed, and how
// validation errors (the shared zod schemas' and the server's) map onto the fields. No React.
import { ApiError } from '../../../../shared/errors';
import {
  TIMEOUT_MAX,
  TIMEOUT_MIN,
  issuesToFields,
  scheduleCreateSchema,
  schedulePatchSchema,
  type ScheduleCreateInput,
  type SchedulePatchInput,
} from '../../../../shared/schemas';
import type { Machine, Notify, Overlap, Schedule } from '../../../../shared/types';
import { envRowsFromObject, type EnvRow } from '../../components/EnvEditor';
import {
  POLICY_LABELS,
  initialPolicy,
  policyBody,
  policyMessage,
  type PolicyBody,
  type PolicyField,
  type PolicyForm,
} from './policy-form';
import {
  ALERT_LABELS,
  alertNotify,
  alertProblems,
  initialAlerts,
  isAlertField,
  type AlertField,
  type AlertForm,
} from './alert-form';

export type FieldName =
  | 'name'
  | 'description'
  | 'machine_id'
  | 'command'
  | 'cron'
  | 'timezone'
  | 'timeout'
  | 'notify'
  | 'overlap'
  | 'catch_up'
  | 'cwd'
  | 'env'
  | 'enabled'
  | PolicyField
  | AlertField;

/** Form order: the first bad field gets focus, and the save hint lists them in this order. */
export const FIELD_LABELS: Readonly<Record<FieldName, string>> = {
  name: 'Name',
  machine_id: 'Machine',
  description: 'Description',
  command: 'Command',
  cron: 'Cron',
  timezone: 'Time zone',
  timeout: 'Timeout',
  overlap: 'Overlap',
  cwd: 'Working directory',
  env: 'Environment',
  ...POLICY_LABELS,
  enabled: 'Enabled',
  notify: 'Notify',
  ...ALERT_LABELS,
  catch_up: 'Catch up',
};

export const FIELD_NAMES = Object.keys(FIELD_LABELS) as FieldName[];

function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(FIELD_LABELS, name);
}

export const controlId = (field: FieldName) => `sched-${field}`;
export const errorId = (field: FieldName) => `${field}-error`;

export type FieldErrors = Partial<Record<FieldName, string>>;

export interface FormState {
  name: string;
  description: string;
  machine_id: string;
  command: string;
  cron: string;
  timezone: string;
  /** Seconds as typed; empty means no limit. */
  timeout: string;
  onSuccess: boolean;
  onFailure: boolean;
  overlap: Overlap;
  catchUp: boolean;
  cwd: string;
  env: EnvRow[];
  enabled: boolean;
  /** Retries, random delay, shell, env file, pause, battery (policy-form.ts). */
  policy: PolicyForm;
  /** Webhook, its format, ping URL, plain http (alert-form.ts). */
  alerts: AlertForm;
}

/** The full create body, before the schema's trimming and defaults. */
export interface Body extends PolicyBody {
  name: string;
  description: string;
  machine_id: string;
  command: string;
  cron: string;
  timezone: string;
  timeout: number | null;
  notify: Notify;
  overlap: Overlap;
  catch_up: boolean;
  cwd: string | null;
  env: Record<string, string>;
  enabled: boolean;
}

const DEFAULT_CRON = '0 9 * * *';

const TIMEOUT_MESSAGE = `must be ${TIMEOUT_MIN / 1000} to ${TIMEOUT_MAX / 1000} seconds (7 days), or empty for no limit`;

export interface FormSource {
  mode: 'create' | 'edit';
  initial?: Schedule;
  machines: readonly Machine[];
  defaultTimeZone: string;
}

export function initialForm(props: FormSource): FormState {
  const s = props.mode === 'edit' ? props.initial : undefined;
  if (!s) {
    return {
      name: '',
      description: '',
      machine_id: props.machines[0]?.id ?? '',
      command: '',
      cron: DEFAULT_CRON,
      timezone: props.defaultTimeZone,
      timeout: '',
      onSuccess: false,
      onFailure: true,
      overlap: 'skip',
      catchUp: false,
      cwd: '',
      env: [],
      enabled: true,
      policy: initialPolicy(),
      alerts: initialAlerts(),
    };
  }
  // `??` guards: a remote Cmdop server may omit our extension fields.
  return {
    name: s.name,
    description: s.description ?? '',
    machine_id: s.machine_id,
    command: s.command,
    cron: s.cron,
    timezone: s.timezone ?? 'UTC',
    timeout: s.timeout === null || s.timeout === undefined ? '' : String(s.timeout / 1000),
    onSuccess: s.notify?.on_success ?? false,
    onFailure: s.notify?.on_failure ?? true,
    overlap: s.overlap ?? 'skip',
    catchUp: s.catch_up ?? false,
    cwd: s.cwd ?? '',
    env: envRowsFromObject(s.env ?? {}),
    enabled: s.enabled,
    policy: initialPolicy(s),
    alerts: initialAlerts(s),
  };
}

/** Form state to API body, plus the problems only the form can see (units, duplicates). */
export function toBody(form: FormState): { body: Body; local: FieldErrors } {
  const local: FieldErrors = {};

  let timeout: number | null = null;
  const seconds = form.timeout.trim();
  if (seconds !== '') {
    if (/^\d+(\.\d+)?$/.test(seconds)) timeout = Math.round(Number(seconds) * 1000);
    else local.timeout = TIMEOUT_MESSAGE;
  }

  const env: Record<string, string> = {};
  const twice: string[] = [];
  for (const row of form.env) {
    const key = row.key.trim();
    // A row left entirely empty (just added) is not a variable yet.
    if (key === '' && row.value === '') continue;
    if (Object.hasOwn(env, key) && !twice.includes(key)) twice.push(key);
    env[key] = row.value;
  }
  if (twice.length > 0) {
    local.env = twice.map((k) => `${k || '(no name)'}: is set more than once`).join('; ');
  }
  const policy = policyBody(form.policy);
  Object.assign(local, policy.local, alertProblems(form.alerts));

  return {
    body: {
      name: form.name,
      description: form.description,
      machine_id: form.machine_id,
      command: form.command,
      cron: form.cron,
      timezone: form.timezone.trim(),
      timeout,
      notify: {
        on_success: form.onSuccess,
        on_failure: form.onFailure,
        ...alertNotify(form.alerts),
      },
      overlap: form.overlap,
      catch_up: form.catchUp,
      cwd: form.cwd.trim() === '' ? null : form.cwd,
      env,
      enabled: form.enabled,
      ...policy.fields,
    },
    local,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  return (
    keys.length === Object.keys(rb).length &&
    keys.every((k) => Object.hasOwn(rb, k) && ra[k] === rb[k])
  );
}

/** The fields of `body` that differ from `base`; the machine never changes on edit. */
function changedFields(base: Body, body: Body): Partial<Body> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(body) as (keyof Body)[]) {
    if (key === 'machine_id') continue;
    if (!sameValue(base[key], body[key])) changes[key] = body[key];
  }
  return changes as Partial<Body>;
}

interface MappedFields {
  errors: FieldErrors;
  badKeys: string[];
  /** Paths the form has no field for, e.g. an unknown field named by a newer server. */
  other: [string, string][];
}

/** `issuesToFields` paths ("env.1X", "notify.on_success") onto the form's fields. */
export function mapFields(fields: Readonly<Record<string, string>>): MappedFields {
  const errors: FieldErrors = {};
  const badKeys: string[] = [];
  const other: [string, string][] = [];
  for (const [path, message] of Object.entries(fields)) {
    const dot = path.indexOf('.');
    const head = dot < 0 ? path : path.slice(0, dot);
    // notify.webhook_url and the like have fields of their own in the form.
    const inner = path.slice(dot + 1);
    if (head === 'notify' && dot >= 0 && isAlertField(inner)) {
      errors[inner] ??= message;
      continue;
    }
    if (!isFieldName(head)) {
      other.push([path, message]);
      continue;
    }
    let text = message;
    if (head === 'timeout') {
      // The API counts milliseconds; the form asks for seconds.
      text = TIMEOUT_MESSAGE;
    } else if (head === 'env' && dot >= 0) {
      const key = path.slice(dot + 1);
      badKeys.push(key);
      text = `${key}: ${message}`;
    } else if (head === 'notify' && dot >= 0) {
      text = `${path.slice(dot + 1)}: ${message}`;
    } else {
      text = policyMessage(head, text);
    }
    const prior = errors[head];
    errors[head] = prior && head === 'env' ? `${prior}; ${text}` : (prior ?? text);
  }
  return { errors, badKeys, other };
}

export interface Validation {
  errors: FieldErrors;
  badKeys: string[];
  /** What onSave gets, or null while the form is invalid. */
  input: ScheduleCreateInput | SchedulePatchInput | null;
  /** Edit mode: something differs from the saved schedule. */
  dirty: boolean;
}

export function validate(mode: 'create' | 'edit', form: FormState, base: Body | null): Validation {
  const { body, local } = toBody(form);
  const changes = mode === 'edit' && base ? changedFields(base, body) : null;
  const result = changes
    ? schedulePatchSchema.safeParse(changes, { reportInput: true })
    : scheduleCreateSchema.safeParse(body, { reportInput: true });
  const mapped = result.success ? null : mapFields(issuesToFields(result.error.issues));
  const errors: FieldErrors = { ...mapped?.errors, ...local };
  const valid = result.success && Object.keys(local).length === 0;
  return {
    errors,
    badKeys: mapped?.badKeys ?? [],
    input: valid ? result.data : null,
    dirty: changes ? Object.keys(changes).length > 0 : true,
  };
}

interface ReadError {
  code: string | null;
  message: string;
  fields: Record<string, string> | null;
}

/** ApiError or its look-alike: errors that crossed a bridge may have lost their class. */
export function readError(err: unknown): ReadError {
  if (err instanceof ApiError) {
    return { code: err.code, message: err.message, fields: err.details.fields ?? null };
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; details?: { fields?: unknown } };
    const raw = e.details?.fields;
    let fields: Record<string, string> | null = null;
    if (typeof raw === 'object' && raw !== null) {
      fields = Object.fromEntries(
        Object.entries(raw).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
    }
    return {
      code: typeof e.code === 'string' ? e.code : null,
      message: typeof e.message === 'string' ? e.message : String(err),
      fields,
    };
  }
  return { code: null, message: String(err), fields: null };
}

/** The form as comparable data: env rows by content (their ids are React keys only). */
function comparable(form: FormState): string {
  const env = form.env.filter((r) => r.key !== '' || r.value !== '').map((r) => [r.key, r.value]);
  return JSON.stringify({ ...form, env });
}

/** Whether anything was typed or chosen since the editor opened: closing would lose it. */
export function hasTypedWork(initial: FormState, form: FormState): boolean {
  return comparable(initial) !== comparable(form);
}
