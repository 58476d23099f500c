// The composed host without its HTTP server, for unit tests of what it wires together:
// openHost on a temp data dir with a settable clock and a recording notifier, closed after
// each test. `open({ dataDir })` reopens a directory (a restart).
import { join } from 'node:path';
import { openHost, type Host } from '../../src/core/host';
import { confStoreFactory } from '../../src/headless/conf-store';
import type { ApiEvent } from '../../src/shared/events';
import type { Run } from '../../src/shared/types';
import { captureLog, recordingNotifier, tempDirs, type CapturedLog } from './server';

export const T0 = Date.parse('2026-05-04T12:00:00.250Z');

/** The body of a local schedule the host tests create and vary. */
export const BASE = {
  name: 'Daily Backup',
  machine_id: 'local',
  command: 'true',
  cron: '0 3 * * *',
};

/** openHost's options for `dataDir`, on a clock stopped at T0 (for a test that opens by hand). */
export function hostOptions(dataDir: string) {
  return {
    dataDir,
    storeFactory: confStoreFactory,
    clock: { now: () => T0 },
    log: captureLog(),
    notifier: recordingNotifier(),
    powerSupplyRoot: join(dataDir, 'no-power'),
  };
}

export interface Rig {
  host: Host;
  log: CapturedLog;
  events: ApiEvent[];
  clock: { ms: number; now(): number };
  dataDir: string;
  notifier: ReturnType<typeof recordingNotifier>;
}

type AfterEach = (fn: () => Promise<void> | void) => void;

export function hostRig(afterEach: AfterEach) {
  const newDir = tempDirs(afterEach);
  const hosts: Host[] = [];
  afterEach(async () => {
    while (hosts.length) await hosts.pop()?.close();
  });
  function open(over: Partial<Parameters<typeof openHost>[0]> = {}): Rig {
    const dataDir = over.dataDir ?? newDir();
    const log = captureLog();
    const notifier = recordingNotifier();
    const clock = {
      ms: T0,
      now() {
        return this.ms;
      },
    };
    const host = openHost({ ...hostOptions(dataDir), clock, log, notifier, ...over });
    hosts.push(host);
    const events: ApiEvent[] = [];
    host.events.subscribe((e) => events.push(e));
    return { host, log, events, clock, dataDir, notifier };
  }
  return { open, hosts, newDir };
}

/** The run.finished event of the command `commandId()` names (read when the event comes). */
export function finished(host: Host, commandId: () => string | null): Promise<Run> {
  return new Promise((resolve) => {
    const stop = host.events.subscribe((e) => {
      if (e.type === 'run.finished' && e.run.command_id === commandId()) {
        stop();
        resolve(e.run);
      }
    });
  });
}
