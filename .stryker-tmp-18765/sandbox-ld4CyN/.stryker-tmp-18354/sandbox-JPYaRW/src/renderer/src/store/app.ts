// @ts-nocheck
// 
// One zustand store for the UI: schedules, machines and settings from the API, kept current
// by the live event stream (no polling), plus view state (page, dialogs, filters). Events are
// queued and applied once per animation frame, so a burst of a hundred runs is one render;
// a (re)load holds them back and replays them over the fresh snapshot, so nothing is lost.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ApiError } from '../../../shared/errors';
import type { ApiEvent } from '../../../shared/events';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../../shared/schemas';
import type { AppSettings, SettingsPatchInput } from '../../../shared/settings';
import type { Machine, Schedule } from '../../../shared/types';
import type { AppApi } from '../api/types';
import {
  advanceNextRuns,
  applyEvents,
  fromSnapshot,
  NO_SCHEDULES,
  endsUnknownRun,
  type SchedulesState,
} from './schedules';

export type View =
  | { name: 'home' }
  | { name: 'schedules' }
  | { name: 'history'; scheduleId: string }
  | { name: 'run'; commandId: string }
  | { name: 'settings' };

/** The live event stream: over IPC always online; over HTTP it can drop. */
export type Connection = 'connecting' | 'online' | 'offline' | 'unauthorized';

export type SortKey = 'name' | 'next' | 'last';

export interface Filters {
  machineId: string;
  enabled: 'all' | 'enabled' | 'disabled';
  /** Matches the name or the command. */
  search: string;
  sort: SortKey;
  /** `failed`: only schedules whose last run failed, timed out or was interrupted. */
  lastRun: 'all' | 'failed';
}

export interface Confirm {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => Promise<void> | void;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  link?: { label: string; href: string };
}

export interface AppState {
  status: 'loading' | 'ready' | 'error';
  loadError: string | null;
  schedules: SchedulesState;
  machines: Machine[];
  settings: AppSettings | null;
  connection: Connection;
  view: View;
  editor: { mode: 'create' } | { mode: 'edit'; id: string } | null;
  /** The open editor holds typed work that closing would lose. */
  editorDirty: boolean;
  confirm: Confirm | null;
  filters: Filters;
  toast: Toast | null;

  load(): Promise<void>;
  /** Queues an event; the queue is applied on the next frame. */
  receive(event: ApiEvent): void;
  /** Applies the queued events now (the frame callback; tests call it directly). */
  flushEvents(): void;
  /** The clock ticked: next runs that passed move on. */
  tick(now: number): void;
  setConnection(connection: Connection): void;
  navigate(view: View): void;
  openEditor(editor: NonNullable<AppState['editor']>): void;
  closeEditor(): void;
  setEditorDirty(dirty: boolean): void;
  ask(confirm: Confirm): void;
  closeConfirm(): void;
  setFilters(filters: Partial<Filters>): void;
  showToast(kind: Toast['kind'], message: string, link?: Toast['link']): void;
  dismissToast(): void;
  save(input: ScheduleCreateInput | SchedulePatchInput, id?: string): Promise<void>;
  /** The command id of the new run, or null when it did not start (a toast says why). */
  runNow(id: string): Promise<string | null>;
  /** Stops the retries of a schedule's failed run (the retry waiting now). */
  cancelRetry(id: string): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  confirmDelete(id: string): void;
  updateSettings(patch: SettingsPatchInput): Promise<void>;
  rotateToken(): Promise<string | null>;
}

export type AppStore = StoreApi<AppState>;

export interface StoreOptions {
  /** When to apply queued events; default the next animation frame (or 100 ms when hidden). */
  frame?: (apply: () => void) => void;
}

const PAGE = 100;

function message(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}

/** The next animation frame, or 100 ms when the page is hidden and frames stop. */
function nextFrame(apply: () => void) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    apply();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 100);
}

/** All pages of a list: the UI filters and searches locally. */
async function loadAll<T>(
  page: (q: { limit: number; offset: number }) => Promise<{ data: T[]; meta: { total: number } }>,
) {
  const all: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { data, meta } = await page({ limit: PAGE, offset });
    all.push(...data);
    if (data.length === 0 || all.length >= meta.total) return all;
  }
}

