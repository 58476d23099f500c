// @ts-nocheck
// 
// The editor's fields, in the groups a person fills them in: what runs and where, when it
// runs, its working directory and environment, and its switches. Each group gets the form's
// state and the functions that change it; validation and saving live in EditorDialog.
import { useId } from 'react';
import type { Machine, Overlap } from '../../../../shared/types';
import { EnvEditor } from '../../components/EnvEditor';
import { TimeZonePicker } from '../../components/TimeZonePicker';
import { Check, Field, FieldError } from './fields';
import { controlId, errorId, type FieldName, type FormState } from './form';

export interface SectionProps {
  mode: 'create' | 'edit';
  form: FormState;
  machines: readonly Machine[];
  update<K extends keyof FormState>(key: K, value: FormState[K], field: FieldName): void;
  touch(field: FieldName): void;
  errorFor(field: FieldName): string | undefined;
  /** Environment names the form or the server reported as bad. */
  badKeys: readonly string[];
}

export function WhatSection({ mode, form, machines, update, touch, errorFor }: SectionProps) {
  const knownMachine = machines.some((m) => m.id === form.machine_id);
  return (
    <>
      <Field field="name" label="Name" error={errorFor('name')}>
        {(c) => (
          <input
            {...c}
            type="text"
            autoComplete="off"
            value={form.name}
            onChange={(e) => update('name', e.target.value, 'name')}
            onBlur={() => touch('name')}
          />
        )}
      </Field>

      <Field
        field="machine_id"
        label="Machine"
        error={errorFor('machine_id')}
        hint={mode === 'edit' ? 'A schedule stays on the machine it was made for.' : undefined}
      >
        {(c) => (
          <select
            {...c}
            value={form.machine_id}
            disabled={mode === 'edit'}
            onChange={(e) => update('machine_id', e.target.value, 'machine_id')}
            onBlur={() => touch('machine_id')}
          >
            {!knownMachine && (
              <option value={form.machine_id}>
                {form.machine_id === '' ? 'No machine available' : form.machine_id}
              </option>
            )}
            {machines.map((m, i) => (
              <option key={m.id} value={m.id}>
                {i === 0 ? `${m.name} (this machine)` : m.name}
              </option>
            ))}
          </select>
        )}
      </Field>

      <Field
        field="description"
        label="Description"
        error={errorFor('description')}
        className="wide"
      >
        {(c) => (
          <input
            {...c}
            type="text"
            autoComplete="off"
            value={form.description}
            onChange={(e) => update('description', e.target.value, 'description')}
            onBlur={() => touch('description')}
          />
        )}
      </Field>

      <Field field="command" label="Command" error={errorFor('command')} className="wide">
        {(c) => (
          <textarea
            {...c}
            className="mono editor-command"
            rows={3}
            spellCheck={false}
            autoComplete="off"
            placeholder="e.g. ~/bin/backup.sh --quiet"
            value={form.command}
            onChange={(e) => update('command', e.target.value, 'command')}
            onBlur={() => touch('command')}
          />
        )}
      </Field>
    </>
  );
}

export function TimingSection({ form, update, touch, errorFor }: SectionProps) {
  return (
    <>
      <Field field="timezone" label="Time zone" error={errorFor('timezone')}>
        {(c) => (
          <TimeZonePicker
            {...c}
            value={form.timezone}
            onChange={(zone) => update('timezone', zone, 'timezone')}
            onBlur={() => touch('timezone')}
          />
        )}
      </Field>

      <Field
        field="timeout"
        label="Timeout"
        error={errorFor('timeout')}
        hint="Empty means no limit."
      >
        {(c) => (
          <div className="editor-suffixed">
            <input
              {...c}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              placeholder="no limit"
              aria-describedby={[`${controlId('timeout')}-unit`, c['aria-describedby']]
                .filter(Boolean)
                .join(' ')}
              value={form.timeout}
              onChange={(e) => update('timeout', e.target.value, 'timeout')}
              onBlur={() => touch('timeout')}
            />
            <span id={`${controlId('timeout')}-unit`} className="muted">
              seconds
            </span>
          </div>
        )}
      </Field>

      <Field field="overlap" label="Overlap" error={errorFor('overlap')}>
        {(c) => (
          <select
            {...c}
            value={form.overlap}
            onChange={(e) => update('overlap', e.target.value as Overlap, 'overlap')}
          >
            <option value="skip">Skip if still running</option>
            <option value="allow">Run in parallel</option>
          </select>
        )}
      </Field>
    </>
  );
}

export function WhereSection({ form, update, touch, errorFor, badKeys }: SectionProps) {
  const envLabelId = useId();
  return (
    <>
      <Field
        field="cwd"
        label="Working directory"
        error={errorFor('cwd')}
        hint="Empty means your home directory."
        className="wide"
      >
        {(c) => (
          <input
            {...c}
            className="mono"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="~ (home)"
            value={form.cwd}
            onChange={(e) => update('cwd', e.target.value, 'cwd')}
            onBlur={() => touch('cwd')}
          />
        )}
      </Field>

      <div className="editor-field wide">
        <span id={envLabelId} className="editor-label">
          Environment
        </span>
        <EnvEditor
          labelledBy={envLabelId}
          rows={form.env}
          onChange={(rows) => update('env', rows, 'env')}
          onBlur={() => touch('env')}
          badKeys={badKeys}
          invalid={errorFor('env') ? true : undefined}
          describedBy={errorFor('env') ? errorId('env') : undefined}
        />
        <FieldError field="env" error={errorFor('env')} />
      </div>
    </>
  );
}

export function OptionsSection({ form, update, errorFor }: SectionProps) {
  return (
    <>
      <div className="editor-field wide editor-checks">
        <Check
          id={controlId('enabled')}
          label="Enabled"
          checked={form.enabled}
          onChange={(on) => update('enabled', on, 'enabled')}
          error={errorFor('enabled')}
          errorField="enabled"
        />
        <Check
          id={`${controlId('notify')}-success`}
          label="Notify on success"
          checked={form.onSuccess}
          onChange={(on) => update('onSuccess', on, 'notify')}
          error={errorFor('notify')}
          errorField="notify"
        />
        <Check
          id={`${controlId('notify')}-failure`}
          label="Notify on failure"
          checked={form.onFailure}
          onChange={(on) => update('onFailure', on, 'notify')}
          error={errorFor('notify')}
          errorField="notify"
        />
        <Check
          id={controlId('catch_up')}
          label="Catch up"
          hint="Run once after the app was off at a fire time"
          checked={form.catchUp}
          onChange={(on) => update('catchUp', on, 'catch_up')}
          error={errorFor('catch_up')}
          errorField="catch_up"
        />
      </div>
      <div className="editor-check-errors wide">
        {(['enabled', 'notify', 'catch_up'] as const).map((f) => (
          <FieldError key={f} field={f} error={errorFor(f)} />
        ))}
      </div>
    </>
  );
}
