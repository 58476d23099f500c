// @ts-nocheck
// 
// The timetable: a cron expression with presets for people who do not speak cron, a legend
// of its fields, and a preview of the next runs in the schedule's own zone.
import { useId } from 'react';
import { CronLegend } from '../../components/CronLegend';
import { CronPreview, type CronPreviewProps } from '../../components/CronPreview';
import {
  CRON_PRESETS,
  formatPresetTime,
  matchPreset,
  parsePresetTime,
  presetById,
  type PresetTime,
} from '../../components/cronPresets';
import { FieldError } from './fields';
import { controlId, errorId } from './form';

export interface CronFieldProps {
  cron: string;
  timeZone: string;
  error: string | undefined;
  now: number;
  /** For the preview: the engine's fires, the random delay and the schedule's id. */
  preview: Pick<CronPreviewProps, 'fires' | 'randomDelay' | 'scheduleId' | 'debounceMs'>;
  /** The time of day last picked for a timed preset, kept across preset changes. */
  presetTime: PresetTime;
  onPresetTime(time: PresetTime): void;
  onChange(cron: string): void;
  onBlur(): void;
}

export function CronField(props: CronFieldProps) {
  const { cron, error, presetTime } = props;
  const presetId = useId();
  const match = matchPreset(cron);
  return (
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
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId('cron') : undefined}
        value={cron}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
      <FieldError field="cron" error={error} />
      <div className="cron-presets">
        <label htmlFor={presetId} className="muted">
          Preset
        </label>
        <select
          id={presetId}
          value={match?.preset.id ?? ''}
          onChange={(e) => {
            const preset = presetById(e.target.value);
            if (preset) props.onChange(preset.build(match?.time ?? presetTime));
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
              props.onPresetTime(time);
              props.onChange(match.preset.build(time));
            }}
          />
        )}
      </div>
      <CronLegend cron={cron} />
      <CronPreview cron={cron} timeZone={props.timeZone} now={props.now} {...props.preview} />
    </div>
  );
}
