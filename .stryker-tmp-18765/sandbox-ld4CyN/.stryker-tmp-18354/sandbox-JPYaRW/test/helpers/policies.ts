// @ts-nocheck
// 
// For the run policy tests: a server on an injected clock whose commands are real
// processes, and waits that poll the API in real time (a process takes real time to end)
// while the clock only moves when the test moves it.
import type { Run, Schedule } from '../../src/shared/types';
import { FakeTime } from './fake-time';
import { startTestServer, type TestServer } from './server';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `ok` holds (real time): for processes, never for scheduling. */
export async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  withinMs = 10_000,
): Promise<T> {
  const end = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`still waiting: ${JSON.stringify(value).slice(0, 500)}`);
    await sleep(20);
  }
}

export interface PolicyServer {
  srv: TestServer;
  time: FakeTime;
  create(body: Record<string, unknown>): Promise<Schedule>;
  get(id: string): Promise<Schedule>;
  /** Oldest first. */
  runs(id: string): Promise<Run[]>;
  /** Waits until the schedule has `count` runs and none is running; oldest first. */
  settled(id: string, count: number): Promise<Run[]>;
  runNow(id: string): Promise<string>;
  stop(): Promise<void>;
}

export async function policyServer(
  options: Parameters<typeof startTestServer>[0] & { time: FakeTime },
): Promise<PolicyServer> {
  const { time } = options;
  const srv = await startTestServer({ ...options, clock: time.clock, timers: time });
  const data = async (method: string, path: string, body?: unknown) => {
    const res = await srv.call(method, path, body);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(res.json)}`);
    return res.json.data;
  };
  const runs = async (id: string): Promise<Run[]> =>
    ((await data('GET', `/v1/schedules/${id}/history?limit=100`)) as Run[]).reverse();
  return {
    srv,
    time,
    create: (body) =>
      data('POST', '/v1/schedules', {
        name: 'Job',
        machine_id: 'local',
        cron: '0 3 * * *',
        ...body,
      }),
    get: (id) => data('GET', `/v1/schedules/${id}`),
    runs,
    settled: (id, count) =>
      until(
        () => runs(id),
        (r) => r.length === count && r.every((x) => x.status !== 'running'),
      ),
    runNow: async (id) => (await data('POST', `/v1/schedules/${id}/run`)).command_id,
    stop: () => srv.stop(),
  };
}
