// @ts-nocheck
// 
// The last instant the engine was known alive, kept on disk so that after a shutdown,
// crash or sleep the scheduler knows which fires it missed (catch-up) and when an
// unfinished run was interrupted. Written every few seconds: at most that stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../shared/time';
import type { Logger } from './log';
import { writePrivateAtomic } from './private-fs';
import { isFsError, type StorageHealth } from './storage-health';
import type { Timers } from './scheduler';

export const HEARTBEAT_FILE = 'state.json';
export const HEARTBEAT_MS = 5000;

/** The last-alive instant kept in `dataDir`, or null on a first start (or unreadable). */
export function readLastAlive(dataDir: string): number | null {
  try {
    const path = join(dataDir, HEARTBEAT_FILE);
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { last_alive?: unknown };
    const ms = typeof parsed.last_alive === 'string' ? Date.parse(parsed.last_alive) : NaN;
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}

export class Heartbeat {
  readonly #path: string;
  #timer: unknown = null;

  constructor(
    dataDir: string,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly log: Logger,
    private readonly everyMs = HEARTBEAT_MS,
    private readonly health?: StorageHealth,
  ) {
    this.#path = join(dataDir, HEARTBEAT_FILE);
  }

  /** The persisted last-alive instant, or null on a first start (or an unreadable file). */
  read(): number | null {
    return readLastAlive(join(this.#path, '..'));
  }

  beat(): void {
    try {
      // Not fsynced: a beat every few seconds must not keep a laptop's disk awake.
      writePrivateAtomic(
        this.#path,
        JSON.stringify({ last_alive: new Date(this.clock.now()).toISOString() }),
      );
      this.health?.succeeded('state');
    } catch (e) {
      // A full disk must not stop schedules; catch-up is merely less precise.
      if (this.health && isFsError(e)) this.health.failed('state', this.#path, e);
      else this.log.warn(`could not record the heartbeat: ${(e as Error).message}`);
    }
  }

  start(): void {
    this.beat();
    const loop = () => {
      this.beat();
      this.#timer = this.timers.setTimeout(loop, this.everyMs);
    };
    this.#timer = this.timers.setTimeout(loop, this.everyMs);
  }

  stop(): void {
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.beat();
  }
}
