// @ts-nocheck
// 
// The tray wired to the engine: what it shows is re-rendered from the API's state when
// something happens (and every 30 s, so relative times stay true); what it does goes through
// the same API as the window. TrayService skips the native work when nothing changed.
import { ADHOC_OWNER } from '../shared/cmdop-command';
import type { Host } from '../core/host';
import type { Logger } from '../core/log';
import type { AppApiVerbs } from '../shared/bridge';
import type { AppSettings } from '../shared/settings';
import type { Schedule } from '../shared/types';
import { trayActionRoute } from './routes';
import { TrayService, type TrayFactory } from './tray';
import { buildTrayModel, type TrayAction, type TrayFailure, type TrayRun } from './trayModel';

const FAILED: ReadonlySet<string> = new Set(['failure', 'timeout', 'interrupted']);
/** Failed runs the tray remembers until the window is opened; older ones fall off. */
const FAILURES_KEPT = 50;
const REMOTE_REFRESH_MS = 30_000;
const LOCAL_DEBOUNCE_MS = 200;

export interface TrayAppDeps {
  host: Pick<Host, 'engine' | 'events' | 'service' | 'storage'>;
  api: AppApiVerbs;
  factory: TrayFactory;
  settings(): Pick<AppSettings, 'paused' | 'paused_until' | 'notifications'>;
  /** Opens the window on a route ('' keeps its page). */
  openWindow(hash: string): void;
  quit(): void;
  log: Logger;
  now(): number;
}

export interface TrayApp {
  /** The window was opened: the failed icon and the list of failed runs are cleared. */
  seen(): void;
  dispose(): void;
}

/** The settings change a pause item asks for: for a while, until an instant, or on/off. */
export function pausePatch(
  action: Extract<TrayAction, { kind: 'pause' }>,
  now: number,
): { paused: boolean } | { paused_until: string } {
  if (action.forMs !== undefined)
    return { paused_until: new Date(now + action.forMs).toISOString() };
  if (action.until !== undefined) return { paused_until: action.until };
  return { paused: action.paused };
}

export async function startTrayApp(deps: TrayAppDeps): Promise<TrayApp> {
  const { host, api, log } = deps;
  let failedSinceSeen = false;
  /** Named when shown: a schedule made a moment ago may not be in `local` yet. */
  let failures: (Omit<TrayFailure, 'name'> & { scheduleId: string })[] = [];
  /** Runs found running long (run.stuck), until they end. */
  const runningLong = new Set<string>();
  let local: Schedule[] = [];
  let remote: Schedule[] = [];

  const tray = new TrayService({
    factory: deps.factory,
    onAction: (action) => onAction(action),
    // Opening the menu counts as having seen the failure the icon was showing; the failed
    // runs stay listed (rebuilding the menu would close it) until the window is opened.
    onMenuShown: () => {
      failedSinceSeen = false;
      render();
    },
    onError: (e, action) => log.warn(`tray ${action.kind} failed: ${(e as Error).message}`),
  });

  const render = () => {
    const running: TrayRun[] = host.engine.activeRuns().map((r) => ({
      commandId: r.command_id,
      scheduleId: r.schedule_id,
      name:
        r.schedule_id === ADHOC_OWNER
          ? `ad-hoc: ${r.command ?? ''}`.slice(0, 60)
          : nameOf(r.schedule_id),
      startedAt: r.started_at,
      runningLong: runningLong.has(r.command_id),
    }));
    const current = deps.settings();
    tray.render(
      buildTrayModel(
        {
          schedules: [...local, ...remote],
          running,
          paused: current.paused,
          pausedUntil: current.paused_until,
          muted: current.notifications.muted,
          failedSinceSeen,
          failures: failures.map(({ scheduleId, ...f }) => ({ ...f, name: nameOf(scheduleId) })),
          storageProblem: host.storage.status().problem?.message ?? null,
        },
        deps.now(),
      ),
    );
  };
  const nameOf = (scheduleId: string) => local.find((x) => x.id === scheduleId)?.name ?? scheduleId;
  const seen = () => {
    failedSinceSeen = false;
    failures = [];
    render();
  };

  const listAll = async (machine_id?: string) => {
    const all: Schedule[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await api.list({ machine_id, limit: 100, offset });
      all.push(...page.data);
      if (page.data.length === 0 || all.length >= page.meta.total) return all;
    }
  };
  // Local events refresh this machine's part at once; the remote part (a network call)
  // only with the 30 s tick, so an every-second schedule does not poll the cloud.
  const reloadLocal = async () => {
    local = await listAll('local');
    render();
  };
  const reloadAll = async () => {
    const all = await listAll();
    local = all.filter((x) => host.service.isLocalMachine(x.machine_id));
    remote = all.filter((x) => !host.service.isLocalMachine(x.machine_id));
    render();
  };
  const report = (what: string) => (e: unknown) =>
    log.warn(`tray: ${what} failed: ${(e as Error).message}`);

  let pending: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = host.events.subscribe((event) => {
    if (event.type === 'run.stuck') runningLong.add(event.run.command_id);
    if (event.type === 'run.finished') {
      const { run } = event;
      runningLong.delete(run.command_id);
      // A failure with a retry to come is not the end, as for the desktop notice; the
      // failure icon is about schedules (an ad-hoc command's caller saw its answer).
      if (FAILED.has(run.status) && !run.next_retry_at && run.schedule_id !== ADHOC_OWNER) {
        failedSinceSeen = true;
        const at = run.finished_at ?? run.started_at;
        failures = [
          ...failures,
          { commandId: run.command_id, scheduleId: run.schedule_id, status: run.status, at },
        ];
        if (failures.length > FAILURES_KEPT) failures = failures.slice(-FAILURES_KEPT);
      }
    }
    if (event.type === 'run.output' || event.type === 'run.delivery') return;
    pending ??= setTimeout(() => {
      pending = null;
      reloadLocal().catch(report('refresh'));
    }, LOCAL_DEBOUNCE_MS);
  });
  const tick = setInterval(() => reloadAll().catch(report('refresh')), REMOTE_REFRESH_MS);
  tick.unref();

  async function onAction(action: TrayAction): Promise<void> {
    const route = trayActionRoute(action);
    if (route !== null) {
      if (action.kind !== 'newSchedule' && action.kind !== 'settings') seen();
      deps.openWindow(route);
      return;
    }
    switch (action.kind) {
      case 'runNow':
        await api.runNow(action.scheduleId).catch(report('run now'));
        break;
      case 'setEnabled':
        await api.update(action.scheduleId, { enabled: action.enabled });
        break;
      case 'cancel':
        await api.cancelCommand(action.commandId).catch(report('cancel'));
        break;
      case 'pause':
        await api.updateSettings(pausePatch(action, deps.now()));
        break;
      case 'mute':
        await api.updateSettings({ notifications: { muted: action.muted } });
        break;
      case 'quit':
        deps.quit();
        return;
    }
    render();
  }

  await reloadAll();
  return {
    seen,
    dispose() {
      unsubscribe();
      clearInterval(tick);
      if (pending) clearTimeout(pending);
      tray.destroy();
    },
  };
}
