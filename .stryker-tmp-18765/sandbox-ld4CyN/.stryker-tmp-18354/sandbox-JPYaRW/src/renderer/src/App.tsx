// @ts-nocheck
// 
// The app shell: header and navigation, banners, the current page, dialogs and the toast.
// N opens a new schedule. Every page is a route (store/route.ts); this only shows them.
import { useEffect } from 'react';
import { routeHash } from '../../shared/routes';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../shared/schemas';
import { ConfirmDialog } from './components/ConfirmDialog';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Toast } from './components/Toast';
import type { View } from './store/app';
import { useApp, useAppContext } from './store/context';
import { discardChanges } from './store/route';
import { EditorDialog } from './views/editor/EditorDialog';
import { HistoryView } from './views/history/HistoryView';
import { HomeView } from './views/home/HomeView';
import { RunView } from './views/run/RunView';
import { SchedulesView } from './views/schedules/SchedulesView';
import { SettingsView } from './views/SettingsView';
import { StorageBanner } from './components/StorageBanner';
import { TokenPage } from './views/TokenPage';
import './app.css';

const userTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

function Editor() {
  const { transport, store, api } = useAppContext();
  const editor = useApp((s) => s.editor);
  const initial = useApp((s) =>
    s.editor?.mode === 'edit' ? s.schedules.byId[s.editor.id] : undefined,
  );
  const status = useApp((s) => s.status);
  const dirty = useApp((s) => s.editorDirty);
  const machines = useApp((s) => s.machines);
  const save = useApp((s) => s.save);
  const closeEditor = useApp((s) => s.closeEditor);
  const setEditorDirty = useApp((s) => s.setEditorDirty);
  const showToast = useApp((s) => s.showToast);
  const missing = editor?.mode === 'edit' && !initial && status === 'ready';

  // A link to the editor of a schedule that is not there (deleted, mistyped).
  useEffect(() => {
    if (!missing) return;
    closeEditor();
    showToast('error', `There is no schedule ${editor.id} to edit`);
  }, [missing, editor, closeEditor, showToast]);

  // Reloading or closing the tab with typed work: the browser asks. (Not in Electron, where
  // it would silently stop the window from closing.)
  useEffect(() => {
    if (!dirty || transport !== 'http') return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty, transport]);

  if (!editor || (editor.mode === 'edit' && !initial)) return null;
  // Read at the moment of asking: after a save the editor is already closed and clean.
  const requestClose = () => {
    const now = store.getState();
    if (!now.editor) return;
    if (now.editorDirty) now.ask(discardChanges(now.closeEditor));
    else now.closeEditor();
  };
  // Alerts are sent by this machine's engine: a test is possible for its saved schedules.
  const local = !!initial && initial.machine_id === machines[0]?.id;
  const testUnavailable = !initial
    ? 'A test can be sent once the schedule is saved.'
    : local
      ? undefined
      : 'Tests are sent from the machine that runs the schedule.';
  return (
    <EditorDialog
      key={editor.mode === 'edit' ? editor.id : 'new'}
      onTestAlerts={
        initial && local ? (notify) => api.testNotify(initial.id, { notify }) : undefined
      }
      testUnavailable={testUnavailable}
      mode={editor.mode}
      initial={initial}
      machines={machines}
      defaultTimeZone={userTimeZone}
      previewFires={(input) => api.cronFires(input)}
      onSave={(input: ScheduleCreateInput | SchedulePatchInput) => save(input, initial?.id)}
      onClose={requestClose}
      onDirtyChange={setEditorDirty}
    />
  );
}

function NotFound({ what }: { what: string }) {
  return (
    <div className="empty">
      <h1>Not found</h1>
      <p className="muted">{what} It may have been deleted.</p>
      <a className="button" href={routeHash({ name: 'schedules' })}>
        Go to the schedules
      </a>
    </div>
  );
}

function Page({ view }: { view: View }) {
  const { api } = useAppContext();
  const byId = useApp((s) => s.schedules.byId);
  const runNow = useApp((s) => s.runNow);
  const openEditor = useApp((s) => s.openEditor);
  switch (view.name) {
    case 'home':
      return <HomeView />;
    case 'schedules':
      return <SchedulesView />;
    case 'settings':
      return <SettingsView />;
    case 'history': {
      const schedule = byId[view.scheduleId];
      if (!schedule) return <NotFound what={`There is no schedule ${view.scheduleId}.`} />;
      return (
        <HistoryView
          key={schedule.id}
          api={api}
          schedule={schedule}
          onRunNow={() => void runNow(schedule.id)}
          onEdit={() => openEditor({ mode: 'edit', id: schedule.id })}
        />
      );
    }
    case 'run':
      return (
        <RunView
          key={view.commandId}
          api={api}
          commandId={view.commandId}
          scheduleOf={(id) => byId[id]}
          onRunAgain={runNow}
        />
      );
  }
}

const NAV: { view: View['name']; label: string }[] = [
  { view: 'home', label: 'Home' },
  { view: 'schedules', label: 'Schedules' },
  { view: 'settings', label: 'Settings' },
];

export function App() {
  const { reconnect } = useAppContext();
  const status = useApp((s) => s.status);
  const connection = useApp((s) => s.connection);
  const loadError = useApp((s) => s.loadError);
  const view = useApp((s) => s.view);
  const openEditor = useApp((s) => s.openEditor);
  const confirm = useApp((s) => s.confirm);
  const closeConfirm = useApp((s) => s.closeConfirm);
  const paused = useApp((s) => s.settings?.paused ?? false);
  const storage = useApp((s) => s.settings?.storage);
  // History and runs belong to the schedules section of the navigation.
  const section = view.name === 'history' || view.name === 'run' ? 'schedules' : view.name;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'n' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTyping(e.target) || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      openEditor({ mode: 'create' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openEditor]);

  if (connection === 'unauthorized') return <TokenPage reason="wrong" />;

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">Cmdop Scheduler</span>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <a
              key={item.view}
              href={routeHash({ name: item.view } as Parameters<typeof routeHash>[0])}
              aria-current={section === item.view ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <button type="button" className="primary" onClick={() => openEditor({ mode: 'create' })}>
          New schedule
        </button>
      </header>
      <StorageBanner storage={storage} />
      <ConnectionBanner onRetry={reconnect} />
      {paused && (
        <div className="banner" role="status">
          All schedules are paused: nothing runs on its own until you resume them in Settings.
        </div>
      )}
      <main className="app-main" id="main-content" tabIndex={-1}>
        {status === 'loading' && <p className="muted">Loading…</p>}
        {status === 'error' && (
          <div role="alert" className="load-error">
            <h1>Cannot load schedules</h1>
            <p>{loadError}</p>
          </div>
        )}
        {status === 'ready' && <Page view={view} />}
      </main>
      <Editor />
      {confirm && <ConfirmDialog confirm={confirm} onClose={closeConfirm} />}
      <Toast />
    </div>
  );
}
