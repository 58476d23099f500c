// The engine's view of cron: validation and firing instants come from src/shared/cron (one
// implementation for server, IPC and editor); this adds a cache of next fires, because
// parsing an expression in a DST zone costs ~0.2 ms and lists are read far more than edited.
import { nextFireTime } from '../shared/cron';

export { cronError, timeZoneError, nextFireTime, nextFireTimes, CRON_MACROS } from '../shared/cron';

interface Entry {
  key: string;
  next: number | null;
}

export class NextRunCache {
  readonly #entries = new Map<string, Entry>();

  /** Next fire strictly after `now` for an enabled schedule; null if it never fires again. */
  next(id: string, cron: string, timezone: string, now: number): number | null {
    const key = `${cron}\u0000${timezone}`;
    const hit = this.#entries.get(id);
    if (hit && hit.key === key && (hit.next === null || hit.next > now)) return hit.next;
    const next = nextFireTime(cron, timezone, now);
    this.#entries.set(id, { key, next });
    return next;
  }

  /** Takes a next fire computed elsewhere (the scheduler's), so it is not computed twice. */
  prime(id: string, cron: string, timezone: string, next: number | null): void {
    this.#entries.set(id, { key: `${cron}\u0000${timezone}`, next });
  }

  forget(id: string): void {
    this.#entries.delete(id);
  }
}
