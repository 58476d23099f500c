// @ts-nocheck
// 
// One form for creating and editing a schedule. It validates with the very zod schemas the
// server uses (form.ts), so what the form accepts the server accepts, with the same words;
// server errors that still come back (say, an unknown machine) land under the same fields.
// Closing with typed work asks first (the caller decides how); a widget inside that uses
// Escape (the time-zone suggestions) keeps it from closing the dialog.
import { useEffect, useId, useRef, useState, type FormEvent, type JSX } from 'react';
import type { NotifyTestResult } from '../../../../shared/alerts-api';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../../../shared/schemas';
import type { Machine, Notify, Schedule } from '../../../../shared/types';
import { AlertFields } from './AlertFields';
import { DEFAULT_PRESET_TIME, type PresetTime } from '../../components/cronPresets';
import { useModal } from '../../components/useModal';
import { useTitle } from '../../components/useTitle';
import type { CronPreviewProps } from '../../components/CronPreview';
import { RANDOM_DELAY_MAX } from '../../../../shared/random-delay';
import { CronField } from './CronField';
import { policyBody } from './policy-form';
import {
  controlId,
  FIELD_LABELS,
  FIELD_NAMES,
  hasTypedWork,
  initialForm,
  mapFields,
  readError,
  toBody,
  validate,
  type FieldErrors,
  type FieldName,
  type FormState,
} from './form';
import { Field } from './fields';
import { RunPolicyFields } from './RunPolicyFields';
import { OptionsSection, TimingSection, WhatSection, WhereSection } from './sections';
import './editor.css';

export interface EditorDialogProps {
  mode: 'create' | 'edit';
  /** Required for edit. */
  initial?: Schedule;
  /** The first is this machine. */
  machines: Machine[];
  /** Preselected on create. */
  defaultTimeZone: string;
  /** Clock for the preview; Date.now by default. */
  now?: () => number;
  /** The engine's fires for the cron preview (`POST /v1/cron/fires` over the transport). */
  previewFires: CronPreviewProps['fires'];
  /** How long typing must pause before the preview asks (tests shorten it). */
  previewDebounceMs?: number;
  /** Create gets a full body, edit only the changed fields; rejects with ApiError. */
  onSave(input: ScheduleCreateInput | SchedulePatchInput): Promise<void>;
  /** Closing was asked for (Cancel, Escape) or the save went through. */
  onClose(): void;
  /** Told whether closing now would lose typed work. */
  onDirtyChange?(dirty: boolean): void;
  /** "Send test" with the alert fields as typed; absent where there is nothing to test with. */
  onTestAlerts?(notify: Partial<Notify>): Promise<NotifyTestResult>;
  /** Why there is no "Send test" (a schedule not saved yet, another machine's). */
  testUnavailable?: string;
}

/** The random delay being typed, for the preview: none while it is not a valid one. */
function previewDelay(form: FormState): number {
  const ms = policyBody(form.policy).fields.random_delay;
  return Number.isInteger(ms) && ms >= 0 && ms <= RANDOM_DELAY_MAX ? ms : 0;
}

