// @ts-nocheck
// 
// The next 24 hours as a strip: where each schedule's next run falls, in quarter hours, with
// the local hour under it. One image to a screen reader (the list beside it has the detail).
import type { Schedule } from '../../../../shared/types';

export const HOURS = 24;
const SLOTS = HOURS * 4;
const SLOT_MS = 15 * 60 * 1000;
const WIDTH = 960;
const HEIGHT = 56;
const AXIS = 16;

const hourFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Schedules by the quarter hour of their next run, for runs in the next 24 hours. */
export function slotsOf(schedules: readonly Schedule[], now: number): Schedule[][] {
  const slots: Schedule[][] = Array.from({ length: SLOTS }, () => []);
  for (const s of schedules) {
    if (!s.next_run) continue;
    const at = Date.parse(s.next_run) - now;
    if (at < 0 || at >= HOURS * 3_600_000) continue;
    slots[Math.floor(at / SLOT_MS)]?.push(s);
  }
  return slots;
}

export function timelineSummary(slots: Schedule[][], now: number): string {
  const count = slots.reduce((n, slot) => n + slot.length, 0);
  if (count === 0) return 'Nothing is due in the next 24 hours';
  let busiest = 0;
  slots.forEach((slot, i) => {
    if (slot.length > (slots[busiest]?.length ?? 0)) busiest = i;
  });
  const at = hourFormat.format(now + busiest * SLOT_MS);
  return `${count} ${count === 1 ? 'schedule runs' : 'schedules run'} in the next 24 hours; the busiest quarter hour starts at ${at} with ${slots[busiest]?.length}`;
}

export function Timeline({ schedules, now }: { schedules: readonly Schedule[]; now: number }) {
  const slots = slotsOf(schedules, now);
  const summary = timelineSummary(slots, now);
  const most = Math.max(1, ...slots.map((s) => s.length));
  const slotWidth = WIDTH / SLOTS;
  // Ticks on the local hours, every third one labelled.
  const firstHour = Math.ceil(now / 3_600_000) * 3_600_000;
  const ticks = Array.from({ length: HOURS }, (_, i) => firstHour + i * 3_600_000);
  return (
    <svg
      className="timeline"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`}
      preserveAspectRatio="none"
    >
      <title>{summary}</title>
      <line className="timeline-base" x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} />
      {ticks.map((t, i) => {
        const x = ((t - now) / SLOT_MS) * slotWidth;
        return (
          <g key={t}>
            <line className="timeline-tick" x1={x} x2={x} y1={HEIGHT} y2={HEIGHT + 4} />
            {i % 3 === 0 && (
              <text
                className="timeline-label"
                x={x}
                y={HEIGHT + AXIS - 2}
                // The first and last labels stay inside the strip.
                textAnchor={x < 24 ? 'start' : x > WIDTH - 24 ? 'end' : 'middle'}
              >
                {hourFormat.format(t)}
              </text>
            )}
          </g>
        );
      })}
      {slots.map((slot, i) => {
        if (slot.length === 0) return null;
        const h = Math.max(4, (slot.length / most) * (HEIGHT - 4));
        const names = slot.slice(0, 5).map((s) => s.name);
        const more = slot.length > 5 ? ` and ${slot.length - 5} more` : '';
        return (
          <rect
            key={i}
            className="timeline-bar"
            x={i * slotWidth + 1}
            y={HEIGHT - h}
            width={Math.max(2, slotWidth - 2)}
            height={h}
          >
            <title>{`${hourFormat.format(now + i * SLOT_MS)}: ${names.join(', ')}${more}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
