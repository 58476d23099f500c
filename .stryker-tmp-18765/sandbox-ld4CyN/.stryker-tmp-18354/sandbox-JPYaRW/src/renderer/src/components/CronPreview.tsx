// @ts-nocheck
// 
// What a cron expression means, in words and as the next few wall-clock times in the
// schedule's own zone, so a person can check an expression before saving it.
import cronstrue from 'cronstrue';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CRON_MACROS, cronError, timeZoneError } from '../../../shared/cron';
import { dstNote, type CronFiresInput, type FiresResult } from '../../../shared/fires-api';
import { formatTimestamp } from '../../../shared/time';
import { formatDuration } from './format';
import './form.css';

export interface CronPreviewProps {
  cron: string;
  timeZone: string;
  /** Where the fires start (the dialog's clock); also decides when a year is shown. */
  now: number;
  /** ms: the schedule's random delay, so the times shown are when runs start. */
  randomDelay?: number;
  /** The schedule being edited: its random delay's offset is drawn from its id. */
  scheduleId?: string;
  /** The engine's fires for an expression: `POST /v1/cron/fires` over the app's transport. */
  fires(input: CronFiresInput): Promise<FiresResult>;
  /** How long typing must pause before the engine is asked; default 250 ms. */
  debounceMs?: number;
}

export const PREVIEW_COUNT = 5;
export const PREVIEW_DEBOUNCE_MS = 250;

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

/** The engine's answer for one question (expression, zone, delay, schedule). */
type Answer = { key: string; result: FiresResult } | { key: string; error: string };

function delayNote(meta: FiresResult['meta']): string | null {
  if (meta.random_delay <= 0) return null;
  if (meta.delay === null) {
    return `Each run starts up to ${formatDuration(meta.random_delay)} later (random delay).`;
  }
  return `Times include this schedule's random delay (${formatDuration(meta.delay)}).`;
}

/**
 * The expression in words (computed here: it is text, not time), and the next fires as the
 * engine answers them through the app's transport (POST /v1/cron/fires), so the preview is
 * exactly what will run, DST included. Typing is debounced; the last answer stays on screen
 * (marked busy) until the new one arrives, and nothing here ever holds up Save.
 */
export function CronPreview(props: CronPreviewProps) {
  const { timeZone, now } = props;
  const expr = props.cron.trim();
  const valid = cronError(expr) === null;
  const zoneOk = timeZoneError(timeZone) === null;
  const description = useMemo(() => (valid ? describeCron(expr) : null), [expr, valid]);
  const randomDelay = props.randomDelay ?? 0;
  const scheduleId = props.scheduleId;
  const key =
    valid && zoneOk ? JSON.stringify([expr, timeZone, randomDelay, scheduleId ?? null]) : null;
  const [answer, setAnswer] = useState<Answer | null>(null);
  // Read when asking, not reasons to ask again: the dialog's clock moves on every render.
  const latest = useRef({ now, fires: props.fires });
  useEffect(() => {
    latest.current = { now, fires: props.fires };
  });
  const debounceMs = props.debounceMs ?? PREVIEW_DEBOUNCE_MS;

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      const { now: from, fires } = latest.current;
      fires({
        cron: expr,
        timezone: timeZone,
        from: formatTimestamp(from),
        count: PREVIEW_COUNT,
        random_delay: randomDelay,
        ...(scheduleId ? { schedule_id: scheduleId } : {}),
      }).then(
        (result) => current && setAnswer({ key, result }),
        (e: unknown) => current && setAnswer({ key, error: (e as Error).message ?? String(e) }),
      );
    }, debounceMs);
    // A newer question replaces this one; its answer, if it comes late, is dropped.
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, expr, timeZone, randomDelay, scheduleId, debounceMs]);

  if (!valid) return null;
  // An earlier expression's fires stay (marked busy) while the new ones come; its error not.
  const shown = answer !== null && (answer.key === key || 'result' in answer) ? answer : null;
  const stale = shown !== null && shown.key !== key;
  return (
    <div className="cron-preview">
      {description && (
        <p className="cron-preview-description" aria-live="polite">
          {description}
        </p>
      )}
      {!zoneOk ? (
        <p className="cron-preview-note muted">Choose a valid time zone to see the next runs.</p>
      ) : shown === null ? (
        <p className="cron-preview-note muted">Working out the next runs…</p>
      ) : 'error' in shown ? (
        <p className="cron-preview-note muted">The next runs could not be shown: {shown.error}</p>
      ) : shown.result.data.length === 0 ? (
        <p className="cron-preview-note muted">This expression never fires again.</p>
      ) : (
        <Runs result={shown.result} now={now} stale={stale} />
      )}
    </div>
  );
}

function Runs({ result, now, stale }: { result: FiresResult; now: number; stale: boolean }) {
  const { meta } = result;
  const seconds = !meta.cron.startsWith('@') && meta.cron.split(/\s+/).length === 6;
  const note = delayNote(meta);
  return (
    <>
      <ol
        className={`cron-preview-runs${stale ? ' stale' : ''}`}
        aria-label="Next runs"
        aria-busy={stale || undefined}
      >
        {result.data.map((f) => {
          const dst = dstNote(f, meta.fixed_time);
          return (
            <li key={f.at}>
              <time dateTime={f.at}>
                {formatFireTime(Date.parse(f.at), meta.timezone, seconds, now)}
              </time>
              {dst && <span className="cron-preview-dst"> · {dst}</span>}
            </li>
          );
        })}
      </ol>
      {note && <p className="cron-preview-note muted">{note}</p>}
    </>
  );
}
