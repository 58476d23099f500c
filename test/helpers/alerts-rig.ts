// The Alerts class driven directly: a temp data dir, FakeTime for the engine's clock and
// timers, a real event bus and a real HTTP receiver on 127.0.0.1. What a user sees: the
// pings and webhooks that arrive, the deliveries on a run, run.stuck and the log lines.
// (Shared by the test/unit/reach-alerts-*.test.ts files; test/helpers/alert-server.ts and
// readme-alerts.ts serve other alert tests.)
import { Alerts, type AlertsOptions } from '../../src/core/alerts/alerts';
import { EventBus } from '../../src/core/events';
import type { StoredSchedule } from '../../src/core/schedules';
import type { ApiEvent } from '../../src/shared/events';
import type { Notify, Run, RunStatus } from '../../src/shared/types';
import { FakeTime } from './fake-time';
import { startReceiver, type Receiver } from './receiver';
import { finishedRun } from './runs';
import { captureLog, tempDirs, type CapturedLog } from './server';

export function run(status: RunStatus, over: Partial<Run> = {}): Run {
  return finishedRun({
    schedule_id: 'sch_1',
    started_at: '2026-03-01T10:00:00Z',
    finished_at: status === 'running' ? null : '2026-03-01T10:00:02Z',
    exit_code: status === 'success' ? 0 : status === 'failure' ? 3 : null,
    duration: status === 'running' ? null : 2000,
    status,
    scheduled_for: '2026-03-01T10:00:00Z',
    ...over,
  });
}

export function schedule(
  notify: Partial<Notify>,
  over: Partial<StoredSchedule> = {},
): StoredSchedule {
  return {
    id: 'sch_1',
    name: 'Nightly sync',
    cron: '0 3 * * *',
    timezone: 'UTC',
    notify: { on_success: true, on_failure: true, ...notify },
    ...over,
  } as StoredSchedule;
}

export interface AlertsRig {
  alerts: Alerts;
  events: EventBus;
  emitted: ApiEvent[];
  time: FakeTime;
  log: CapturedLog;
  schedules: Map<string, StoredSchedule>;
  dataDir: string;
  stuckNotices: { run: Run; name: string; running_for: number }[];
  /** Resolves with the next `count` run.delivery events. */
  deliveries(count: number): Promise<ApiEvent[]>;
}

type AfterEach = (fn: () => Promise<void> | void) => void;

/**
 * Registers the clean-up after each test (temp dirs, every Alerts and receiver opened) and
 * returns the two openers. Each call opens fresh state, so nothing here outlives a test.
 */
export function alertsRig(afterEach: AfterEach) {
  const newDir = tempDirs(afterEach);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  function rig(
    sched: StoredSchedule | null,
    over: Partial<AlertsOptions> & { durations?: number[] } = {},
  ): AlertsRig {
    const events = new EventBus();
    const emitted: ApiEvent[] = [];
    events.subscribe((e) => emitted.push(e));
    const time = new FakeTime('2026-03-01T10:00:00Z');
    const log = captureLog();
    const schedules = new Map<string, StoredSchedule>();
    if (sched) schedules.set(sched.id, sched);
    const dataDir = newDir();
    const durations = over.durations ?? [];
    const stuckNotices: AlertsRig['stuckNotices'] = [];
    const alerts = new Alerts({
      dataDir,
      schedules,
      events,
      history: {
        scanRuns(_id, visit) {
          for (const d of durations) {
            if (!visit({ status: 'success', duration: d } as never)) return;
          }
        },
      },
      clock: time.clock,
      timers: time,
      log,
      machine: { id: 'mach_1', name: 'box' },
      current: () => null,
      onStuckNotice: (r, s, info) =>
        stuckNotices.push({ run: r, name: s.name, running_for: info.running_for }),
      queue: { attempts: 1, timeoutMs: 3000 },
      ...over,
    });
    cleanups.push(() => alerts.close(0));
    const deliveries = (count: number) =>
      new Promise<ApiEvent[]>((resolve) => {
        const got: ApiEvent[] = [];
        const stop = events.subscribe((e) => {
          if (e.type !== 'run.delivery') return;
          got.push(e);
          if (got.length === count) {
            stop();
            resolve(got);
          }
        });
      });
    return { alerts, events, emitted, time, log, schedules, dataDir, stuckNotices, deliveries };
  }

  async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
    const r = await startReceiver(answer);
    cleanups.push(() => r.close());
    return r;
  }

  return { rig, receiver };
}
