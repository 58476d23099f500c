// The app shell: header, the current page, dialogs and the toast; N opens a new schedule.
import { useEffect } from 'react';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../shared/schemas';
import { ConfirmDialog } from './components/ConfirmDialog';
import { useApp, useAppContext } from './store/context';
import { EditorDialog } from './views/EditorDialog';
import { HistoryView } from './views/HistoryView';
import { RunDetail } from './views/RunDetail';
import { SchedulesView } from './views/SchedulesView';
import { SettingsView } from './views/SettingsView';
import { StorageBanner } from './components/StorageBanner';
import './app.css';

const userTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

function Editor() {
  const editor = useApp((s) => s.editor);
  const schedules = useApp((s) => s.schedules);
  const machines = useApp((s) => s.machines);
  const save = useApp((s) => s.save);
  const closeEditor = useApp((s) => s.closeEditor);
  if (!editor) return null;
  const initial = editor.mode === 'edit' ? schedules.find((s) => s.id === editor.id) : undefined;
  if (editor.mode === 'edit' && !initial) return null;
  return (
    <EditorDialog
      key={editor.mode === 'edit' ? editor.id : 'new'}
      mode={editor.mode}
      initial={initial}
      machines={machines}
      defaultTimeZone={userTimeZone}
      onSave={(input: ScheduleCreateInput | SchedulePatchInput) => save(input, initial?.id)}
      onClose={closeEditor}
    />
  );
}

function Toast() {
  const toast = useApp((s) => s.toast);
  const dismiss = useApp((s) => s.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(dismiss, toast.kind === 'error' ? 8000 : 3000);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span>{toast.message}</span>
      <button onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

function Page() {
  const { api } = useAppContext();
  const view = useApp((s) => s.view);
  const schedules = useApp((s) => s.schedules);
  const navigate = useApp((s) => s.navigate);
  switch (view.name) {
    case 'schedules':
      return <SchedulesView />;
    case 'settings':
      return <SettingsView />;
    case 'history': {
      const schedule = schedules.find((s) => s.id === view.scheduleId);
      if (!schedule) return <SchedulesView />;
      return (
        <HistoryView
          api={api}
          schedule={schedule}
          onBack={() => navigate({ name: 'schedules' })}
          onOpenRun={(run) =>
            navigate({ name: 'run', scheduleId: schedule.id, commandId: run.command_id })
          }
        />
      );
    }
    case 'run':
      return (
        <RunDetail
          api={api}
          commandId={view.commandId}
          onBack={(run) => {
            const scheduleId = view.scheduleId ?? run?.schedule_id;
            navigate(scheduleId ? { name: 'history', scheduleId } : { name: 'schedules' });
          }}
        />
      );
  }
}

export function App() {
  const status = useApp((s) => s.status);
  const loadError = useApp((s) => s.loadError);
  const view = useApp((s) => s.view);
  const navigate = useApp((s) => s.navigate);
  const openEditor = useApp((s) => s.openEditor);
  const confirm = useApp((s) => s.confirm);
  const closeConfirm = useApp((s) => s.closeConfirm);
  const paused = useApp((s) => s.settings?.paused ?? false);
  const storage = useApp((s) => s.settings?.storage);

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

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">Cmdop Scheduler</span>
        <nav aria-label="Main">
          <button
            aria-current={view.name !== 'settings' ? 'page' : undefined}
            onClick={() => navigate({ name: 'schedules' })}
          >
            Schedules
          </button>
          <button
            aria-current={view.name === 'settings' ? 'page' : undefined}
            onClick={() => navigate({ name: 'settings' })}
          >
            Settings
          </button>
        </nav>
        <button className="primary" onClick={() => openEditor({ mode: 'create' })}>
          New schedule
        </button>
      </header>
      <StorageBanner storage={storage} />
      {paused && (
        <div className="banner" role="status">
          All schedules are paused: nothing runs on its own until you resume them in Settings.
        </div>
      )}
      <main className="app-main">
        {status === 'loading' && <p className="muted">Loading…</p>}
        {status === 'error' && (
          <div role="alert" className="load-error">
            <h2>Cannot load schedules</h2>
            <p>{loadError}</p>
          </div>
        )}
        {status === 'ready' && <Page />}
      </main>
      <Editor />
      {confirm && <ConfirmDialog confirm={confirm} onClose={closeConfirm} />}
      <Toast />
    </div>
  );
}
