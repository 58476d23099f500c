// The main page: every schedule with what it runs, when it runs next, how it last went.
import type { Machine, Schedule } from '../../../shared/types';
import { describeCron } from '../components/CronPreview';
import { StatusBadge } from '../components/StatusBadge';
import { Switch } from '../components/Switch';
import { formatDuration, formatLocal, formatRelative } from '../components/format';
import { useNow } from '../components/useNow';
import { visibleSchedules } from '../store/app';
import { useApp } from '../store/context';
import { useState } from 'react';
import { ImportDialog } from './ImportDialog';
import './schedules.css';

function machineName(machines: Machine[], id: string): string {
  const m = machines.find((x) => x.id === id);
  if (!m) return id;
  return m === machines[0] ? `${m.name} (this machine)` : m.name;
}

function EmptyState(props: { filtered: boolean; onNew: () => void }) {
  if (props.filtered) {
    return (
      <div className="empty">
        <h2>No schedules match</h2>
        <p className="muted">Clear the search or the filters to see all schedules.</p>
      </div>
    );
  }
  return (
    <div className="empty">
      <h2>No schedules yet</h2>
      <p className="muted">
        A schedule runs a shell command on a cron timetable — a nightly backup, an hourly sync, a
        weekly report — and tells you when it fails. Create your first one; you can run it right
        away to try it.
      </p>
      <button className="primary" onClick={props.onNew}>
        New schedule
      </button>
      <p className="muted hint">
        Tip: press <kbd>N</kbd> anywhere to create a schedule.
      </p>
    </div>
  );
}

/** A waiting retry (with Cancel) and a schedule's own pause, under its next run. */
function PolicyNotes({ schedule: s, now }: { schedule: Schedule; now: number }) {
  const cancelRetry = useApp((st) => st.cancelRetry);
  const paused = s.paused_until && Date.parse(s.paused_until) > now ? s.paused_until : null;
  return (
    <>
      {s.next_retry_at && (
        <div className="small retry-pending">
          Retry{' '}
          <time dateTime={s.next_retry_at} title={formatLocal(s.next_retry_at)}>
            {formatRelative(s.next_retry_at, now)}
          </time>{' '}
          <button
            type="button"
            onClick={() => void cancelRetry(s.id)}
            aria-label={`Cancel the retry of ${s.name}`}
          >
            Cancel retry
          </button>
        </div>
      )}
      {paused && (
        <div className="muted small">
          Paused until <time dateTime={paused}>{formatLocal(paused)}</time>
        </div>
      )}
    </>
  );
}

function Row(props: { schedule: Schedule; machines: Machine[]; now: number }) {
  const { schedule: s, machines, now } = props;
  const runNow = useApp((st) => st.runNow);
  const setEnabled = useApp((st) => st.setEnabled);
  const navigate = useApp((st) => st.navigate);
  const openEditor = useApp((st) => st.openEditor);
  const confirmDelete = useApp((st) => st.confirmDelete);
  const running = s.running === true;
  const blockRunNow = running && s.overlap === 'skip';

  return (
    <tr className={running ? 'running' : undefined} data-schedule-id={s.id}>
      <td>
        <div className="name" id={`name-${s.id}`}>
          {s.name}
        </div>
        {s.description && <div className="muted small">{s.description}</div>}
        <code className="command" title={s.command}>
          {s.command}
        </code>
        {s.error && (
          <div className="schedule-error" role="note">
            Does not run: {s.error}. Edit it to fix.
          </div>
        )}
      </td>
      <td>
        <span className="machine-badge">{machineName(machines, s.machine_id)}</span>
      </td>
      <td>
        <code>{s.cron}</code>
        <div className="muted small">
          {describeCron(s.cron) ?? 'Custom timetable'} · {s.timezone}
        </div>
      </td>
      <td>
        {s.next_run ? (
          <time dateTime={s.next_run} title={formatLocal(s.next_run)}>
            {formatRelative(s.next_run, now)}
          </time>
        ) : (
          <span className="muted">{s.enabled ? 'never' : 'disabled'}</span>
        )}
        <PolicyNotes schedule={s} now={now} />
      </td>
      <td>
        {running ? (
          <StatusBadge status="running" />
        ) : s.last_run ? (
          <div>
            <StatusBadge status={s.last_run.status} exitCode={s.last_run.exit_code ?? undefined} />
            <div className="muted small">
              <time dateTime={s.last_run.at} title={formatLocal(s.last_run.at)}>
                {formatRelative(s.last_run.at, now)}
              </time>
              {s.last_run.duration !== null && ` · ${formatDuration(s.last_run.duration)}`}
            </div>
          </div>
        ) : (
          <span className="muted">not yet</span>
        )}
      </td>
      <td>
        <Switch
          checked={s.enabled}
          label={`Enabled: ${s.name}`}
          onChange={(enabled) => void setEnabled(s.id, enabled)}
        />
      </td>
      <td className="actions">
        <button
          onClick={() => void runNow(s.id)}
          disabled={blockRunNow}
          title={blockRunNow ? 'Already running (overlap: skip)' : 'Run the command now'}
          aria-describedby={`name-${s.id}`}
        >
          Run now
        </button>
        <button
          onClick={() => navigate({ name: 'history', scheduleId: s.id })}
          aria-describedby={`name-${s.id}`}
        >
          History
        </button>
        <button
          onClick={() => openEditor({ mode: 'edit', id: s.id })}
          aria-describedby={`name-${s.id}`}
        >
          Edit
        </button>
        <button
          className="danger"
          onClick={() => confirmDelete(s.id)}
          aria-describedby={`name-${s.id}`}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

export function SchedulesView() {
  const schedules = useApp((s) => s.schedules);
  const machines = useApp((s) => s.machines);
  const filters = useApp((s) => s.filters);
  const setFilters = useApp((s) => s.setFilters);
  const openEditor = useApp((s) => s.openEditor);
  const now = useNow();
  const [importing, setImporting] = useState(false);
  const visible = visibleSchedules({ schedules, filters });
  const filtered =
    filters.search.trim() !== '' || filters.machineId !== 'all' || filters.enabled !== 'all';

  return (
    <section aria-labelledby="schedules-heading" className="schedules">
      <div className="toolbar">
        <h1 id="schedules-heading">Schedules</h1>
        <input
          type="search"
          placeholder="Search by name"
          aria-label="Search by name"
          value={filters.search}
          onChange={(e) => setFilters({ search: e.target.value })}
        />
        <select
          aria-label="Machine"
          value={filters.machineId}
          onChange={(e) => setFilters({ machineId: e.target.value })}
        >
          <option value="all">All machines</option>
          {machines.map((m) => (
            <option key={m.id} value={m.id}>
              {machineName(machines, m.id)}
            </option>
          ))}
        </select>
        <select
          aria-label="Enabled"
          value={filters.enabled}
          onChange={(e) => setFilters({ enabled: e.target.value as typeof filters.enabled })}
        >
          <option value="all">Enabled and disabled</option>
          <option value="enabled">Enabled only</option>
          <option value="disabled">Disabled only</option>
        </select>
        <button onClick={() => setImporting(true)}>Import…</button>
      </div>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
      {visible.length === 0 ? (
        <EmptyState
          filtered={filtered && schedules.length > 0}
          onNew={() => openEditor({ mode: 'create' })}
        />
      ) : (
        <table className="schedule-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Machine</th>
              <th scope="col">Schedule</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              <th scope="col">Enabled</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {visible.map((s) => (
              <Row key={s.id} schedule={s} machines={machines} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
