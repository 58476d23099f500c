// @ts-nocheck
// 
// This machine's identity: a stable `mach_…` id kept in the data directory, plus what the
// OS says about itself, in the Cmdop Machine shape.
import { chmodSync, readFileSync, renameSync } from 'node:fs';
import { arch, endianness, hostname, networkInterfaces, platform } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import type { MachinesQuery } from '../shared/schemas';
import { formatTimestamp, type Clock } from '../shared/time';
import type { Machine } from '../shared/types';
import { APP_VERSION } from './app-version';
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

/**
 * Cmdop names architectures as Go does (`amd64`, `386`), Node as V8 does (`x64`, `ia32`):
 * a client comparing with Cmdop's docs sees Cmdop's words.
 */
export function cmdopArch(nodeArch: string = arch(), bigEndian = endianness() === 'BE'): string {
  const names: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    ppc64: bigEndian ? 'ppc64' : 'ppc64le',
    mipsel: 'mipsle',
  };
  return names[nodeArch] ?? nodeArch;
}

/**
 * The address others would reach this machine at, as far as it can tell: the first external
 * IPv4 address, else the first external IPv6 one; null when it has none (offline, loopback only).
 */
export function primaryAddress(
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string | null {
  const all = Object.values(interfaces)
    .flat()
    .filter((a) => a !== undefined && !a.internal);
  return (all.find((a) => a?.family === 'IPv4') ?? all[0])?.address ?? null;
}

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
    arch: cmdopArch(),
    hostname: host,
    ip: primaryAddress(),
    tags: ['local'],
    agent_version: APP_VERSION,
    created_at: identity.created_at,
    last_seen: formatTimestamp(clock.now()),
  };
}

/**
 * Cmdop's machine filters: `status`; `tags`, comma-separated, every one of which the machine
 * must carry; `search`, case-insensitive text in the name or hostname.
 */
export function machineMatches(m: Machine, q: Pick<MachinesQuery, 'status' | 'tags' | 'search'>) {
  if (q.status !== undefined && m.status !== q.status) return false;
  const wanted = (q.tags ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  const tags = new Set(m.tags.map((t) => t.toLowerCase()));
  if (!wanted.every((t) => tags.has(t))) return false;
  return textMatches([m.name, m.hostname], q.search);
}

/** `search` on schedules: case-insensitive text in the name or the command. */
export function scheduleMatches(s: { name: string; command: string }, search?: string): boolean {
  return textMatches([s.name, s.command], search);
}

function textMatches(texts: string[], search?: string): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return texts.some((t) => t.toLowerCase().includes(needle));
}

/** 404, as Cmdop says it ("Machine not found"), naming the machine and the ones there are. */
export function unknownMachine(id: string, known: string[]): ApiError {
  const machines = [...known, LOCAL_ALIAS];
  return new ApiError(
    'not_found',
    `Machine ${id} not found; the machines here are ${known.join(', ')} (this machine, also '${LOCAL_ALIAS}')`,
    { machine_id: id, machines },
  );
}