export function createAppStore(api: AppApi, options: StoreOptions = {}): AppStore {
  const frame = options.frame ?? nextFrame;
  let toastId = 0;
  let queue: ApiEvent[] = [];
  let flushPending = false;
  // Events that came while a load was on its way: replayed over its snapshot.
  let held: ApiEvent[] | null = null;
  let loadSeq = 0;
  // Run events seen per schedule, so a GET answer older than an event is not believed.
  const runEvents = new Map<string, number>();
  const verifying = new Map<string, number>();

  return createStore<AppState>()((set, get) => {
    const patchSchedule = (schedule: Schedule) =>
      set((s) => {
        if (!s.schedules.byId[schedule.id]) return s;
        const byId = { ...s.schedules.byId, [schedule.id]: schedule };
        return { schedules: { ...s.schedules, byId } };
      });

    /**
     * Asks the server about one schedule. Only the newest request's answer is used, and its
     * `running` only if no run event came for the schedule meanwhile (the event is newer).
     */
    const verify = (id: string) => {
      const request = (verifying.get(id) ?? 0) + 1;
      verifying.set(id, request);
      const seen = runEvents.get(id) ?? 0;
      api.get(id).then(
        (fresh) => {
          if (verifying.get(id) !== request) return;
          const current = get().schedules.byId[id];
          if (!current) return;
          if ((runEvents.get(id) ?? 0) !== seen) {
            patchSchedule({ ...fresh, running: current.running });
            return;
          }
          set((s) => ({
            schedules: applyEvents(s.schedules, [{ type: 'schedule.updated', schedule: fresh }]),
          }));
        },
        () => {},
      );
    };

    const apply = (events: ApiEvent[]) => {
      const finishedUnknown = new Set<string>();
      for (const e of events) {
        if (e.type === 'run.started' || e.type === 'run.finished') {
          const id = e.run.schedule_id;
          runEvents.set(id, (runEvents.get(id) ?? 0) + 1);
        }
      }
      set((s) => {
        const startedHere = new Set<string>();
        for (const e of events) {
          if (e.type === 'run.started') startedHere.add(e.run.command_id);
          if (
            e.type === 'run.finished' &&
            !startedHere.has(e.run.command_id) &&
            endsUnknownRun(s.schedules, e.run)
          ) {
            finishedUnknown.add(e.run.schedule_id);
          }
        }
        const schedules = applyEvents(s.schedules, events);
        let settings = s.settings;
        for (const e of events) {
          if (e.type === 'settings.updated') {
            settings = settings ? { ...e.settings, server: settings.server } : e.settings;
          }
          if (e.type === 'storage.changed' && settings)
            settings = { ...settings, storage: e.storage };
        }
        return { schedules, settings };
      });
      // A schedule that allows overlaps and was running when the page loaded: whether its
      // other runs are still going is the server's to say.
      for (const id of finishedUnknown) verify(id);
    };

    return {
      status: 'loading',
      loadError: null,
      schedules: NO_SCHEDULES,
      machines: [],
      settings: null,
      connection: 'connecting',
      view: { name: 'home' },
      editor: null,
      editorDirty: false,
      confirm: null,
      filters: { machineId: 'all', enabled: 'all', search: '', sort: 'name', lastRun: 'all' },
      toast: null,

      async load() {
        const mine = ++loadSeq;
        held ??= [];
        try {
          const [list, machines, settings] = await Promise.all([
            loadAll((q) => api.list(q)),
            loadAll((q) => api.listMachines(q)),
            api.getSettings(),
          ]);
          if (mine !== loadSeq) return;
          const replay = held ?? [];
          held = null;
          set({
            schedules: fromSnapshot(list),
            machines,
            settings,
            status: 'ready',
            loadError: null,
          });
          apply(replay);
        } catch (e) {
          if (mine !== loadSeq) return;
          const replay = held ?? [];
          held = null;
          if (e instanceof ApiError && e.code === 'unauthorized') {
            set({ connection: 'unauthorized' });
          }
          // A failed re-sync keeps what is shown (the connection banner explains).
          if (get().status !== 'ready') set({ status: 'error', loadError: message(e) });
          apply(replay);
        }
      },

      receive(event) {
        if (event.type === 'run.output') return;
        queue.push(event);
        if (flushPending) return;
        flushPending = true;
        frame(() => get().flushEvents());
      },

      flushEvents() {
        flushPending = false;
        const events = queue;
        queue = [];
        if (events.length === 0) return;
        if (held) held.push(...events);
        else apply(events);
      },

      tick(now) {
        set((s) => {
          const schedules = advanceNextRuns(s.schedules, now);
          return schedules === s.schedules ? s : { schedules };
        });
      },

      setConnection: (connection) => set({ connection }),
      navigate: (view) => set({ view }),
      openEditor: (editor) => set({ editor, editorDirty: false }),
      closeEditor: () => set({ editor: null, editorDirty: false }),
      setEditorDirty: (editorDirty) => set({ editorDirty }),
      ask: (confirm) => set({ confirm }),
      closeConfirm: () => set({ confirm: null }),
      setFilters: (filters) => set((s) => ({ filters: { ...s.filters, ...filters } })),
      showToast: (kind, msg, link) => set({ toast: { id: ++toastId, kind, message: msg, link } }),
      dismissToast: () => set({ toast: null }),

      async save(input, id) {
        // Errors propagate to the editor, which maps them onto its fields.
        const schedule = id
          ? await api.update(id, input as SchedulePatchInput)
          : await api.create(input as ScheduleCreateInput);
        set((s) => ({
          schedules: applyEvents(s.schedules, [{ type: 'schedule.updated', schedule }]),
          editor: null,
          editorDirty: false,
        }));
        get().showToast('info', id ? `Saved “${schedule.name}”` : `Created “${schedule.name}”`);
      },

      async runNow(id) {
        const schedule = get().schedules.byId[id];
        try {
          const { command_id } = await api.runNow(id);
          get().showToast('info', `Started “${schedule?.name ?? id}”`, {
            label: 'View run',
            href: `#/runs/${encodeURIComponent(command_id)}`,
          });
          // Local runs announce themselves by event; a remote machine's do not, so ask.
          if (schedule && schedule.machine_id !== get().machines[0]?.id) verify(id);
          return command_id;
        } catch (e) {
          get().showToast('error', message(e));
          return null;
        }
      },

      async cancelRetry(id) {
        const commandId = get().schedules.byId[id]?.retry_command_id;
        if (!commandId) return;
        try {
          await api.cancelCommand(commandId);
          verify(id);
        } catch (e) {
          get().showToast('error', message(e));
        }
      },

      async setEnabled(id, enabled) {
        try {
          const schedule = await api.update(id, { enabled });
          set((s) => ({
            schedules: applyEvents(s.schedules, [{ type: 'schedule.updated', schedule }]),
          }));
        } catch (e) {
          get().showToast('error', message(e));
        }
      },

      confirmDelete(id) {
        const schedule = get().schedules.byId[id];
        if (!schedule) return;
        get().ask({
          title: `Delete “${schedule.name}”?`,
          message:
            'Its history goes too, and a run in progress is cancelled. This cannot be undone.',
          confirmLabel: 'Delete',
          onConfirm: async () => {
            try {
              await api.remove(id);
              set((s) => ({
                schedules: applyEvents(s.schedules, [{ type: 'schedule.deleted', id }]),
              }));
              get().showToast('info', `Deleted “${schedule.name}”`);
            } catch (e) {
              get().showToast('error', message(e));
            }
          },
        });
      },

      async updateSettings(patch) {
        try {
          set({ settings: await api.updateSettings(patch) });
        } catch (e) {
          get().showToast('error', message(e));
          throw e;
        }
      },

      async rotateToken() {
        try {
          const settings = await api.rotateToken();
          set({ settings });
          return settings.server.token;
        } catch (e) {
          get().showToast('error', message(e));
          return null;
        }
      },
    };
  });
}
