// @ts-nocheck
// 
// A text input with every IANA zone as a suggestion, built as the WAI-ARIA combobox with a
// list box: typing filters, arrows move, Enter picks, and Escape closes the suggestions only
// (a browser's <datalist> popup gives the page no way to know it was open, so Escape there
// also closed the whole editor). Any zone Intl accepts can still be typed.
import {
  useId,
  useMemo,
  useRef,
  useState,
  type InputHTMLAttributes,
  type KeyboardEvent,
} from 'react';

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

/** Suggestions shown at once: enough to browse, few enough to stay quick. */
export const MAX_SUGGESTIONS = 50;

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

/** Zones containing the text, those where a part of the name starts with it first. */
export function suggestZones(text: string): string[] {
  const needle = text.trim().toLowerCase().replace(/ /g, '_');
  const zones = timeZoneNames();
  if (needle === '') return zones.slice(0, MAX_SUGGESTIONS);
  const starts: string[] = [];
  const contains: string[] = [];
  for (const zone of zones) {
    const lower = zone.toLowerCase();
    const at = lower.indexOf(needle);
    if (at < 0) continue;
    if (at === 0 || lower[at - 1] === '/' || lower[at - 1] === '_') starts.push(zone);
    else contains.push(zone);
  }
  return [...starts, ...contains].slice(0, MAX_SUGGESTIONS);
}

export type TimeZonePickerProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'list' | 'type' | 'role'
> & {
  value: string;
  onChange(zone: string): void;
};

export function TimeZonePicker({
  value,
  onChange,
  className,
  onBlur,
  ...rest
}: TimeZonePickerProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listRef = useRef<HTMLUListElement>(null);
  const options = useMemo(() => (open ? suggestZones(value) : []), [open, value]);
  const optionId = (i: number) => `${listId}-${i}`;

  const show = (index: number) => {
    setActive(index);
    listRef.current
      ?.querySelector(`[id="${CSS.escape(optionId(index))}"]`)
      ?.scrollIntoView?.({ block: 'nearest' });
  };

  const pick = (zone: string) => {
    onChange(zone);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) setOpen(true);
        show(Math.min(active + 1, Math.max(0, options.length - 1)));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (open) show(Math.max(active - 1, 0));
        break;
      case 'Enter':
        if (open && active >= 0 && options[active]) {
          // Picking a suggestion, not submitting the form.
          e.preventDefault();
          pick(options[active]);
        }
        break;
      case 'Escape':
        if (open) {
          // Used here: the dialog around this field stays open.
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          setActive(-1);
        }
        break;
    }
  };

  return (
    <div className="tz-picker-wrap">
      <input
        {...rest}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        className={className ? `tz-picker ${className}` : 'tz-picker'}
        value={value}
        autoComplete="off"
        spellCheck={false}
        placeholder="Type to search, e.g. Europe/London"
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          setOpen(false);
          setActive(-1);
          onBlur?.(e);
        }}
      />
      <ul
        ref={listRef}
        id={listId}
        role="listbox"
        aria-label="Time zones"
        className="tz-options popup"
        hidden={!open || options.length === 0}
      >
        {options.map((zone, i) => (
          <li
            key={zone}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            // Keeps focus in the input, so choosing does not blur (and close) first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(zone)}
          >
            {zone}
          </li>
        ))}
      </ul>
    </div>
  );
}
