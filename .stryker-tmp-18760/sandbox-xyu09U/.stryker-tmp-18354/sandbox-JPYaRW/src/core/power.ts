// @ts-nocheck
// 
// Whether the machine runs on battery, for schedules with `run_on_battery: false`. On Linux
// the kernel's power_supply class says it (the root is configurable, so tests use a fake
// tree); the tray app feeds Electron's powerMonitor instead. A machine without a battery,
// or whose power cannot be read, is on AC: a server never skips a run for want of a battery.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';
import type { Timers } from './timers';

export const DEFAULT_POWER_SUPPLY_ROOT = '/sys/class/power_supply';
/** How often power is looked at while a held fire waits for AC (Linux sends no event we read). */
export const POWER_POLL_MS = 30_000;

export interface PowerSource {
  onBattery(): boolean;
  /** Pushes changes where the platform reports them (Electron on macOS/Windows). */
  subscribe?(listener: () => void): () => void;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * systemd's rule (ConditionACPower=, `on_ac_power`): on AC when any AC supply (Mains, USB…)
 * is online, or when none is known; on battery when they are all offline. Without any AC
 * supply listed, a discharging system battery also means battery. Batteries of devices
 * (a mouse: `scope` Device) do not count.
 */
export function readPowerSupply(root: string = DEFAULT_POWER_SUPPLY_ROOT): boolean {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return false;
  }
  let acKnown = false;
  let discharging = false;
  for (const name of names) {
    const dir = join(root, name);
    if (read(join(dir, 'scope')) === 'Device') continue;
    const type = read(join(dir, 'type'));
    if (type === null) continue;
    if (type === 'Battery') {
      if (read(join(dir, 'status')) === 'Discharging') discharging = true;
      continue;
    }
    acKnown = true;
    if (read(join(dir, 'online')) === '1') return false;
  }
  return acKnown || discharging;
}

export function sysfsPower(root: string = DEFAULT_POWER_SUPPLY_ROOT): PowerSource {
  return { onBattery: () => readPowerSupply(root) };
}

/**
 * Tells when AC comes back, while something waits for it: by the source's own events where
 * it has them, and by looking every POWER_POLL_MS otherwise (idle when nothing waits).
 */
export class PowerWatch {
  #timer: unknown = null;
  #unsubscribe: (() => void) | null = null;
  #waiting = false;

  constructor(
    private readonly source: PowerSource,
    private readonly timers: Timers,
    private readonly log: Logger,
    private readonly onAc: () => void,
  ) {}

  onBattery(): boolean {
    try {
      return this.source.onBattery();
    } catch (e) {
      this.log.warn(`power state unknown (${(e as Error).message}); taken as AC`);
      return false;
    }
  }

  start(): void {
    this.#unsubscribe = this.source.subscribe?.(() => this.#check()) ?? null;
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#waiting = false;
    this.#disarm();
  }

  /** Something waits for AC (true) or nothing does any more (false). */
  wait(waiting: boolean): void {
    this.#waiting = waiting;
    if (!waiting) this.#disarm();
    else if (this.#timer === null) this.#arm();
  }

  /** Looks now (after a resume from sleep, say). */
  check(): void {
    this.#check();
  }

  #arm() {
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = null;
      this.#check();
      if (this.#waiting && this.#timer === null) this.#arm();
    }, POWER_POLL_MS);
  }

  #disarm() {
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #check() {
    if (this.#waiting && !this.onBattery()) this.onAc();
  }
}
