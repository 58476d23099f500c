// @ts-nocheck
// 
// The last line of defence of a scheduler: an exception nobody caught, or a promise nobody
// awaited, is a bug of ours — and Node's default answer (exit) would stop every schedule
// until someone restarts the app. Logged with its stack, and the engine keeps going; only
// not being able to hold the data directory ends the process (the owners decide that).
import type { Logger } from './log';

export interface ProcessEvents {
  on(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

export function installSafetyNet(proc: ProcessEvents, log: Logger): void {
  proc.on('uncaughtException', (error, origin) => {
    log.error(`unexpected error (${origin}), the app keeps running: ${describe(error)}`);
  });
  proc.on('unhandledRejection', (reason) => {
    log.error(`unhandled promise rejection, the app keeps running: ${describe(reason)}`);
  });
}
