// What a cron expression means, in words and as the next few wall-clock times in the
// schedule's own zone, so a person can check an expression before saving it.
import cronstrue from 'cronstrue';
import { useMemo } from 'react';
import { CRON_MACROS, cronError, nextFireTimes, timeZoneError } from '../../../shared/cron';
import './form.css';

export interface CronPreviewProps {
  cron: string;
  timeZone: string;
  now: number;
}

export const PREVIEW_COUNT = 5;

/** Plain-English description, or null when the expression is invalid. */
export function describeCron(cron: string): string | null {
  const expr = cron.trim();
  if (cronError(expr) !== null) return null;
  // cronstrue knows some macros but not all of ours (@midnight); expand them first.
  const expanded = expr.startsWith('@') ? (CRON_MACROS[expr.toLowerCase()] ?? expr) : expr;
  try {
    return cronstrue.toString(expanded, { use24HourTimeFormat: true });
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: seconds ? '2-digit' : undefined,
      // Cron is written in 24-hour time; the preview reads the same way.
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * "Mon, Nov 30, 03:00 EST": the wall time in `timeZone`, with seconds when asked and the year
 * only when it differs from the year at `nowMs` there. Assembled from parts so ICU's choice
 * of separators ("at", narrow spaces) cannot change what people (and tests) read.
 */
export function formatFireTime(
  ms: number,
  timeZone: string,
  seconds: boolean,
  nowMs: number,
): string {
  const f = formatter(timeZone, seconds);
  const parts = (at: number) => {
    const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of f.formatToParts(at)) p[part.type] = part.value;
    return p;
  };
  const p = parts(ms);
  const year = p.year !== parts(nowMs).year ? ` ${p.year}` : '';
  const time = [p.hour, p.minute, ...(seconds ? [p.second] : [])].join(':');
  return `${p.weekday}, ${p.month} ${p.day}${year}, ${time} ${p.timeZoneName}`;
}

interface Preview {
  description: string | null;
  /** null when the zone is unknown, so no times can be computed. */
  runs: { ms: number; text: string }[] | null;
}

function computePreview(cron: string, timeZone: string, now: number): Preview | null {
  const expr = cron.trim();
  if (cronError(expr) !== null) return null;
  const description = describeCron(expr);
  if (timeZoneError(timeZone) !== null) return { description, runs: null };
  const seconds = !expr.startsWith('@') && expr.split(/\s+/).length === 6;
  try {
    const runs = nextFireTimes(expr, timeZone, now, PREVIEW_COUNT).map((ms) => ({
      ms,
      text: formatFireTime(ms, timeZone, seconds, now),
    }));
    return { description, runs };
  } catch {
    // cronError vets expressions first; a parser surprise should blank the list, not the app.
    return { description, runs: null };
  }
}

export function CronPreview({ cron, timeZone, now }: CronPreviewProps) {
  const preview = useMemo(() => computePreview(cron, timeZone, now), [cron, timeZone, now]);
  if (!preview) return null;
  const { description, runs } = preview;
  return (
    <div className="cron-preview">
      {description && (
        <p className="cron-preview-description" aria-live="polite">
          {description}
        </p>
      )}
      {runs === null ? (
        <p className="cron-preview-note muted">Choose a valid time zone to see the next runs.</p>
      ) : runs.length === 0 ? (
        <p className="cron-preview-note muted">This expression never fires again.</p>
      ) : (
        <ol className="cron-preview-runs" aria-label="Next runs">
          {runs.map((run) => (
            <li key={run.ms}>
              <time dateTime={new Date(run.ms).toISOString()}>{run.text}</time>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
