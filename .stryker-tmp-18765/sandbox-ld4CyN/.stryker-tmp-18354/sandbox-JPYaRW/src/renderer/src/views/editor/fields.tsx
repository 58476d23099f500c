// @ts-nocheck
// 
// A labelled control with its hint and its error, wired for screen readers: the label names
// the control, the hint and the error describe it.
import type { ReactNode } from 'react';
import { controlId, errorId, type FieldName } from './form';

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export function Field(props: {
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

export function FieldError({ field, error }: { field: FieldName; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={errorId(field)} className="editor-error">
      {error}
    </p>
  );
}

export function Check(props: {
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
