// The run policy fields of the schedule editor (retries, random delay, shell, env file, pause,
// battery): their form state, its conversion to the API's fields, and the section itself. A
// room of its own so the editor only mounts it; the rules are the shared schema's, checked
// by the editor with everything else.
import type { JSX, ReactNode } from 'react';
import {
  POLICY_DEFAULTS,
  RANDOM_DELAY_MAX,
  RETRIES_MAX,
  RETRY_BACKOFF_MAX,
  RETRY_BACKOFF_MIN,
  RETRY_DELAY_MAX,
  RETRY_DELAY_MIN,
} from '../../../shared/schemas';
import type { PolicyFields } from '../../../shared/policy-fields';
import type { Schedule, ShellMode } from '../../../shared/types';

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

/** The editor's own field frame and checkbox, so the section looks and reads the same. */
export interface EditorParts {
  Field(props: {
    field: PolicyField;
    label: string;
    error: string | undefined;
    hint?: ReactNode;
    className?: string;
    children(control: {
      id: string;
      'aria-invalid': true | undefined;
      'aria-describedby': string | undefined;
    }): ReactNode;
  }): ReactNode;
}

export function RunPolicyFields(props: {
  form: PolicyForm;
  onChange(form: PolicyForm, field: PolicyField): void;
  onBlur(field: PolicyField): void;
  errorFor(field: PolicyField): string | undefined;
  parts: EditorParts;
}): JSX.Element {
  const { form, onChange, onBlur, errorFor, parts } = props;
  const { Field } = parts;
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K], field: PolicyField) =>
    onChange({ ...form, [key]: value }, field);
  const text = (key: keyof PolicyForm, field: PolicyField, unit?: string, placeholder?: string) => (
    <Field field={field} label={POLICY_LABELS[field]} error={errorFor(field)} hint={HINTS[field]}>
      {(c) => (
        <div className="editor-suffixed">
          <input
            {...c}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            placeholder={placeholder}
            value={form[key] as string}
            onChange={(e) => set(key, e.target.value, field)}
            onBlur={() => onBlur(field)}
          />
          {unit && <span className="muted">{unit}</span>}
        </div>
      )}
    </Field>
  );
  return (
    <>
      {text('retries', 'retries', 'times')}
      {text('retryDelay', 'retry_delay', 'sec')}
      {text('retryBackoff', 'retry_backoff', '×')}
      {text('randomDelay', 'random_delay', 'sec', '0')}
      <Field
        field="shell"
        label="Shell"
        error={errorFor('shell')}
        hint={HINTS.shell}
        className="wide"
      >
        {(c) => (
          <select
            {...c}
            value={form.shell}
            onChange={(e) => set('shell', e.target.value as ShellMode, 'shell')}
          >
            <option value="login">Login shell — your profile's PATH and variables</option>
            <option value="plain">Plain shell — the app's environment only</option>
          </select>
        )}
      </Field>
      <Field
        field="env_file"
        label="Env file"
        error={errorFor('env_file')}
        hint={HINTS.env_file}
        className="wide"
      >
        {(c) => (
          <input
            {...c}
            className="mono"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="none, e.g. /home/me/.config/backup.env"
            value={form.envFile}
            onChange={(e) => set('envFile', e.target.value, 'env_file')}
            onBlur={() => onBlur('env_file')}
          />
        )}
      </Field>
      <Field
        field="paused_until"
        label="Paused until"
        error={errorFor('paused_until')}
        hint={HINTS.paused_until}
      >
        {(c) => (
          <input
            {...c}
            type="datetime-local"
            value={form.pausedUntil}
            onChange={(e) => set('pausedUntil', e.target.value, 'paused_until')}
            onBlur={() => onBlur('paused_until')}
          />
        )}
      </Field>
      <Field
        field="run_on_battery"
        label="On battery"
        error={errorFor('run_on_battery')}
        hint={HINTS.run_on_battery}
      >
        {(c) => (
          <select
            {...c}
            value={form.runOnBattery ? 'run' : 'skip'}
            onChange={(e) => set('runOnBattery', e.target.value === 'run', 'run_on_battery')}
          >
            <option value="run">Run on battery power too</option>
            <option value="skip">Skip while on battery power</option>
          </select>
        )}
      </Field>
    </>
  );
}

/** One sentence each, under the field: what it does, in the user's terms. */
const HINTS: Record<PolicyField, string> = {
  retries:
    'A failed or timed-out run is tried again up to this many times (0–10); a cancelled one never is.',
  retry_delay: 'The wait before the first retry.',
  retry_backoff:
    'Each further retry waits this many times longer (at most an hour); 1 keeps the wait the same.',
  random_delay:
    'Starts are moved by a fixed offset below this, the same every time, so jobs set for the same minute spread out.',
  shell:
    "A login shell ($SHELL -l -c) reads your profile, so commands find the PATH and tools your terminal has; a plain shell ($SHELL -c) runs with the app's environment only.",
  env_file:
    'A NAME=value file read at each run, for secrets; if it is missing the run fails and says so.',
  paused_until:
    'Until then its fires do not run (with Catch up, the last one runs when the pause ends). Empty: not paused.',
  run_on_battery:
    'Skipped runs are recorded with the reason; with Catch up, one runs when the power is back.',
};
