// @ts-nocheck
// 
// An on/off switch that is a real checkbox underneath, so it has a role, a name and
// keyboard support for free.
import './switch.css';

export function Switch(props: {
  checked: boolean;
  label: string;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={props.checked}
        aria-label={props.label}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span className="switch-track" aria-hidden="true" />
    </label>
  );
}
