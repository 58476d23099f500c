// One form for creating and editing a schedule. It validates with the very zod schemas the
// server uses, so what the form accepts the server accepts, with the same words; server
// errors that still come back (say, an unknown machine) land under the same fields.
import {
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type JSX,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { ApiError } from '../../../shared/errors';
import {
  TIMEOUT_MAX,
  TIMEOUT_MIN,
  issuesToFields,
  scheduleCreateSchema,
  schedulePatchSchema,
  type ScheduleCreateInput,
  type SchedulePatchInput,
} from '../../../shared/schemas';
import type { Machine, Notify, Overlap, Schedule } from '../../../shared/types';
import { CronPreview } from '../components/CronPreview';
import {
  CRON_PRESETS,
  DEFAULT_PRESET_TIME,
  formatPresetTime,
  matchPreset,
  parsePresetTime,
  presetById,
  type PresetTime,
} from '../components/cronPresets';
import { EnvEditor, envRowsFromObject, type EnvRow } from '../components/EnvEditor';
import { TimeZonePicker } from '../components/TimeZonePicker';
import {
  POLICY_LABELS,
  RunPolicyFields,
  initialPolicy,
  policyBody,
  policyMessage,
  type PolicyBody,
  type PolicyField,
  type PolicyForm,
} from './RunPolicyFields';
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
  /** Create gets a full body, edit only the changed fields; rejects with ApiError. */
  onSave(input: ScheduleCreateInput | SchedulePatchInput): Promise<void>;
  onClose(): void;
}

type FieldName =
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
  | PolicyField;

/** Form order: the first bad field gets focus, and the save hint lists them in this order. */
const FIELD_LABELS: Readonly<Record<FieldName, string>> = {
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
  enabled: 'Enabled',
  notify: 'Notify',
  catch_up: 'Catch up',
  ...POLICY_LABELS,
};

const FIELD_NAMES = Object.keys(FIELD_LABELS) as FieldName[];

function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(FIELD_LABELS, name);
}

const controlId = (field: FieldName) => `sched-${field}`;
const errorId = (field: FieldName) => `${field}-error`;

type FieldErrors = Partial<Record<FieldName, string>>;

interface FormState {
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
  /** Retries, random delay, shell, env file, pause, battery (RunPolicyFields.tsx). */
  policy: PolicyForm;
}

/** The full create body, before the schema's trimming and defaults. */
interface Body extends PolicyBody {
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

function initialForm(props: EditorDialogProps): FormState {
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
  };
}

