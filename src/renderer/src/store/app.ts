// One zustand store for the UI: schedules, machines and settings from the API, kept
// current by the live event stream (no polling), plus view state (page, dialogs, filters).
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ApiError } from '../../../shared/errors';
import type { ApiEvent } from '../../../shared/events';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../../shared/schemas';
import type { AppSettings, SettingsPatchInput } from '../../../shared/settings';
import type { Machine, Schedule } from '../../../shared/types';
import type { AppApi } from '../api/types';

export type View =
  | { name: 'schedules' }
  | { name: 'history'; scheduleId: string }
  /** scheduleId is known when opened from a history; a link or notification has only the run. */
  | { name: 'run'; commandId: string; scheduleId?: string }
  | { name: 'settings' };

export interface Filters {
  machineId: string;
  enabled: 'all' | 'enabled' | 'disabled';
  search: string;
}

export interface Confirm {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

export interface AppState {
  status: 'loading' | 'ready' | 'error';
  loadError: string | null;
  schedules: Schedule[];
  machines: Machine[];
  settings: AppSettings | null;
  view: View;
  editor: { mode: 'create' } | { mode: 'edit'; id: string } | null;
  confirm: Confirm | null;
  filters: Filters;
  toast: Toast | null;

  load(): Promise<void>;
  applyEvent(event: ApiEvent): void;
  navigate(view: View): void;
  openEditor(editor: AppState['editor']): void;
  closeEditor(): void;
  ask(confirm: Confirm): void;
  closeConfirm(): void;
  setFilters(filters: Partial<Filters>): void;
  showToast(kind: Toast['kind'], message: string): void;
  dismissToast(): void;
  save(input: ScheduleCreateInput | SchedulePatchInput, id?: string): Promise<void>;
  runNow(id: string): Promise<void>;
  /** Stops the retries of a schedule's failed run (the retry waiting now). */
  cancelRetry(id: string): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  confirmDelete(id: string): void;
  updateSettings(patch: SettingsPatchInput): Promise<void>;
  rotateToken(): Promise<string | null>;
}

export type AppStore = StoreApi<AppState>;

const PAGE = 100;
const REFRESH_DEBOUNCE_MS = 250;

function message(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
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

export function visibleSchedules(state: Pick<AppState, 'schedules' | 'filters'>): Schedule[] {
  const { machineId, enabled, search } = state.filters;
  const needle = search.trim().toLowerCase();
  return state.schedules.filter(
    (s) =>
      (machineId === 'all' || s.machine_id === machineId) &&
      (enabled === 'all' || s.enabled === (enabled === 'enabled')) &&
      (needle === '' || s.name.toLowerCase().includes(needle)),
  );
}

export function createAppStore(api: AppApi): AppStore {
  let toastId = 0;
  const refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();

  return createStore<AppState>()((set, get) => {
    const upsert = (schedule: Schedule) =>
      set((s) => {
        const i = s.schedules.findIndex((x) => x.id === schedule.id);
        if (i < 0) return { schedules: [...s.schedules, schedule] };
        const schedules = s.schedules.slice();
        schedules[i] = schedule;
        return { schedules };
      });

    // A run changes last_run, next_run and running: ask the server rather than guess,
    // once per burst (an every-second schedule sends two events a second).
    const refresh = (id: string) => {
      if (refreshTimers.has(id)) return;
      refreshTimers.set(
        id,
        setTimeout(() => {
          refreshTimers.delete(id);
          api.get(id).then(upsert, () => {});
        }, REFRESH_DEBOUNCE_MS),
      );
    };

    return {
      status: 'loading',
      loadError: null,
      schedules: [],
      machines: [],
      settings: null,
      view: { name: 'schedules' },
      editor: null,
      confirm: null,
      filters: { machineId: 'all', enabled: 'all', search: '' },
      toast: null,

      async load() {
        try {
          const [schedules, machines, settings] = await Promise.all([
            loadAll((q) => api.list(q)),
            loadAll((q) => api.listMachines(q)),
            api.getSettings(),
          ]);
          set({ schedules, machines, settings, status: 'ready', loadError: null });
        } catch (e) {
          set({ status: 'error', loadError: message(e) });
        }
      },

      applyEvent(event) {
        switch (event.type) {
          case 'schedule.created':
          case 'schedule.updated':
            upsert(event.schedule);
            break;
          case 'schedule.deleted':
            set((s) => ({
              schedules: s.schedules.filter((x) => x.id !== event.id),
              view:
                'scheduleId' in s.view && s.view.scheduleId === event.id
                  ? { name: 'schedules' }
                  : s.view,
            }));
            break;
          case 'run.started': {
            const id = event.run.schedule_id;
            set((s) => ({
              schedules: s.schedules.map((x) => (x.id === id ? { ...x, running: true } : x)),
            }));
            refresh(id);
            break;
          }
          case 'run.finished':
            refresh(event.run.schedule_id);
            break;
          case 'settings.updated':
            set((s) => ({
              settings: s.settings
                ? { ...event.settings, server: s.settings.server }
                : event.settings,
            }));
            break;
          case 'storage.changed':
            set((s) => ({ settings: s.settings && { ...s.settings, storage: event.storage } }));
            break;
          case 'run.output':
            break;
        }
      },

      navigate: (view) => set({ view }),
      openEditor: (editor) => set({ editor }),
      closeEditor: () => set({ editor: null }),
      ask: (confirm) => set({ confirm }),
      closeConfirm: () => set({ confirm: null }),
      setFilters: (filters) => set((s) => ({ filters: { ...s.filters, ...filters } })),
      showToast: (kind, msg) => set({ toast: { id: ++toastId, kind, message: msg } }),
      dismissToast: () => set({ toast: null }),

      async save(input, id) {
        // Errors propagate to the editor, which maps them onto its fields.
        const schedule = id
          ? await api.update(id, input as SchedulePatchInput)
          : await api.create(input as ScheduleCreateInput);
        upsert(schedule);
        set({ editor: null });
        get().showToast('info', id ? `Saved “${schedule.name}”` : `Created “${schedule.name}”`);
      },

      async runNow(id) {
        try {
          await api.runNow(id);
          // Local runs announce themselves by event; a remote machine's do not, so ask.
          refresh(id);
        } catch (e) {
          get().showToast('error', message(e));
        }
      },

      async cancelRetry(id) {
        const commandId = get().schedules.find((s) => s.id === id)?.retry_command_id;
        if (!commandId) return;
        try {
          await api.cancelCommand(commandId);
          refresh(id);
        } catch (e) {
          get().showToast('error', message(e));
        }
      },

      async setEnabled(id, enabled) {
        try {
          upsert(await api.update(id, { enabled }));
        } catch (e) {
          get().showToast('error', message(e));
        }
      },

      confirmDelete(id) {
        const schedule = get().schedules.find((s) => s.id === id);
        if (!schedule) return;
        get().ask({
          title: `Delete “${schedule.name}”?`,
          message:
            'Its history goes too, and a run in progress is cancelled. This cannot be undone.',
          confirmLabel: 'Delete',
          onConfirm: async () => {
            try {
              await api.remove(id);
              get().applyEvent({ type: 'schedule.deleted', id });
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
