// This machine's identity: a stable `mach_…` id kept in the data directory, plus what the
// OS says about itself, in the Cmdop Machine shape.
import { chmodSync, readFileSync, renameSync } from 'node:fs';
import { arch, hostname, platform } from 'node:os';
import { join } from 'node:path';
import { newId } from '../shared/ids';
import { formatTimestamp, type Clock } from '../shared/time';
import type { Machine } from '../shared/types';
import type { Logger } from './log';
import { PRIVATE_FILE_MODE, writePrivateAtomic } from './private-fs';

export const MACHINE_FILE = 'machine.json';
export const LOCAL_ALIAS = 'local';

export interface MachineIdentity {
  id: string;
  created_at: string;
}

const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'macos',
  win32: 'windows',
  linux: 'linux',
};

export function loadMachineIdentity(dataDir: string, clock: Clock, log: Logger): MachineIdentity {
  const path = join(dataDir, MACHINE_FILE);
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
    const parsed = JSON.parse(text) as Partial<MachineIdentity>;
    if (typeof parsed.id === 'string' && /^mach_[0-9A-Za-z]+$/.test(parsed.id)) {
      return {
        id: parsed.id,
        created_at: String(parsed.created_at ?? formatTimestamp(clock.now())),
      };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') text = null;
  }
  if (text !== null) {
    const backup = `${path}.corrupt-${clock.now()}.bak`;
    renameSync(path, backup);
    chmodSync(backup, PRIVATE_FILE_MODE);
    log.warn(`machine identity file was unreadable; moved it to ${backup} and made a new one`);
  }
  const identity = { id: newId('mach'), created_at: formatTimestamp(clock.now()) };
  writePrivateAtomic(path, JSON.stringify(identity, null, 2) + '\n', { durable: true });
  return identity;
}

export function describeLocalMachine(identity: MachineIdentity, clock: Clock): Machine {
  const host = hostname();
  return {
    id: identity.id,
    name: host,
    status: 'online',
    os: OS_NAMES[platform()] ?? platform(),
    arch: arch(),
    hostname: host,
    tags: ['local'],
    created_at: identity.created_at,
    last_seen: formatTimestamp(clock.now()),
  };
}
