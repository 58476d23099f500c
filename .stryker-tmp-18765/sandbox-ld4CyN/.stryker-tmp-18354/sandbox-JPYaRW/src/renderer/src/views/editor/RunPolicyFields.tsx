// @ts-nocheck
// 
// The run policy section of the schedule editor: retries, random delay, shell, env file,
// pause and battery, each with its one-sentence explanation. Its form state is policy-form.ts.
import type { JSX, ReactNode } from 'react';
import { POLICY_LABELS, type PolicyField, type PolicyForm } from './policy-form';
import type { ShellMode } from '../../../../shared/types';

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
