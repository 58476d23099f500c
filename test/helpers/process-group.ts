// A real process group standing in for a run's (orphan and shutdown tests).
import { spawn } from 'node:child_process';

/**
 * A shell in its own process group that has started (printed "up"); `stubborn` ignores
 * SIGTERM. Its pgid is pushed onto `started`, for the test's cleanup to kill.
 */
export async function processGroup(started: number[], stubborn = false): Promise<number> {
  const script = stubborn
    ? "trap '' TERM; echo up; while :; do sleep 0.05; done"
    : 'echo up; exec sleep 60';
  const child = spawn('/bin/sh', ['-c', script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.unref();
  started.push(child.pid as number);
  return child.pid as number;
}