export function EditorDialog(props: EditorDialogProps): JSX.Element {
  const { mode, machines, onSave, onClose, onDirtyChange } = props;
  const now = props.now ?? Date.now;
  const titleId = useId();
  const saveHintId = useId();
  const alertRef = useRef<HTMLDivElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  useTitle(mode === 'create' ? 'New schedule' : `Edit ${props.initial?.name ?? 'schedule'}`);

  const [form, setForm] = useState(() => initialForm(props));
  // What the form held when it opened: typed work is whatever differs from it.
  const [opened, setOpened] = useState(form);
  // The saved schedule as a body, built the same way, so unchanged fields compare equal.
  const [base] = useState(() => (mode === 'edit' ? toBody(form).body : null));
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [serverBadKeys, setServerBadKeys] = useState<string[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [presetTime, setPresetTime] = useState<PresetTime>(DEFAULT_PRESET_TIME);
  // Where focus goes after a failed save, once the messages are on screen, so what gets
  // focus is read with its error (a new object each time, so the same target goes again).
  const [focusAfter, setFocusAfter] = useState<{ target: FieldName | 'alert' } | null>(null);

  const v = validate(mode, form, base);
  const dirty = hasTypedWork(opened, form);
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  useModal(dialogRef, {
    onEscape: onClose,
    initialFocus: () => dialogRef.current?.querySelector(`#${controlId('name')}`) ?? null,
  });

  const touch = (field: FieldName) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));

  const update = <K extends keyof FormState>(key: K, value: FormState[K], field: FieldName) => {
    setForm((f) => ({ ...f, [key]: value }));
    // A server complaint is about what was sent; once the field changes it no longer applies.
    if (serverErrors[field]) {
      setServerErrors((e) => ({ ...e, [field]: undefined }));
      if (field === 'env') setServerBadKeys([]);
    }
  };

  const errorFor = (field: FieldName): string | undefined =>
    ((submitted || touched.has(field)) && v.errors[field]) || serverErrors[field];

  const setCron = (cron: string) => {
    update('cron', cron, 'cron');
    // Cron errors show while typing: the preview beside it already reacts per keystroke.
    touch('cron');
  };

  // Machines may load after the dialog opens; a new schedule then goes to this machine, and
  // that choice is not the user's typed work.
  const firstMachine = machines[0]?.id;
  useEffect(() => {
    if (mode !== 'create' || !firstMachine) return;
    const pick = (f: FormState) => (f.machine_id === '' ? { ...f, machine_id: firstMachine } : f);
    setForm(pick);
    setOpened(pick);
  }, [mode, firstMachine]);

  const focusField = (field: FieldName) => {
    const root = dialogRef.current;
    if (!root) return;
    let target: HTMLElement | null = root.querySelector(`#${controlId(field)}`);
    if (field === 'notify') target = root.querySelector(`#${controlId('notify')}-success`);
    if (field === 'env') {
      target =
        root.querySelector<HTMLElement>('.env-key[aria-invalid="true"]') ??
        root.querySelector<HTMLElement>('.env-key') ??
        root.querySelector<HTMLElement>('.env-add');
    }
    target?.focus();
  };

  const firstBad = (errors: FieldErrors) => FIELD_NAMES.find((f) => errors[f]);

  useEffect(() => {
    if (!focusAfter) return;
    if (focusAfter.target === 'alert') alertRef.current?.focus();
    else focusField(focusAfter.target);
    // focusField reads the DOM only: once per failed save is the point.
  }, [focusAfter]);

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (saving) return;
    setSubmitted(true);
    if (!v.input) {
      const bad = firstBad(v.errors);
      if (bad) focusField(bad);
      return;
    }
    if (!v.dirty) {
      onClose();
      return;
    }
    setSaving(true);
    setGeneral(null);
    setServerErrors({});
    setServerBadKeys([]);
    try {
      await onSave(v.input);
    } catch (err) {
      setSaving(false);
      const info = readError(err);
      let bad: FieldName | undefined;
      if (info.code === 'validation_error' && info.fields && Object.keys(info.fields).length) {
        const mapped = mapFields(info.fields);
        setServerErrors(mapped.errors);
        setServerBadKeys(mapped.badKeys);
        if (mapped.other.length > 0) {
          setGeneral(
            `The server rejected this schedule: ${mapped.other.map(([k, m]) => `${k} ${m}`).join('; ')}`,
          );
        }
        bad = firstBad(mapped.errors);
      } else {
        setGeneral(info.message || 'Could not save the schedule.');
      }
      setFocusAfter({ target: bad ?? 'alert' });
      return;
    }
    setSaving(false);
    onClose();
  };

  const badKeys = [...(touched.has('env') || submitted ? v.badKeys : []), ...serverBadKeys];
  const blockers = FIELD_NAMES.filter((f) => v.errors[f]);
  const saveHint = saving
    ? null
    : blockers.length > 0
      ? `To save, fix: ${blockers.map((f) => FIELD_LABELS[f]).join(', ')}`
      : !v.dirty
        ? 'No changes to save.'
        : null;
  const sectionProps = { mode, form, machines, update, touch, errorFor, badKeys };

  return (
    <div
      className="editor-backdrop"
      // Clicking the backdrop must not move focus out of the modal (or close it and lose work).
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) e.preventDefault();
      }}
    >
      <div
        ref={dialogRef}
        className="editor-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <form className="editor-form" noValidate onSubmit={save}>
          {/* Not a <header>: outside <main> that would be a second banner landmark. */}
          <div className="editor-header">
            <h2 id={titleId}>{mode === 'create' ? 'New schedule' : 'Edit schedule'}</h2>
          </div>

          <div className="editor-body">
            {general && (
              <div role="alert" className="editor-alert" tabIndex={-1} ref={alertRef}>
                {general}
              </div>
            )}
            <div className="editor-grid">
              <WhatSection {...sectionProps} />
              <CronField
                cron={form.cron}
                timeZone={form.timezone.trim()}
                error={errorFor('cron')}
                now={now()}
                preview={{
                  fires: props.previewFires,
                  randomDelay: previewDelay(form),
                  scheduleId: props.initial?.id,
                  debounceMs: props.previewDebounceMs,
                }}
                presetTime={presetTime}
                onPresetTime={setPresetTime}
                onChange={setCron}
                onBlur={() => touch('cron')}
              />
              <TimingSection {...sectionProps} />
              <WhereSection {...sectionProps} />
              <RunPolicyFields
                form={form.policy}
                onChange={(p, f) => update('policy', p, f)}
                onBlur={touch}
                errorFor={errorFor}
                parts={{ Field }}
              />
              <OptionsSection {...sectionProps} />
              <AlertFields
                form={form.alerts}
                onChange={(a, f) => update('alerts', a, f)}
                onBlur={touch}
                errorFor={errorFor}
                onTest={props.onTestAlerts}
                testUnavailable={props.testUnavailable}
              />
            </div>
          </div>

          <div className="editor-footer">
            {saveHint && (
              <p id={saveHintId} className="editor-save-hint muted">
                {saveHint}
              </p>
            )}
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            {/* aria-disabled rather than disabled while saving: a disabled button drops focus
                to the page, and the keyboard user would be lost after a failed save. */}
            <button
              type="submit"
              className="primary"
              disabled={!v.input || !v.dirty}
              aria-disabled={saving || undefined}
              aria-describedby={saveHint ? saveHintId : undefined}
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
