// @ts-nocheck
// 
// For the webhook and ping tests: a real server (real commands, real clock) beside real HTTP
// receivers on 127.0.0.1, both closed after each test, and the waits those tests share.
import { expect } from 'vitest';
import { toRun, type Command } from '../../src/shared/cmdop-command';
import type { Run } from '../../src/shared/types';
import { until } from './policies';
import { startReceiver, type Answer, type Receiver } from './receiver';
import { removeDir, startTestServer, type TestServer } from './server';

/** Short waits: the receivers are real, a test should not take 40 s to see a retry. */
export const FAST_QUEUE = { timeoutMs: 400, backoffMs: [50, 100] };

export interface AlertServers {
  /** A receiver answering `answer(n)` for its n-th request (200 by default) and a server. */
  setup(
    answer?: (n: number) => Answer,
    options?: Parameters<typeof startTestServer>[0],
  ): Promise<{ rx: Receiver; srv: TestServer }>;
  /** Another receiver, closed with the rest. */
  receiver(answer?: (n: number) => Answer): Promise<Receiver>;
  /** A server without a receiver, stopped with the rest. */
  server(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer>;
}

/** Servers and receivers for one test file: whatever a test opened is closed after it. */
export function alertServers(afterEach: (fn: () => Promise<void>) => void): AlertServers {
  let servers: TestServer[] = [];
  let receivers: Receiver[] = [];
  afterEach(async () => {
    // All stopped before any folder goes: a test may reopen one server's folder in another.
    for (const srv of servers) await srv.stop();
    for (const srv of servers) removeDir(srv.dataDir);
    for (const r of receivers) await r.close();
    servers = [];
    receivers = [];
  });
  const receiver = async (answer?: (n: number) => Answer) => {
    const rx = await startReceiver((_r, n) => answer?.(n) ?? 200);
    receivers.push(rx);
    return rx;
  };
  const server = async (options: Parameters<typeof startTestServer>[0] = {}) => {
    const srv = await startTestServer(options);
    servers.push(srv);
    return srv;
  };
  return {
    receiver,
    server,
    async setup(answer, options = { alertQueue: FAST_QUEUE }) {
      const rx = await receiver(answer);
      return { rx, srv: await server(options) };
    },
  };
}

export async function createSchedule(srv: TestServer, body: Record<string, unknown>) {
  const res = await srv.call('POST', '/v1/schedules', {
    name: 'Daily Backup',
    machine_id: 'local',
    command: 'true',
    cron: '0 3 * * *',
    ...body,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.data as { id: string; notify: Record<string, unknown> };
}

/** GET /v1/commands/:id (Cmdop's command shape), read back as the run it is. */
export async function getCommand(srv: TestServer, commandId: string): Promise<Run> {
  return toRun((await srv.call('GET', `/v1/commands/${commandId}`)).json.data as Command);
}

/** Starts a run now; its command id. */
export async function startRun(srv: TestServer, id: string): Promise<string> {
  const started = await srv.call('POST', `/v1/schedules/${id}/run`);
  expect(started.status, JSON.stringify(started.json)).toBe(200);
  return started.json.data.command_id as string;
}

export async function runAndSettle(srv: TestServer, id: string): Promise<Run> {
  const commandId = await startRun(srv, id);
  return until(
    () => getCommand(srv, commandId),
    (r) => r.status !== 'running',
  );
}

/** The run once `count` deliveries are on it (they are recorded after the receiver answers). */
export async function withDeliveries(srv: TestServer, run: Run, count: number): Promise<Run> {
  return until(
    () => getCommand(srv, run.command_id),
    (r) => (r.deliveries?.length ?? 0) >= count,
  );
}
