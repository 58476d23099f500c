// @ts-nocheck
// 
// Ready-made cron expressions for people who do not speak cron. Each preset can also be
// recognised in an existing expression, so the picker shows "Daily at… 04:00" for
// `0 4 * * *` instead of forgetting what was chosen as soon as the dialog reopens.

export interface PresetTime {
  hour: number;
  minute: number;
}

export type PresetId = 'every5' | 'hourly' | 'daily' | 'weekdays' | 'weekly';

export interface CronPreset {
  id: PresetId;
  label: string;
  /** True when the preset needs a time of day from the picker. */
  timed: boolean;
  build(time: PresetTime): string;
}

export const DEFAULT_PRESET_TIME: PresetTime = { hour: 9, minute: 0 };

export const CRON_PRESETS: readonly CronPreset[] = [
  { id: 'every5', label: 'Every 5 minutes', timed: false, build: () => '*/5 * * * *' },
  { id: 'hourly', label: 'Hourly', timed: false, build: () => '0 * * * *' },
  {
    id: 'daily',
    label: 'Daily at…',
    timed: true,
    build: (t) => `${t.minute} ${t.hour} * * *`,
  },
  {
    id: 'weekdays',
    label: 'Weekdays at…',
    timed: true,
    build: (t) => `${t.minute} ${t.hour} * * 1-5`,
  },
  { id: 'weekly', label: 'Weekly', timed: false, build: () => '0 9 * * 1' },
];

export function presetById(id: string): CronPreset | undefined {
  return CRON_PRESETS.find((p) => p.id === id);
}

const TIMED = /^(\d{1,2}) (\d{1,2}) \* \* (\*|1-5)$/;

/** The preset (and its time of day) that produces `cron`, or null for a custom expression. */
export function matchPreset(cron: string): { preset: CronPreset; time: PresetTime } | null {
  const expr = cron.trim().split(/\s+/).join(' ');
  const timed = TIMED.exec(expr);
  if (timed) {
    const minute = Number(timed[1]);
    const hour = Number(timed[2]);
    if (minute > 59 || hour > 23) return null;
    const preset = presetById(timed[3] === '*' ? 'daily' : 'weekdays');
    return preset ? { preset, time: { hour, minute } } : null;
  }
  const preset = CRON_PRESETS.find((p) => !p.timed && p.build(DEFAULT_PRESET_TIME) === expr);
  return preset ? { preset, time: DEFAULT_PRESET_TIME } : null;
}

/** "09:05", the value format of `<input type="time">`. */
export function formatPresetTime(t: PresetTime): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

export function parsePresetTime(text: string): PresetTime | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}
