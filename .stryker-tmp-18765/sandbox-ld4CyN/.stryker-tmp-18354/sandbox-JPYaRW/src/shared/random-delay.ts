// @ts-nocheck
// 
// A schedule's random delay, as systemd's RandomizedDelaySec= with FixedRandomDelay=true:
// every start is moved by the same offset, drawn once from the schedule's id, so a daily
// job spreads away from the others but does not wander from day to day, and the offset is
// known in advance (next_run shows it). Pure: the engine, the API and the editor agree.

/** systemd has no limit; ours is an hour, as a delay longer than that is a different cron. */
export const RANDOM_DELAY_MAX = 3_600_000;

/** FNV-1a over the id's UTF-16 units: stable across versions and machines, well spread. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche, so ids that differ only in their last characters spread too.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * The offset in whole ms, 0 <= offset < randomDelay (0 when there is no delay): the same
 * for the same schedule and bound, every time.
 */
export function randomDelayOffset(scheduleId: string, randomDelay: number): number {
  if (!(randomDelay > 0)) return 0;
  return Math.floor((hash32(scheduleId) / 2 ** 32) * randomDelay);
}
