// @ts-nocheck
// 
// One schedule as a row of the wide table: what it runs, where, when, how it last went.
import { memo } from 'react';
import { describeCron } from '../../components/CronPreview';
import { Switch } from '../../components/Switch';
import { machineName } from '../../store/select';
import { useApp } from '../../store/context';
import { LastRun, NextRun, RunNowButton, nameId, rowData } from './parts';

export const ROW_HEIGHT = 76;

export const ScheduleRow = memo(function ScheduleRow(props: {
  id: string;
  index: number;
  start: number;
}) {
  const s = useApp((st) => st.schedules.byId[props.id]);
  const machine = useApp((st) => (s ? machineName(st.machines, s.machine_id) : ''));
  const setEnabled = useApp((st) => st.setEnabled);
  const openEditor = useApp((st) => st.openEditor);
  const confirmDelete = useApp((st) => st.confirmDelete);
  if (!s) return null;
  const historyHref = `#/schedules/${encodeURIComponent(s.id)}/history`;

  return (
    <div
      role="row"
      aria-rowindex={props.index + 2}
      className={s.running ? 'schedule-row running' : 'schedule-row'}
      style={{ transform: `translateY(${props.start}px)`, height: ROW_HEIGHT }}
      {...rowData(s)}
    >
      <div role="cell" className="cell-name">
        <a className="name" id={nameId(s)} href={historyHref} title={s.name}>
          {s.name}
        </a>
        {s.description && (
          <div className="muted small ellipsis" title={s.description}>
            {s.description}
          </div>
        )}
        {s.error ? (
          // Instead of the command, not under it: rows keep one height for the virtual list.
          <div className="schedule-error ellipsis" role="note" title={s.error}>
            Does not run: {s.error}. Edit it to fix.
          </div>
        ) : (
          <code className="command ellipsis" title={s.command}>
            {s.command}
          </code>
        )}
      </div>
      <div role="cell" className="cell-machine">
        <span className="machine-badge">{machine}</span>
      </div>
      <div role="cell" className="cell-cron">
        <code>{s.cron}</code>
        <div className="muted small ellipsis">
          {describeCron(s.cron) ?? 'Custom timetable'} · {s.timezone}
        </div>
      </div>
      <div role="cell">
        <NextRun schedule={s} />
      </div>
      <div role="cell">
        <LastRun schedule={s} />
      </div>
      <div role="cell">
        <Switch
          checked={s.enabled}
          label={`Enabled: ${s.name}`}
          onChange={(enabled) => void setEnabled(s.id, enabled)}
        />
      </div>
      <div role="cell" className="actions">
        <RunNowButton schedule={s} />
        <a className="button" href={historyHref} aria-describedby={nameId(s)}>
          History
        </a>
        <button
          type="button"
          onClick={() => openEditor({ mode: 'edit', id: s.id })}
          aria-describedby={nameId(s)}
        >
          Edit
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => confirmDelete(s.id)}
          aria-describedby={nameId(s)}
        >
          Delete
        </button>
      </div>
    </div>
  );
});