/** Form state to API body, plus the problems only the form can see (units, duplicates). */
function toBody(form: FormState): { body: Body; local: FieldErrors } {
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
  Object.assign(local, policy.local);

  return {
    body: {
      name: form.name,
      description: form.description,
      machine_id: form.machine_id,
      command: form.command,
      cron: form.cron,
      timezone: form.timezone.trim(),
      timeout,
      notify: { on_success: form.onSuccess, on_failure: form.onFailure },
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
function mapFields(fields: Readonly<Record<string, string>>): MappedFields {
  const errors: FieldErrors = {};
  const badKeys: string[] = [];
  const other: [string, string][] = [];
  for (const [path, message] of Object.entries(fields)) {
    const dot = path.indexOf('.');
    const head = dot < 0 ? path : path.slice(0, dot);
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

interface Validation {
  errors: FieldErrors;
  badKeys: string[];
  /** What onSave gets, or null while the form is invalid. */
  input: ScheduleCreateInput | SchedulePatchInput | null;
  /** Edit mode: something differs from the saved schedule. */
  dirty: boolean;
}

function validate(mode: 'create' | 'edit', form: FormState, base: Body | null): Validation {
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
function readError(err: unknown): ReadError {
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

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) =>
      !(el as HTMLInputElement).disabled &&
      el.tabIndex >= 0 &&
      !el.closest('[hidden], [inert]') &&
      (el as HTMLInputElement).type !== 'hidden',
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

function Field(props: {
  field: FieldName;
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  className?: string;
  children(control: ControlProps): ReactNode;
}) {
  const { field, label, error, hint, className, children } = props;
  const hintId = `${controlId(field)}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId(field) : null].filter(Boolean);
  return (
    <div className={`editor-field${className ? ` ${className}` : ''}`}>
      <label className="editor-label" htmlFor={controlId(field)}>
        {label}
      </label>
      {children({
        id: controlId(field),
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy.length ? describedBy.join(' ') : undefined,
      })}
      {hint && (
        <p id={hintId} className="editor-hint muted">
          {hint}
        </p>
      )}
      <FieldError field={field} error={error} />
    </div>
  );
}

function FieldError({ field, error }: { field: FieldName; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={errorId(field)} className="editor-error">
      {error}
    </p>
  );
}

export function EditorDialog(props: EditorDialogProps): JSX.Element {
  const { mode, machines, onSave, onClose } = props;
  const now = props.now ?? Date.now;
  const titleId = useId();
  const envLabelId = useId();
  const presetId = useId();
  const saveHintId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);

  const [form, setForm] = useState(() => initialForm(props));
  // The saved schedule as a body, built the same way, so unchanged fields compare equal.
  const [base] = useState(() => (mode === 'edit' ? toBody(form).body : null));
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [serverBadKeys, setServerBadKeys] = useState<string[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [presetTime, setPresetTime] = useState<PresetTime>(DEFAULT_PRESET_TIME);

  const v = validate(mode, form, base);

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

  // Machines may load after the dialog opens; a new schedule then goes to this machine.
  const firstMachine = machines[0]?.id;
  useEffect(() => {
    if (mode === 'create' && firstMachine) {
      setForm((f) => (f.machine_id === '' ? { ...f, machine_id: firstMachine } : f));
    }
  }, [mode, firstMachine]);

  // Focus moves into the dialog on open and back to whatever opened it on close.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialogRef.current?.querySelector<HTMLElement>(`#${controlId('name')}`)?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

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
      if (info.code === 'validation_error' && info.fields && Object.keys(info.fields).length) {
        const mapped = mapFields(info.fields);
        setServerErrors(mapped.errors);
        setServerBadKeys(mapped.badKeys);
        if (mapped.other.length > 0) {
          setGeneral(
            `The server rejected this schedule: ${mapped.other.map(([k, m]) => `${k} ${m}`).join('; ')}`,
          );
        }
        const bad = firstBad(mapped.errors);
        // After React has rendered the messages, so the field is announced with its error.
        if (bad) requestAnimationFrame(() => focusField(bad));
      } else {
        setGeneral(info.message || 'Could not save the schedule.');
      }
      return;
    }
    setSaving(false);
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !dialogRef.current) return;
    const items = focusables(dialogRef.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    const inside = active instanceof Node && dialogRef.current.contains(active);
    if (e.shiftKey && (active === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  };

  const match = matchPreset(form.cron);
  const badKeys = [...(touched.has('env') || submitted ? v.badKeys : []), ...serverBadKeys];
  const blockers = FIELD_NAMES.filter((f) => v.errors[f]);
  const saveHint = saving
    ? null
    : blockers.length > 0
      ? `To save, fix: ${blockers.map((f) => FIELD_LABELS[f]).join(', ')}`
      : !v.dirty
        ? 'No changes to save.'
        : null;
  const knownMachine = machines.some((m) => m.id === form.machine_id);

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
        onKeyDown={onKeyDown}
      >
        <form className="editor-form" noValidate onSubmit={save}>
          <header className="editor-header">
            <h2 id={titleId}>{mode === 'create' ? 'New schedule' : 'Edit schedule'}</h2>
          </header>

          <div className="editor-body">
            {general && (
              <div role="alert" className="editor-alert">
                {general}
              </div>
            )}
            <div className="editor-grid">
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
                hint={
                  mode === 'edit' ? 'A schedule stays on the machine it was made for.' : undefined
                }
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

              <div className="editor-field editor-cron">
                <label className="editor-label" htmlFor={controlId('cron')}>
                  Cron
                </label>
                <input
                  id={controlId('cron')}
                  className="mono"
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="m h dom mon dow"
                  aria-invalid={errorFor('cron') ? true : undefined}
                  aria-describedby={errorFor('cron') ? errorId('cron') : undefined}
                  value={form.cron}
                  onChange={(e) => setCron(e.target.value)}
                  onBlur={() => touch('cron')}
                />
                <FieldError field="cron" error={errorFor('cron')} />
                <div className="cron-presets">
                  <label htmlFor={presetId} className="muted">
                    Preset
                  </label>
                  <select
                    id={presetId}
                    value={match?.preset.id ?? ''}
                    onChange={(e) => {
                      const preset = presetById(e.target.value);
                      if (preset) setCron(preset.build(match?.time ?? presetTime));
                    }}
                  >
                    <option value="">Custom</option>
                    {CRON_PRESETS.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.label}
                      </option>
                    ))}
                  </select>
                  {match?.preset.timed && (
                    <input
                      type="time"
                      aria-label="Preset time"
                      value={formatPresetTime(match.time)}
                      onChange={(e) => {
                        const time = parsePresetTime(e.target.value);
                        if (!time) return;
                        setPresetTime(time);
                        setCron(match.preset.build(time));
                      }}
                    />
                  )}
                </div>
                <CronPreview cron={form.cron} timeZone={form.timezone.trim()} now={now()} />
              </div>

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

              <RunPolicyFields
                form={form.policy}
                onChange={(policy, field) => update('policy', policy, field)}
                onBlur={touch}
                errorFor={errorFor}
                parts={{ Field }}
              />

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
            </div>
          </div>

          <footer className="editor-footer">
            {saveHint && (
              <p id={saveHintId} className="editor-save-hint muted">
                {saveHint}
              </p>
            )}
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="primary"
              disabled={saving || !v.input || !v.dirty}
              aria-describedby={saveHint ? saveHintId : undefined}
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
          </footer>
        </form>
      </div>
    </div>
  );
}

function Check(props: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange(on: boolean): void;
  error: string | undefined;
  errorField: FieldName;
}) {
  const { id, label, hint, checked, onChange, error, errorField } = props;
  const describedBy = [hint ? `${id}-hint` : null, error ? errorId(errorField) : null].filter(
    Boolean,
  );
  return (
    <div className="editor-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy.length ? describedBy.join(' ') : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="editor-hint muted">
          {hint}
        </p>
      )}
    </div>
  );
}
