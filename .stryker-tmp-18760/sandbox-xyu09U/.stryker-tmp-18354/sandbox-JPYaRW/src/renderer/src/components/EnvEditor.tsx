// @ts-nocheck
// 
// Environment variables as editable rows rather than a JSON blob: one name and one value
// per row, added and removed with buttons that say which variable they act on.
import { useRef } from 'react';
import './form.css';

export interface EnvRow {
  /** Stable React key: names change as people type, so they cannot be the key. */
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;

export function newEnvRow(key = '', value = ''): EnvRow {
  return { id: nextRowId++, key, value };
}

export function envRowsFromObject(env: Readonly<Record<string, string>>): EnvRow[] {
  return Object.entries(env).map(([key, value]) => newEnvRow(key, value));
}

export interface EnvEditorProps {
  /** id of the element naming the group (the form's "Environment" label). */
  labelledBy: string;
  rows: readonly EnvRow[];
  onChange(rows: EnvRow[]): void;
  onBlur?(): void;
  /** Names the form reported as bad, so their inputs can be marked invalid. */
  badKeys?: readonly string[];
  invalid?: boolean;
  describedBy?: string;
}

export function EnvEditor(props: EnvEditorProps) {
  const { rows, onChange, onBlur, badKeys = [], invalid, describedBy, labelledBy } = props;
  const groupRef = useRef<HTMLDivElement>(null);

  const update = (id: number, patch: Partial<Pick<EnvRow, 'key' | 'value'>>) =>
    onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  const add = () => {
    onChange([...rows, newEnvRow()]);
    // The new row's name input exists only after React commits the new rows.
    requestAnimationFrame(() => {
      const inputs = groupRef.current?.querySelectorAll<HTMLInputElement>('.env-key');
      inputs?.[inputs.length - 1]?.focus();
    });
  };

  const remove = (index: number) => {
    const row = rows[index];
    if (!row) return;
    onChange(rows.filter((r) => r.id !== row.id));
    onBlur?.();
    // Keep keyboard users in the list instead of dropping focus onto <body>.
    requestAnimationFrame(() => {
      const group = groupRef.current;
      if (!group) return;
      const buttons = group.querySelectorAll<HTMLButtonElement>('.env-remove');
      const target =
        buttons[Math.min(index, buttons.length - 1)] ?? group.querySelector('.env-add');
      (target as HTMLElement | null)?.focus();
    });
  };

  return (
    <div
      ref={groupRef}
      role="group"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      className="env-editor"
    >
      {rows.length === 0 ? (
        <p className="env-empty muted">No extra variables.</p>
      ) : (
        <ul className="env-rows">
          {rows.map((row, i) => {
            const n = i + 1;
            const who = row.key.trim() || String(n);
            const bad = row.key.trim() !== '' && badKeys.includes(row.key.trim());
            return (
              <li key={row.id} className="env-row">
                <input
                  className="env-key mono"
                  aria-label={`Variable ${n} name`}
                  aria-invalid={bad || undefined}
                  aria-describedby={bad ? describedBy : undefined}
                  placeholder="NAME"
                  value={row.key}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => update(row.id, { key: e.target.value })}
                  onBlur={onBlur}
                />
                <span aria-hidden="true" className="env-eq">
                  =
                </span>
                <input
                  className="env-value mono"
                  aria-label={`Variable ${n} value`}
                  placeholder="value"
                  value={row.value}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => update(row.id, { value: e.target.value })}
                  onBlur={onBlur}
                />
                <button
                  type="button"
                  className="env-remove"
                  aria-label={`Remove variable ${who}`}
                  title={`Remove variable ${who}`}
                  onClick={() => remove(i)}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className="env-add" onClick={add}>
        Add variable
      </button>
    </div>
  );
}
