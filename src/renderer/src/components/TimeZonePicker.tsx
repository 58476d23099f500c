// A text input with every IANA zone as a suggestion: typing filters the list (the
// browser's own datalist UI, which keyboards and screen readers already know), and any
// zone Intl accepts can still be typed even if this runtime's list lacks it.
import { useId, type InputHTMLAttributes } from 'react';

// Runtimes without Intl.supportedValuesOf (older engines, some test DOMs) still get the
// common choices, including a zone with a half-hour DST shift.
const FALLBACK_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
];

let cached: readonly string[] | null = null;

/** All zone names this runtime knows, plus 'UTC' (V8 lists only canonical zones). */
export function timeZoneNames(): readonly string[] {
  if (cached) return cached;
  let zones: string[];
  try {
    zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  } catch {
    zones = [];
  }
  if (zones.length === 0) zones = FALLBACK_ZONES;
  cached = [...new Set(['UTC', ...zones])].sort((a, b) =>
    a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b),
  );
  return cached;
}

export type TimeZonePickerProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'list' | 'type'
> & {
  value: string;
  onChange(zone: string): void;
};

export function TimeZonePicker({ value, onChange, className, ...rest }: TimeZonePickerProps) {
  const listId = useId();
  return (
    <>
      <input
        {...rest}
        type="text"
        className={className ? `tz-picker ${className}` : 'tz-picker'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        placeholder="Type to search, e.g. Europe/London"
      />
      <datalist id={listId}>
        {timeZoneNames().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </>
  );
}
