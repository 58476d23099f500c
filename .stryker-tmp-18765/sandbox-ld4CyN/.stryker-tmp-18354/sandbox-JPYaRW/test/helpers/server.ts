// @ts-nocheck
// 
// Starts the real headless server in-process on an ephemeral port and a temp data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeadless, type Headless } from '../../src/headless/serve';
import type { Logger } from '../../src/core/log';
import type { Notice, NotifierPort } from '../../src/core/notifications';
import type { Timers } from '../../src/core/scheduler';
import type { AlertsOptions } from '../../src/core/alerts/alerts';
import { afterAll, beforeAll } from 'vitest';

export class FakeClock {
  constructor(public ms: number) {}
  now = () => this.ms;
  set(iso: string) {
    this.ms = Date.parse(iso);
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface CapturedLog extends Logger {
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

export function tempDir(prefix = 'cmdop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/** Records notices instead of showing them; the real D-Bus path has its own test. */
export function recordingNotifier(): NotifierPort & { sent: Notice[] } {
  const sent: Notice[] = [];
  return { sent, send: async (n) => void sent.push(n) };
}

export interface TestServer {
  headless: Headless;
  notices: Notice[];
  url: string;
  token: string;
  dataDir: string;
  log: CapturedLog;
  /** fetch under /v1 with the token; `auth: false` sends none. */
  call(
    method: string,
    path: string,
    body?: unknown,
    init?: { auth?: string | false; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; headers: Headers; json: any }>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  dataDir?: string;
  clock?: { now(): number };
  envToken?: string;
  uiDir?: string;
  timers?: Timers;
  killGraceMs?: number;
  remote?: { url?: string; token?: string };
  remoteTimeoutMs?: number;
  rateLimitPerMinute?: number;
  /** The environment commands start from (a temp HOME for login shells). */
  env?: NodeJS.ProcessEnv;
  /** A fake /sys/class/power_supply. */
  powerSupplyRoot?: string;
  /** Webhook/ping delivery limits (short timeouts and backoff). */
  alertQueue?: AlertsOptions['queue'];
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const log = captureLog();
  const notifier = recordingNotifier();
  const headless = await startHeadless({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    envToken: options.envToken,
    clock: options.clock ?? { now: () => Date.now() },
    log,
    uiDir: options.uiDir,
    timers: options.timers,
    killGraceMs: options.killGraceMs,
    remoteOverride: options.remote,
    remoteTimeoutMs: options.remoteTimeoutMs,
    rateLimitPerMinute: options.rateLimitPerMinute,
    notifier,
    env: options.env,
    alertQueue: options.alertQueue,
    // Never the machine's own power: a laptop running the tests must not skip runs.
    powerSupplyRoot: options.powerSupplyRoot ?? join(dataDir, 'no-power-supply'),
  });
  const url = headless.server.url;
  const server: TestServer = {
    headless,
    notices: notifier.sent,
    url,
    token: headless.host.token.token,
    dataDir,
    log,
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.auth !== false) headers.authorization = `Bearer ${init.auth ?? server.token}`;
      let payload: string | undefined = init.raw;
      if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers, body: payload });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      return { status: res.status, headers: res.headers, json };
    },
    stop: () => headless.stop(),
  };
  return server;
}

/**
 * One test server for a whole test file: started before its tests, stopped (its data
 * directory removed) after them. Tests and hooks read it as `.srv`.
 */
export function useTestServer(options: TestServerOptions = {}): { srv: TestServer } {
  const holder = {} as { srv: TestServer };
  beforeAll(async () => {
    holder.srv = await startTestServer(options);
  });
  afterAll(async () => {
    if (!holder.srv) return;
    await holder.srv.stop();
    removeDir(holder.srv.dataDir);
  });
  return holder;
}

/** Temp directories for one test file, removed after each test. */
export function tempDirs(afterEach: (fn: () => void) => void): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    while (dirs.length) removeDir(dirs.pop() as string);
  });
  return () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
}
