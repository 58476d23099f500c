// Process groups of runs: whether one still holds a live process, whether a group found
// after a crash is really the one a run started (and not a reused pid), and ending one.
// POSIX only; on Windows a run is one process tree that taskkill ends (see runner.ts).
import { readdirSync, readFileSync } from 'node:fs';
import type { RunGroup } from './history-record';
import type { Timers } from './timers';

const POLL_MS = 25;
/** After SIGKILL the kernel still needs a moment; never wait on it longer than this. */
const AFTER_KILL_WAIT_MS = 1000;

/** "pid (comm) state ppid pgrp …" after the comm, which may hold spaces and parentheses. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Stryker disable BlockStatement: an emptied catch returns undefined, which every caller reads as null
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    // Stryker restore BlockStatement
    return null;
  }
}

/**
 * What tells this process apart from a later one with the same pid: on Linux its start time
 * in clock ticks since boot (field 22 of /proc/PID/stat). null where there is no /proc (macOS,
 * Windows: the read fails) and for a process that is gone.
 */
export function processStart(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/**
 * Does the group still hold a process that can run? kill(-pgid, 0) alone is not enough:
 * an orphan's zombie stays in the group until init reaps it, and some container inits
 * reap late or never, so on Linux zombies are told apart through /proc.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Without a /proc to list (macOS, or one that cannot be read) kill() is all there is to go by.
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue; // exited while we looked
    const [state, , pgrp] = fields;
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/**
 * Whether a group recorded by a run before a crash is alive and still that run's. A pid is
 * not reused while a process group of that id exists, so a group whose leader is gone is
 * ours; a live leader must have the recorded start time, or it is a newer process.
 */
export function isRunsGroup(group: RunGroup): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral,BooleanLiteral: Windows only; the tests run on Linux
  if (process.platform === 'win32') return false;
  if (!groupAlive(group.pgid)) return false;
  if (group.start === null) return true; // nothing to compare on this OS: the group is alive
  const leader = processStart(group.pgid);
  return leader === null || leader === group.start;
}

function signal(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: already gone, which is what we wanted.
  }
}

/**
 * SIGTERM to the group, SIGKILL after the grace, and resolves once nothing in it runs (or
 * a bounded wait after SIGKILL: a process stuck in the kernel cannot hold us forever).
 */
export function endGroup(pgid: number, graceMs: number, timers: Timers): Promise<void> {
  return new Promise((resolve) => {
    // Stryker disable next-line StringLiteral: process.kill() reads an empty signal name as SIGTERM
    signal(pgid, 'SIGTERM');
    let waited = 0;
    let killedAt: number | null = null;
    const check = () => {
      if (!groupAlive(pgid)) return resolve();
      waited += POLL_MS;
      if (killedAt === null && waited >= graceMs) {
        signal(pgid, 'SIGKILL');
        killedAt = waited;
      }
      if (killedAt !== null && waited - killedAt >= AFTER_KILL_WAIT_MS) return resolve();
      timers.setTimeout(check, POLL_MS);
    };
    timers.setTimeout(check, POLL_MS);
  });
}
