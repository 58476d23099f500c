// @ts-nocheck
// 
// The real `cmdop-scheduler serve` as a child process, with an API client: for what only a
// separate process shows (it stays up, it can be kill -9'd, its children outlive it).
import { runCli, type CliProcess } from './cli';

export interface ServeProcess {
  cli: CliProcess;
  pid: number;
  url: string;
  token: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown code runs, as in a crash or the OOM killer. */
  kill9(): Promise<void>;
}

export async function startServe(dataDir: string, env: Record<string, string> = {}) {
  const cli = runCli(['serve', '--port', '0', '--data-dir', dataDir], env);
  const url = await cli.listening;
  const token = /API token: (\S+)/.exec(cli.stdout())?.[1];
  if (!token) throw new Error(`serve printed no token:\n${cli.stdout()}`);
  const serve: ServeProcess = {
    cli,
    pid: cli.child.pid as number,
    url,
    token,
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async stop() {
      cli.child.kill('SIGTERM');
      return cli.exited;
    },
    async kill9() {
      cli.child.kill('SIGKILL');
      await cli.exited;
    },
  };
  return serve;
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process group still has a member (signal 0 to it). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
