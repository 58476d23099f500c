// @ts-nocheck
// 
// GET /v1/machines/:id/status for this machine, in Cmdop's shape: CPU, memory and disk as
// the OS reports them. Read on request, never polled in the background.
import { statfs } from 'node:fs/promises';
import { cpus, freemem, homedir, totalmem, uptime } from 'node:os';
import { parse } from 'node:path';
import { formatTimestamp, type Clock } from '../shared/time';
import type { MachineStatus } from '../shared/types';

/** CPU usage is the busy share of this window: long enough to mean something, short to wait. */
export const CPU_SAMPLE_MS = 200;

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Busy CPU in percent (one decimal) over `ms`, all cores together, as `top` shows it. */
export async function cpuUsage(ms = CPU_SAMPLE_MS): Promise<number> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  if (total <= 0) return 0;
  const share = (after.busy - before.busy) / total;
  return Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10;
}

/**
 * The disk is the file system holding the root (POSIX) or the home drive (Windows): the one
 * a full disk would stop. Blocks free to unprivileged users count as free, as `df` shows.
 */
export async function diskUsage(path = parse(homedir()).root || '/') {
  const s = await statfs(path);
  const total = s.blocks * s.bsize;
  const free = s.bavail * s.bsize;
  return { total, used: total - s.bfree * s.bsize, free };
}

export async function machineStatus(clock: Clock): Promise<MachineStatus> {
  const [usage, disk] = await Promise.all([cpuUsage(), diskUsage()]);
  const total = totalmem();
  const free = freemem();
  return {
    connected: true,
    uptime: Math.floor(uptime()),
    last_ping: formatTimestamp(clock.now()),
    cpu: { usage, cores: cpus().length },
    memory: { total, used: total - free, free },
    disk,
  };
}
